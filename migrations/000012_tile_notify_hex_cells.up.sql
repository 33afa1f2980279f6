-- Every new stamp in tile_versions is announced on the channel
-- trygg_tile_versions with the payload 'x,y,version' (the square and its new
-- stamp, which identifies the change), so that servers keep
-- the versions in memory and check cached tiles without a query
-- (internal/postgres/tilewatch.go). NOTIFY is delivered at commit, and the
-- committing session gets its own notification before its COMMIT returns: a
-- server sees its own writes at once, others' as soon as they are delivered.
CREATE FUNCTION tile_versions_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('trygg_tile_versions', NEW.x || ',' || NEW.y || ',' || NEW.version);
    RETURN NULL;
END
$$;

CREATE TRIGGER tile_versions_notify AFTER INSERT OR UPDATE ON tile_versions
    FOR EACH ROW EXECUTE FUNCTION tile_versions_notify();

-- Hexagonal report_cells (internal/tiles/shape.go has the Go twins): flat-topped
-- hexagons of edge size in the plane of the point's SRID, hexagon q, r centred
-- at (1.5·size·q, √3·size·(r + q/2)). hex_cell names the hexagon holding a
-- point (axial coordinates, rounded in cube coordinates); hex_cell_polygon
-- builds it, corners counter-clockwise from the east one.
CREATE FUNCTION hex_cell(x float8, y float8, size float8) RETURNS integer[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN dq > dr AND dq > ds THEN ARRAY[(-rr - rs)::integer, rr::integer]
        WHEN dr > ds THEN ARRAY[rq::integer, (-rq - rs)::integer]
        ELSE ARRAY[rq::integer, rr::integer] END
    FROM (SELECT rq, rr, rs, abs(rq - q) AS dq, abs(rr - r) AS dr, abs(rs + q + r) AS ds
          FROM (SELECT q, r, round(q) AS rq, round(r) AS rr, round(-q - r) AS rs
                FROM (SELECT 2.0 / 3 * x / size AS q, (sqrt(3) / 3 * y - x / 3) / size AS r) a) b) c
$$;

CREATE FUNCTION hex_cell_polygon(q integer, r integer, size float8, srid integer) RETURNS geometry LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ST_SetSRID(ST_MakePolygon(ST_MakeLine(p || p[1])), srid)
    FROM (SELECT ARRAY(SELECT ST_MakePoint(cx + size * cos(radians(60 * i)), cy + size * sin(radians(60 * i)))
                       FROM generate_series(0, 5) i ORDER BY i) AS p
          FROM (SELECT size * 1.5 * q AS cx, size * sqrt(3) * (r + q / 2.0) AS cy) c) d
$$;

-- Servers cache the category taxonomy; any change to it is announced on
-- trygg_categories so they drop the cache (internal/postgres/categories.go).
CREATE FUNCTION categories_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('trygg_categories', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER categories_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON categories
    FOR EACH STATEMENT EXECUTE FUNCTION categories_notify();
