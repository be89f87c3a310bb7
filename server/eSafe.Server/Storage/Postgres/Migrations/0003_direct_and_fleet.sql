-- The stores merged after the first schema: devices' last heartbeats, Chromebook incidents waiting for their screenshot,
-- each Chromebook's repeat-filter hits, and sentences analysts filed as missed by the library.

-- Versions and counts only, nothing personal: one row a device, replaced by its next heartbeat.
CREATE TABLE device_heartbeats (
    device_id text PRIMARY KEY,
    school_id text NOT NULL,
    received_ms bigint NOT NULL,
    mode text NOT NULL,
    extension_version text NOT NULL,
    host_version text,
    global_library_version text,
    school_library_version integer,
    backlog integer NOT NULL,
    host_missing boolean NOT NULL,
    host_missing_since_ms bigint
);
CREATE INDEX device_heartbeats_school ON device_heartbeats (school_id);

-- sealed is the incident's envelope as JSON, already sealed by the server to its own key.
CREATE TABLE pending_incidents (
    incident_id text COLLATE "C" PRIMARY KEY,
    device_id text NOT NULL,
    school_id text NOT NULL,
    created_ms bigint NOT NULL,
    sealed bytea NOT NULL
);
CREATE INDEX pending_incidents_created ON pending_incidents (created_ms, incident_id);

-- seen holds keyed hashes and times only (16 + 8 bytes an entry).
CREATE TABLE device_repeats (
    device_id text PRIMARY KEY,
    seen bytea NOT NULL
);

CREATE TABLE missed_sentences (
    id text COLLATE "C" PRIMARY KEY,
    school_id text NOT NULL,
    blob bytea NOT NULL
);
CREATE INDEX missed_sentences_school ON missed_sentences (school_id, id);
