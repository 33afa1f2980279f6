-- Privacy by design (issue 10): retention, an append-only audit log, erasure on
-- request, and device hashes under rotating keys.

-- Every staff read of contact data or free text, and every export, leaves one row.
-- Rows are never changed: the trigger below refuses UPDATE, TRUNCATE and DELETE,
-- except a DELETE inside a transaction that set trygg.audit_retention = 'on'
-- (only the retention purge does, for rows older than its audit period).
CREATE TABLE audit_log (
    id                bigserial PRIMARY KEY,
    at                timestamptz NOT NULL DEFAULT now(),
    actor             text NOT NULL,
    token_id          uuid,
    action            text NOT NULL,
    municipality_code text,
    report_id         uuid,
    reason            text CHECK (char_length(reason) <= 500),
    detail            jsonb
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_report_idx ON audit_log (report_id, at DESC) WHERE report_id IS NOT NULL;
CREATE INDEX audit_log_actor_idx ON audit_log (actor, at DESC);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('trygg.audit_retention', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'TR002';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- What the retention purge and erasure did to a report. The report itself stays
-- (kind, category, municipality, times, status) so that counts do not change.
ALTER TABLE reports
    ADD COLUMN point_coarsened_at timestamptz,
    ADD COLUMN erased_at          timestamptz,
    -- The key period a device hash was made under; NULL for the unkeyed SHA-256
    -- hashes of earlier versions, which trygg re-keys at start (privacy.Rekey).
    ADD COLUMN device_key_period  integer;
ALTER TABLE report_confirmations ADD COLUMN device_key_period integer;
ALTER TABLE open311_submissions ADD COLUMN device_key_period integer;
CREATE INDEX reports_retention_idx ON reports (received_at)
    WHERE description IS NOT NULL OR device_hash IS NOT NULL OR point_coarsened_at IS NULL;

-- Keys for device hashes, one per period. The key of a period is
-- HMAC-SHA256(TRYGG_HASH_SECRET, salt): without the secret a stolen database
-- cannot test device ids, and once a period's salt is deleted (two periods
-- later) nobody can link its hashes to a device again.
CREATE TABLE hash_keys (
    period     integer PRIMARY KEY,
    salt       bytea NOT NULL CHECK (octet_length(salt) = 32),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Coarsening a point for retention keeps the report's municipality: the centre
-- of its 100 m square may lie just across a border, and statistics must not move.
CREATE OR REPLACE FUNCTION reports_set_municipality() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.point_coarsened_at IS NOT NULL AND OLD.point_coarsened_at IS NULL THEN
        RETURN NEW;
    END IF;
    IF NEW.municipality_code IS NULL OR TG_OP = 'UPDATE' THEN
        SELECT code INTO NEW.municipality_code
        FROM municipalities WHERE ST_Intersects(geom, NEW.geom)
        ORDER BY code LIMIT 1;
        IF NEW.municipality_code IS NULL THEN
            RAISE EXCEPTION 'point is outside every Swedish municipality' USING ERRCODE = 'TR001';
        END IF;
    END IF;
    RETURN NEW;
END $$;
