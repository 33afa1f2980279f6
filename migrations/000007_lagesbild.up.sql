-- Lägesbild and medborgarlöften: named areas, events from other sources, survey
-- results, frozen lägesbild snapshots, and promises with their commitments,
-- indicators and logged activities.

-- An area is a named polygon inside one municipality. Municipality boundaries are
-- simplified, so an exact "covered by" test would refuse real district polygons
-- along the border; the rule is that at least 99 % of the area's surface lies
-- inside its municipality widened by 500 m (measured in SWEREF 99 TM). Uppsala's
-- real districts need both: the worst lies 97.8 % inside the bare boundary and
-- 99.7 % inside the widened one, while a polygon in the next town is refused.
CREATE TABLE areas (
    id                uuid PRIMARY KEY,
    municipality_code text NOT NULL REFERENCES municipalities (code),
    kind              text NOT NULL CHECK (kind IN ('centrum', 'stadsdel', 'utsatt_omrade', 'custom')),
    name              text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    priority          boolean NOT NULL DEFAULT false,
    geom              geometry(MultiPolygon, 4326) NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (municipality_code, name)
);
CREATE INDEX areas_geom_idx ON areas USING gist (geom);

CREATE FUNCTION areas_check_inside() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    whole  double precision;
    inside double precision;
BEGIN
    IF NOT ST_IsValid(NEW.geom) THEN
        RAISE EXCEPTION 'area % has an invalid geometry: %', NEW.name, ST_IsValidReason(NEW.geom) USING ERRCODE = 'TR002';
    END IF;
    SELECT ST_Area(ST_Transform(NEW.geom, 3006)),
           coalesce(ST_Area(ST_Intersection(ST_Transform(NEW.geom, 3006), ST_Buffer(ST_Transform(m.geom, 3006), 500))), 0)
      INTO whole, inside
      FROM municipalities m WHERE m.code = NEW.municipality_code;
    IF whole IS NULL THEN
        RETURN NEW; -- the foreign key reports the unknown municipality
    END IF;
    IF whole <= 0 OR inside < 0.99 * whole THEN
        RAISE EXCEPTION 'area % lies outside municipality % (only % %% of it inside)', NEW.name, NEW.municipality_code,
            CASE WHEN whole > 0 THEN round((100 * inside / whole)::numeric, 1) ELSE 0 END USING ERRCODE = 'TR003';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER areas_inside BEFORE INSERT OR UPDATE OF geom, municipality_code ON areas
    FOR EACH ROW EXECUTE FUNCTION areas_check_inside();

-- Events from other sources (police incident summaries, security companies). A
-- police event's point is only the centroid of the municipality or county it
-- names; precision says so, and point-based analysis uses only 'exact' rows.
CREATE TABLE events (
    id                bigserial PRIMARY KEY,
    source            text NOT NULL CHECK (char_length(source) BETWEEN 1 AND 100),
    external_id       text NOT NULL,
    occurred_at       timestamptz NOT NULL,
    type              text NOT NULL,
    name              text NOT NULL DEFAULT '',
    summary           text NOT NULL DEFAULT '',
    url               text NOT NULL DEFAULT '',
    place_name        text NOT NULL DEFAULT '',
    geom              geometry(Point, 4326),
    precision         text NOT NULL CHECK (precision IN ('exact', 'municipality', 'county')),
    municipality_code text REFERENCES municipalities (code),
    county_code       text,
    imported_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source, external_id)
);
CREATE INDEX events_geom_idx ON events USING gist (geom);
CREATE INDEX events_muni_time_idx ON events (municipality_code, occurred_at);

-- Survey results (trygghetsmätning): one value per municipality or area, year and
-- question.
CREATE TABLE surveys (
    id                bigserial PRIMARY KEY,
    municipality_code text NOT NULL REFERENCES municipalities (code),
    area_id           uuid REFERENCES areas (id) ON DELETE CASCADE,
    year              integer NOT NULL CHECK (year BETWEEN 1990 AND 2100),
    indicator         text NOT NULL,
    value             double precision NOT NULL,
    n                 integer CHECK (n >= 0)
);
CREATE UNIQUE INDEX surveys_key ON surveys (municipality_code, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid), year, indicator);

-- A snapshot is what an EST group decided on; it never changes afterwards.
CREATE TABLE lagesbild_snapshots (
    id                uuid PRIMARY KEY,
    municipality_code text NOT NULL REFERENCES municipalities (code),
    params            jsonb NOT NULL,
    content           jsonb NOT NULL,
    content_hash      bytea NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    created_by        text NOT NULL
);
CREATE INDEX lagesbild_snapshots_muni_idx ON lagesbild_snapshots (municipality_code, created_at DESC);

CREATE FUNCTION lagesbild_snapshots_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'lägesbild snapshots cannot be changed or deleted' USING ERRCODE = 'TR004';
END $$;
CREATE TRIGGER lagesbild_snapshots_frozen BEFORE UPDATE OR DELETE ON lagesbild_snapshots
    FOR EACH ROW EXECUTE FUNCTION lagesbild_snapshots_immutable();

-- Medborgarlöften.
CREATE TABLE promises (
    id                uuid PRIMARY KEY,
    municipality_code text NOT NULL REFERENCES municipalities (code),
    title             text NOT NULL,
    partners          text[] NOT NULL DEFAULT '{}',
    signatories       text[] NOT NULL DEFAULT '{}',
    signed_on         date,
    valid_from        date NOT NULL,
    valid_to          date NOT NULL CHECK (valid_to >= valid_from),
    problem_picture   text NOT NULL DEFAULT '',
    follow_up         text NOT NULL DEFAULT '',
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX promises_muni_idx ON promises (municipality_code, valid_from);

CREATE TABLE commitments (
    id                uuid PRIMARY KEY,
    promise_id        uuid NOT NULL REFERENCES promises (id) ON DELETE CASCADE,
    position          integer NOT NULL,
    text              text NOT NULL,
    responsible       text NOT NULL CHECK (responsible IN ('polisen', 'kommunen', 'both', 'other')),
    responsible_other text NOT NULL DEFAULT '',
    priority_areas    uuid[] NOT NULL DEFAULT '{}'
);
CREATE INDEX commitments_promise_idx ON commitments (promise_id, position);

CREATE TABLE indicators (
    id            uuid PRIMARY KEY,
    commitment_id uuid NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    kind          text NOT NULL CHECK (kind IN ('activity_count', 'report_count', 'event_count', 'survey_value')),
    label         text NOT NULL,
    params        jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX indicators_commitment_idx ON indicators (commitment_id);

CREATE TABLE activities (
    id            uuid PRIMARY KEY,
    commitment_id uuid NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    occurred_on   date NOT NULL,
    type          text NOT NULL,
    description   text NOT NULL DEFAULT '',
    who           text NOT NULL DEFAULT '',
    area_id       uuid REFERENCES areas (id) ON DELETE SET NULL,
    geom          geometry(Point, 4326),
    walk_id       uuid,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX activities_commitment_idx ON activities (commitment_id, occurred_on);
