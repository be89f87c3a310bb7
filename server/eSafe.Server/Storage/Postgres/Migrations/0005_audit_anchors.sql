-- The audit log's anchors (docs/SECURITY.md) in the database as well as in each machine's keys folder, so that
-- `esafe-server audit verify` on any machine checks the anchors every process made. Each carries its keyed MAC
-- (keys/audit.key): someone who can write to the database but has no keys can remove anchors, never make or change one.
CREATE TABLE audit_anchors (
    id bigserial PRIMARY KEY,
    count bigint NOT NULL,
    head text NOT NULL,
    at_ms bigint NOT NULL,
    mac text NOT NULL
);
