-- Retention: each school's own retention period, and the per-school, per-month keys incidents are encrypted with
-- (wrapped by the server's data key; wrapped is NULL once the key is destroyed, the row kept as its tombstone).

ALTER TABLE schools ADD COLUMN retention_months integer;

CREATE TABLE period_keys (
    school_id text NOT NULL,
    period text NOT NULL,
    wrapped bytea,
    created_ms bigint NOT NULL,
    destroyed_ms bigint,
    PRIMARY KEY (school_id, period)
);
