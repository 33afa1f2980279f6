CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE municipalities (
    code        text PRIMARY KEY CHECK (code ~ '^[0-9]{4}$'),
    name        text NOT NULL,
    county_code text NOT NULL,
    geom        geometry(MultiPolygon, 4326) NOT NULL
);
CREATE INDEX municipalities_geom_idx ON municipalities USING gist (geom);

-- Categories are data: a tree of codes (OTR > OTR.SOC > OTR.SOC.GATHER). Only leaves
-- (is_group = false) can be reported. sensitivity decides what the public sees:
-- normal = exact point once published, sensitive = point snapped to a coarse grid,
-- restricted = never a point, only aggregated counts.
CREATE TABLE categories (
    code        text PRIMARY KEY CHECK (code ~ '^[A-Z]+(\.[A-Z]+)*$'),
    kind        text NOT NULL CHECK (kind IN ('otrygghet', 'felanmalan')),
    parent      text REFERENCES categories (code),
    is_group    boolean NOT NULL DEFAULT false,
    name_sv     text NOT NULL,
    name_en     text NOT NULL,
    description_sv text NOT NULL DEFAULT '',
    description_en text NOT NULL DEFAULT '',
    sensitivity text NOT NULL DEFAULT 'normal' CHECK (sensitivity IN ('normal', 'sensitive', 'restricted')),
    -- radius_m is how close two reports must be to be "the same thing" (duplicates, nearby).
    radius_m    integer NOT NULL DEFAULT 50 CHECK (radius_m > 0),
    sort_order  integer NOT NULL DEFAULT 0,
    active      boolean NOT NULL DEFAULT true
);

CREATE TABLE reports (
    id                uuid PRIMARY KEY,
    reference         text NOT NULL UNIQUE,
    kind              text NOT NULL CHECK (kind IN ('otrygghet', 'felanmalan')),
    category          text NOT NULL REFERENCES categories (code),
    municipality_code text NOT NULL REFERENCES municipalities (code),
    geom              geometry(Point, 4326) NOT NULL,
    -- The SWEREF 99 TM point is what grids, distances and tiles work with.
    geom_sweref       geometry(Point, 3006) GENERATED ALWAYS AS (ST_Transform(geom, 3006)) STORED,
    accuracy_m        real CHECK (accuracy_m >= 0),
    observed_at       timestamptz NOT NULL,
    received_at       timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    description       text CHECK (char_length(description) <= 2000),
    feeling           smallint CHECK (feeling BETWEEN 1 AND 5),
    time_of_day       text CHECK (time_of_day IN ('morning', 'day', 'evening', 'night')),
    status            text NOT NULL CHECK (status IN ('received', 'triaged', 'in_progress', 'resolved', 'forwarded', 'rejected', 'duplicate')),
    visibility        text NOT NULL DEFAULT 'pending' CHECK (visibility IN ('pending', 'published', 'hidden')),
    source            text NOT NULL DEFAULT 'app' CHECK (source IN ('app', 'web', 'open311', 'walk', 'demo', 'import')),
    duplicate_of      uuid REFERENCES reports (id),
    version           integer NOT NULL DEFAULT 1,
    follow_up_hash    bytea NOT NULL,
    device_hash       bytea,
    external_key      text UNIQUE,
    resolved_at       timestamptz
);
CREATE INDEX reports_geom_idx ON reports USING gist (geom);
CREATE INDEX reports_geom_sweref_idx ON reports USING gist (geom_sweref);
CREATE INDEX reports_muni_observed_idx ON reports (municipality_code, observed_at);
CREATE INDEX reports_queue_idx ON reports (municipality_code, received_at DESC, id DESC);
CREATE INDEX reports_category_idx ON reports (category);
CREATE INDEX reports_status_idx ON reports (status) WHERE status NOT IN ('resolved', 'rejected', 'duplicate');
CREATE INDEX reports_text_idx ON reports USING gin (to_tsvector('swedish', coalesce(description, '')));

-- The municipality of a report is derived from its point, in the database, whatever
-- path the row comes in by. A point outside every municipality is refused with
-- SQLSTATE TR001, which the Go side turns into a 4xx.
CREATE FUNCTION reports_set_municipality() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
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
CREATE TRIGGER reports_municipality BEFORE INSERT OR UPDATE OF geom ON reports
    FOR EACH ROW EXECUTE FUNCTION reports_set_municipality();

-- Contact data lives apart so that no public query can reach it by accident.
CREATE TABLE report_contacts (
    report_id uuid PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
    name      text,
    email     text,
    phone     text
);

CREATE TABLE report_events (
    id          bigserial PRIMARY KEY,
    report_id   uuid NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    at          timestamptz NOT NULL DEFAULT now(),
    actor       text NOT NULL,
    actor_kind  text NOT NULL CHECK (actor_kind IN ('resident', 'staff', 'system', 'client')),
    type        text NOT NULL,
    from_status text,
    to_status   text,
    note        text,
    public      boolean NOT NULL DEFAULT false,
    data        jsonb
);
CREATE INDEX report_events_report_idx ON report_events (report_id, id);

CREATE TABLE photos (
    id           uuid PRIMARY KEY,
    report_id    uuid NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    content_type text NOT NULL,
    width        integer NOT NULL,
    height       integer NOT NULL,
    sha256       bytea NOT NULL,
    bytes        bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX photos_report_idx ON photos (report_id);

-- A retried POST with the same key gets the stored response; nothing new is written.
CREATE TABLE idempotency_keys (
    scope        text NOT NULL,
    key          text NOT NULL,
    request_hash bytea NOT NULL,
    status_code  integer NOT NULL,
    response     bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);

CREATE TABLE api_tokens (
    id             uuid PRIMARY KEY,
    name           text NOT NULL,
    role           text NOT NULL CHECK (role IN ('caseworker', 'analyst', 'planner', 'police', 'admin')),
    municipalities text[] NOT NULL CHECK (cardinality(municipalities) > 0),
    token_hash     bytea NOT NULL UNIQUE,
    created_at     timestamptz NOT NULL DEFAULT now(),
    revoked_at     timestamptz,
    last_used_at   timestamptz
);
