-- A school's own entry may have the library's context column (docs/THREAT-LIBRARY.md, "A school's own words"):
-- words that cancel a hit near them (unless N: …) or that a hit needs (with N: …). Entries saved before it have none.
ALTER TABLE school_entries ADD COLUMN context text NOT NULL DEFAULT '';
