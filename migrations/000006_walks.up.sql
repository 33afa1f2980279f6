-- Trygghetsvandringar: the walkable street network per municipality (imported
-- from OpenStreetMap), walks, their stops, observations and measures.

-- One row per imported network. generation changes on every import, so a
-- server holding the graph in memory can tell that its copy is stale.
CREATE TABLE street_networks (
    municipality_code text PRIMARY KEY REFERENCES municipalities (code),
    generation        bigint NOT NULL,
    imported_at       timestamptz NOT NULL DEFAULT now(),
    source            text NOT NULL,
    nodes             integer NOT NULL,
    edges             integer NOT NULL,
    length_m          double precision NOT NULL
);
CREATE SEQUENCE street_network_generation;

CREATE TABLE street_nodes (
    municipality_code text NOT NULL REFERENCES street_networks (municipality_code) ON DELETE CASCADE,
    osm_id            bigint NOT NULL,
    geom              geometry(Point, 4326) NOT NULL,
    PRIMARY KEY (municipality_code, osm_id)
);
CREATE INDEX street_nodes_geom_idx ON street_nodes USING gist (geom);

-- Edges carry the OSM node ids of their ends rather than a foreign key to
-- street_nodes: an import writes both in one transaction and checks them in Go,
-- and a per-row key check would slow a county-sized COPY for nothing.
CREATE TABLE street_edges (
    id                bigserial PRIMARY KEY,
    municipality_code text NOT NULL REFERENCES street_networks (municipality_code) ON DELETE CASCADE,
    way_id            bigint NOT NULL,
    from_node         bigint NOT NULL,
    to_node           bigint NOT NULL,
    geom              geometry(LineString, 4326) NOT NULL,
    length_m          double precision NOT NULL CHECK (length_m >= 0),
    highway           text NOT NULL,
    lit               text NOT NULL CHECK (lit IN ('yes', 'no', 'unknown')),
    surface           text,
    name              text
);
CREATE INDEX street_edges_muni_idx ON street_edges (municipality_code);
CREATE INDEX street_edges_geom_idx ON street_edges USING gist (geom);

CREATE TABLE walks (
    id                uuid PRIMARY KEY,
    municipality_code text NOT NULL REFERENCES municipalities (code),
    -- areas come from a later migration; no foreign key so either can be applied first.
    area_id           uuid,
    title             text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    starts_at         timestamptz NOT NULL,
    organiser         text NOT NULL DEFAULT '',
    partners          text[] NOT NULL DEFAULT '{}',
    participants      integer CHECK (participants >= 0),
    status            text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held', 'followed_up')),
    route             geometry(LineString, 4326),
    route_length_m    double precision,
    plan              jsonb,
    created_by        text NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX walks_muni_starts_idx ON walks (municipality_code, starts_at DESC);

CREATE TABLE walk_stops (
    walk_id   uuid NOT NULL REFERENCES walks (id) ON DELETE CASCADE,
    seq       integer NOT NULL CHECK (seq >= 1),
    name      text NOT NULL,
    reason    text NOT NULL DEFAULT '',
    kind      text NOT NULL DEFAULT 'manual',
    geom      geometry(Point, 4326) NOT NULL,
    PRIMARY KEY (walk_id, seq)
);

CREATE TABLE walk_observations (
    id          uuid PRIMARY KEY,
    walk_id     uuid NOT NULL REFERENCES walks (id) ON DELETE CASCADE,
    stop_seq    integer,
    geom        geometry(Point, 4326) NOT NULL,
    rating      text NOT NULL CHECK (rating IN ('trygg', 'otrygg')),
    category    text NOT NULL REFERENCES categories (code),
    factors     text[] NOT NULL DEFAULT '{}',
    note        text CHECK (char_length(note) <= 2000),
    report_id   uuid REFERENCES reports (id),
    observed_at timestamptz NOT NULL,
    created_by  text NOT NULL
);
CREATE INDEX walk_observations_walk_idx ON walk_observations (walk_id);
CREATE INDEX walk_observations_geom_idx ON walk_observations USING gist (geom);

CREATE TABLE measures (
    id              uuid PRIMARY KEY,
    walk_id         uuid NOT NULL REFERENCES walks (id) ON DELETE CASCADE,
    observation_id  uuid REFERENCES walk_observations (id),
    what            text NOT NULL CHECK (char_length(what) BETWEEN 1 AND 1000),
    horizon         text NOT NULL CHECK (horizon IN ('direct', 'short', 'long')),
    owner           text NOT NULL CHECK (char_length(owner) BETWEEN 1 AND 200),
    due_date        date,
    status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done', 'cancelled')),
    -- where the measure is to be looked at again; a walk's stop when not given.
    geom            geometry(Point, 4326),
    felanmalan_id   uuid REFERENCES reports (id),
    checked_at_walk uuid REFERENCES walks (id),
    check_note      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX measures_walk_idx ON measures (walk_id);
CREATE INDEX measures_open_geom_idx ON measures USING gist (geom) WHERE status IN ('open', 'in_progress');
