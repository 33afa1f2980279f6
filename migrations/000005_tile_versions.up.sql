-- Data versions for the map tile cache. The map is divided into the Web Mercator
-- tiles of zoom 10 ("version squares", see internal/tiles/version.go); every
-- insert, update or delete of reports stamps the squares of the touched points
-- with a fresh number from one sequence. A cached tile carries the largest
-- stamp among the squares it depends on, so a new report makes the tiles around
-- it stale and no others.
CREATE SEQUENCE tile_version_seq;

CREATE TABLE tile_versions (
    x       integer NOT NULL,
    y       integer NOT NULL,
    version bigint  NOT NULL,
    PRIMARY KEY (x, y)
);

-- The zoom-10 tile column and row of a WGS 84 point (the usual slippy-map formula).
CREATE FUNCTION tile_version_square(p geometry) RETURNS integer[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ARRAY[
        least(greatest(floor((ST_X(p) + 180) / 360 * 1024), 0), 1023)::integer,
        least(greatest(floor((1 - ln(tan(radians(ST_Y(p))) + 1 / cos(radians(ST_Y(p)))) / pi()) / 2 * 1024), 0), 1023)::integer]
$$;

-- Statement-level, with transition tables, so a bulk load stamps each square once
-- instead of once per row. Rows are taken in (x, y) order so that concurrent
-- writers lock the same squares in the same order.
CREATE FUNCTION tile_versions_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO tile_versions (x, y, version)
        SELECT s[1], s[2], nextval('tile_version_seq')
        FROM (SELECT DISTINCT tile_version_square(geom) s FROM new_rows) q ORDER BY 1, 2
        ON CONFLICT (x, y) DO UPDATE SET version = excluded.version;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO tile_versions (x, y, version)
        SELECT s[1], s[2], nextval('tile_version_seq')
        FROM (SELECT tile_version_square(geom) s FROM new_rows
              UNION SELECT tile_version_square(geom) FROM old_rows) q ORDER BY 1, 2
        ON CONFLICT (x, y) DO UPDATE SET version = excluded.version;
    ELSE
        INSERT INTO tile_versions (x, y, version)
        SELECT s[1], s[2], nextval('tile_version_seq')
        FROM (SELECT DISTINCT tile_version_square(geom) s FROM old_rows) q ORDER BY 1, 2
        ON CONFLICT (x, y) DO UPDATE SET version = excluded.version;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER reports_tile_versions_insert AFTER INSERT ON reports
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tile_versions_bump();
CREATE TRIGGER reports_tile_versions_update AFTER UPDATE ON reports
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tile_versions_bump();
CREATE TRIGGER reports_tile_versions_delete AFTER DELETE ON reports
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tile_versions_bump();

-- Categories change what public layers show (sensitivity, active), everywhere.
-- Such edits are rare; they stamp every square that has reports of the category.
CREATE FUNCTION tile_versions_bump_category() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tile_versions (x, y, version)
    SELECT s[1], s[2], nextval('tile_version_seq')
    FROM (SELECT DISTINCT tile_version_square(r.geom) s FROM reports r
          WHERE r.category = NEW.code OR r.category LIKE NEW.code || '.%') q ORDER BY 1, 2
    ON CONFLICT (x, y) DO UPDATE SET version = excluded.version;
    RETURN NULL;
END $$;
CREATE TRIGGER categories_tile_versions AFTER UPDATE OF sensitivity, active ON categories
    FOR EACH ROW EXECUTE FUNCTION tile_versions_bump_category();
