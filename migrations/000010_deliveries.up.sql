-- Where forwarded felanmälningar go, and the outbox of their deliveries. The
-- River job tables that work the outbox are created by River's own migrations,
-- which `trygg migrate up` runs right after these (internal/postgres/migrate.go).

-- One destination per municipality; the row with municipality_code '*' serves
-- every municipality without its own.
CREATE TABLE delivery_destinations (
    municipality_code text PRIMARY KEY CHECK (municipality_code = '*' OR municipality_code ~ '^[0-9]{4}$'),
    kind              text NOT NULL CHECK (kind IN ('webhook', 'open311')),
    url               text NOT NULL CHECK (url ~ '^https?://'),
    secret            text NOT NULL DEFAULT '',
    api_key           text NOT NULL DEFAULT '',
    service_code      text NOT NULL DEFAULT '',
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (kind <> 'webhook' OR secret <> '')
);

-- One row per hand-over of a report to a destination. The id is the delivery id
-- the receiver de-duplicates on; it stays the same on every attempt.
CREATE TABLE report_deliveries (
    id                uuid PRIMARY KEY,
    report_id         uuid NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    municipality_code text NOT NULL,
    destination       text NOT NULL, -- delivery_destinations.municipality_code at the time
    kind              text NOT NULL CHECK (kind IN ('webhook', 'open311')),
    url               text NOT NULL,
    state             text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    created_at        timestamptz NOT NULL,
    forwarded_at      timestamptz NOT NULL,
    attempts          integer NOT NULL DEFAULT 0,
    last_attempt_at   timestamptz,
    last_error        text,
    next_attempt_at   timestamptz,
    delivered_at      timestamptz,
    remote_id         text
);
CREATE INDEX report_deliveries_report_idx ON report_deliveries (report_id, created_at);
CREATE INDEX report_deliveries_open_idx ON report_deliveries (state, municipality_code) WHERE state <> 'delivered';
