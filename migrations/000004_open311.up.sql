-- Open311 client apps identify themselves with an api_key; only its SHA-256 is kept.
CREATE TABLE api_keys (
    id         uuid PRIMARY KEY,
    name       text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    key_hash   bytea NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);

-- One row per report that came in through Open311 POST requests. A client that
-- retries the same submission (same device_id, same fields) within a short window
-- finds its first report here instead of creating a second one. Both hashes are
-- SHA-256: neither the device id nor the submitted text is kept in the clear.
CREATE TABLE open311_submissions (
    report_id   uuid PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
    api_key_id  uuid REFERENCES api_keys (id),
    device_hash bytea,
    fields_hash bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX open311_submissions_retry_idx ON open311_submissions (device_hash, fields_hash, created_at)
    WHERE device_hash IS NOT NULL;
