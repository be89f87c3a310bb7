-- ASP.NET Core's data-protection keys (what signs and encrypts console cookies), shared by every server process so that a
-- cookie made by one is good on another. The key material inside each element is encrypted with the data key.
CREATE TABLE data_protection_keys (
    friendly_name text PRIMARY KEY,
    xml text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
