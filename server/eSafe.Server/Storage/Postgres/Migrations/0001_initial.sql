-- eSafe's first schema. Times are Unix milliseconds (as the LiteDB store keeps them, and as encrypted blobs are bound
-- to them); IDs that are listed in order sort byte-wise (COLLATE "C"), as LiteDB's ordinal collation does.
-- Columns named blob/contents/workflow/ticket hold AES-256-GCM ciphertext made by the server: never plaintext.

CREATE TABLE meta (
    id text PRIMARY KEY,
    blob bytea,
    at_ms bigint
);

CREATE TABLE schools (
    id text PRIMARY KEY,
    name text NOT NULL,
    enrolment_code_hash text NOT NULL UNIQUE,
    created_ms bigint NOT NULL
);

CREATE TABLE enrolment_codes (
    code_hash text PRIMARY KEY,
    school_id text NOT NULL,
    max_uses integer NOT NULL,
    uses integer NOT NULL,
    issued_ms bigint NOT NULL,
    expires_ms bigint NOT NULL
);
CREATE INDEX enrolment_codes_school ON enrolment_codes (school_id);

CREATE TABLE devices (
    id text PRIMARY KEY,
    school_id text NOT NULL,
    token_hash bytea NOT NULL,
    host_version text NOT NULL,
    enrolled_ms bigint NOT NULL,
    contents bytea NOT NULL,
    revoked_ms bigint,
    revoked_by text,
    revoked_reason text
);
CREATE INDEX devices_school ON devices (school_id);

CREATE TABLE accounts (
    username_key text COLLATE "C" PRIMARY KEY,
    username text NOT NULL,
    display_name text NOT NULL,
    role text NOT NULL,
    school_id text,
    password_hash text NOT NULL,
    security_stamp text NOT NULL,
    created_ms bigint NOT NULL,
    qualifications text
);

CREATE TABLE incidents (
    id text COLLATE "C" PRIMARY KEY,
    school_id text NOT NULL,
    device_id text NOT NULL,
    status text NOT NULL,
    category text NOT NULL,
    severity integer NOT NULL,
    occurred_ms bigint NOT NULL,
    received_ms bigint NOT NULL,
    rule_id text NOT NULL,
    user_tag text NOT NULL,
    contents bytea NOT NULL,
    workflow_version integer NOT NULL DEFAULT 0,
    workflow bytea,
    outcome text,
    no_action_reason text,
    first_decided_ms bigint,
    alert_open boolean NOT NULL DEFAULT false,
    alert_tag text,
    alert_raised_ms bigint,
    acknowledged_ms bigint
);
CREATE INDEX incidents_school ON incidents (school_id, id);
CREATE INDEX incidents_device ON incidents (device_id);
CREATE INDEX incidents_status ON incidents (status);
CREATE INDEX incidents_priority ON incidents (severity DESC, id);
CREATE INDEX incidents_user ON incidents (user_tag);
CREATE INDEX incidents_occurred ON incidents (occurred_ms);
CREATE INDEX incidents_alert_tag ON incidents (alert_tag);
CREATE INDEX incidents_alert_open ON incidents (id) WHERE alert_open;

CREATE TABLE screenshots (
    incident_id text COLLATE "C" PRIMARY KEY REFERENCES incidents (id) ON DELETE CASCADE,
    blob bytea NOT NULL
);

CREATE TABLE audit (
    seq bigint PRIMARY KEY,
    at_ms bigint NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    incident_id text,
    school_id text,
    remote_address text,
    detail text,
    previous_hash text NOT NULL,
    hash text NOT NULL
);
CREATE INDEX audit_incident ON audit (incident_id);
CREATE INDEX audit_action ON audit (action);
CREATE INDEX audit_actor ON audit (actor);

CREATE TABLE school_layers (
    school_id text PRIMARY KEY,
    version integer NOT NULL,
    changed_ms bigint NOT NULL,
    disabled text[] NOT NULL
);

CREATE TABLE school_entries (
    school_id text NOT NULL,
    entry_id text COLLATE "C" NOT NULL,
    phrase text NOT NULL,
    category text NOT NULL,
    severity integer NOT NULL,
    language text NOT NULL,
    exceptions text[] NOT NULL,
    PRIMARY KEY (school_id, entry_id)
);

CREATE TABLE school_entry_history (
    school_id text NOT NULL,
    entry_id text NOT NULL,
    category text NOT NULL,
    severity integer NOT NULL,
    until_ms bigint NOT NULL,
    PRIMARY KEY (school_id, entry_id, category, severity)
);

CREATE TABLE safeguarding (
    school_id text PRIMARY KEY,
    version integer NOT NULL,
    blob bytea NOT NULL
);

CREATE TABLE jobs (
    id text COLLATE "C" PRIMARY KEY,
    kind text NOT NULL,
    school_id text NOT NULL,
    incident_id text,
    decision integer NOT NULL,
    contact_id text,
    step integer NOT NULL,
    unique_key text UNIQUE,
    created_ms bigint NOT NULL,
    due_ms bigint NOT NULL,
    state text NOT NULL,
    attempts integer NOT NULL,
    last_error text,
    outcome text,
    completed_ms bigint,
    lease_until_ms bigint,
    leased_by text
);
CREATE INDEX jobs_due ON jobs (state, due_ms);
CREATE INDEX jobs_incident ON jobs (incident_id);

CREATE TABLE proposals (
    id text COLLATE "C" PRIMARY KEY,
    state text NOT NULL,
    blob bytea NOT NULL
);
CREATE INDEX proposals_state ON proposals (state, id);

CREATE TABLE sessions (
    id text PRIMARY KEY,
    username text NOT NULL,
    ticket bytea NOT NULL,
    started_ms bigint NOT NULL,
    last_seen_ms bigint NOT NULL
);
CREATE INDEX sessions_username ON sessions (username);
CREATE INDEX sessions_last_seen ON sessions (last_seen_ms);
CREATE INDEX sessions_started ON sessions (started_ms);

CREATE TABLE login_throttle (
    key text PRIMARY KEY,
    failures integer NOT NULL,
    window_start_ms bigint NOT NULL,
    last_failure_ms bigint NOT NULL,
    locked_until_ms bigint
);
CREATE INDEX login_throttle_last_failure ON login_throttle (last_failure_ms);
