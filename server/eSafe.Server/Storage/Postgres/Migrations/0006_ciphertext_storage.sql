-- Every one of these columns holds ciphertext (AES-256-GCM blobs made by the server) or keyed hashes: bytes that do not
-- compress. By default PostgreSQL tries pglz on any value that makes a row over about 2 KB (a screenshot, an incident's
-- contents), fails, and stores it out of line anyway; EXTERNAL skips the attempt. It applies to values written from now on.
ALTER TABLE meta ALTER COLUMN blob SET STORAGE EXTERNAL;
ALTER TABLE devices ALTER COLUMN contents SET STORAGE EXTERNAL;
ALTER TABLE devices ALTER COLUMN token_hash SET STORAGE EXTERNAL;
ALTER TABLE incidents ALTER COLUMN contents SET STORAGE EXTERNAL;
ALTER TABLE incidents ALTER COLUMN workflow SET STORAGE EXTERNAL;
ALTER TABLE screenshots ALTER COLUMN blob SET STORAGE EXTERNAL;
ALTER TABLE safeguarding ALTER COLUMN blob SET STORAGE EXTERNAL;
ALTER TABLE proposals ALTER COLUMN blob SET STORAGE EXTERNAL;
ALTER TABLE sessions ALTER COLUMN ticket SET STORAGE EXTERNAL;
ALTER TABLE pending_incidents ALTER COLUMN sealed SET STORAGE EXTERNAL;
ALTER TABLE device_repeats ALTER COLUMN seen SET STORAGE EXTERNAL;
ALTER TABLE missed_sentences ALTER COLUMN blob SET STORAGE EXTERNAL;
ALTER TABLE period_keys ALTER COLUMN wrapped SET STORAGE EXTERNAL;
