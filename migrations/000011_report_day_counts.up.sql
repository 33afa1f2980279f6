-- Counted reports per municipality, area, local day and category, kept by
-- triggers, so the lägesbild of a quarter sums a few thousand rows instead of
-- scanning (and point-in-polygon testing) every report in it.
--
-- A report counts when its status is neither 'duplicate' nor 'rejected' (the
-- lägesbild's rule). Each counted report adds 1 to the row of its municipality
-- with area_id = the zero uuid (the whole municipality) and 1 to the row of
-- every area of that municipality its point intersects: exactly what
-- ST_Intersects(areas.geom, reports.geom) counted before. Days are local days in
-- Europe/Stockholm; every lägesbild period is a run of whole local days.
--
-- Maintenance, in the style of tile_versions (000005): statement-level triggers
-- with transition tables on reports, so a bulk load is one grouped upsert; rows
-- are upserted in key order so concurrent writers lock counters in one order.
-- Row triggers on areas recount an inserted or reshaped area from the reports
-- and drop a deleted area's rows. report_day_counts_rebuild() recomputes
-- everything from scratch (the migration's initial fill, and a repair if an
-- area was reshaped while reports in it were being written concurrently).
CREATE TABLE report_day_counts (
    municipality_code text    NOT NULL,
    area_id           uuid    NOT NULL, -- 00000000-0000-0000-0000-000000000000: the whole municipality
    day               date    NOT NULL,
    category          text    NOT NULL, -- '': all categories together
    n                 integer NOT NULL,
    PRIMARY KEY (municipality_code, area_id, day, category)
);

CREATE FUNCTION report_day_counts_local_day(t timestamptz) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (t AT TIME ZONE 'Europe/Stockholm')::date
$$;

-- report_day_counts_upsert_sql(src) is the statement that turns a set of (municipality_code, geom,
-- observed_at, category, delta) rows into counter changes: each row for the
-- whole municipality and for every area its point lies in, per category and
-- also under category '' (all categories, so area totals are a few rows a
-- day), grouped, in key order, and upserted.
CREATE FUNCTION report_day_counts_upsert_sql(src text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT format($q$
INSERT INTO report_day_counts AS c (municipality_code, area_id, day, category, n)
SELECT d.municipality_code, s.area_id, report_day_counts_local_day(d.observed_at), coalesce(d.category, ''), sum(d.delta)
FROM (%s) d
CROSS JOIN LATERAL (SELECT '00000000-0000-0000-0000-000000000000'::uuid AS area_id
                    UNION ALL
                    SELECT a.id FROM areas a WHERE a.municipality_code = d.municipality_code AND ST_Intersects(a.geom, d.geom)) s
GROUP BY GROUPING SETS ((d.municipality_code, s.area_id, report_day_counts_local_day(d.observed_at), d.category),
                        (d.municipality_code, s.area_id, report_day_counts_local_day(d.observed_at)))
HAVING sum(d.delta) <> 0
ORDER BY 1, 2, 3, 4
ON CONFLICT (municipality_code, area_id, day, category) DO UPDATE SET n = c.n + excluded.n$q$, src)
$$;

-- Transition tables are visible to the dynamic SQL of the trigger function.
CREATE FUNCTION report_day_counts_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    -- A row's counting changes with its status (in or out of the counted
    -- set), category, observation time, point or municipality.
    changed constant text := $c$ (n.status IN ('duplicate', 'rejected')) <> (o.status IN ('duplicate', 'rejected'))
        OR n.category <> o.category OR n.observed_at <> o.observed_at OR n.municipality_code <> o.municipality_code
        OR NOT (n.geom = o.geom) $c$;
BEGIN
    IF TG_OP = 'INSERT' THEN
        EXECUTE report_day_counts_upsert_sql($s$
            SELECT municipality_code, geom, observed_at, category, 1 AS delta
            FROM new_rows WHERE status NOT IN ('duplicate', 'rejected') $s$);
    ELSIF TG_OP = 'DELETE' THEN
        EXECUTE report_day_counts_upsert_sql($s$
            SELECT municipality_code, geom, observed_at, category, -1 AS delta
            FROM old_rows WHERE status NOT IN ('duplicate', 'rejected') $s$);
    ELSE
        EXECUTE report_day_counts_upsert_sql($s$
            SELECT o.municipality_code, o.geom, o.observed_at, o.category, -1 AS delta
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE o.status NOT IN ('duplicate', 'rejected') AND ($s$ || changed || $s$)
            UNION ALL
            SELECT n.municipality_code, n.geom, n.observed_at, n.category, 1
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE n.status NOT IN ('duplicate', 'rejected') AND ($s$ || changed || $s$) $s$);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER reports_day_counts_insert AFTER INSERT ON reports
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_day_counts_bump();
CREATE TRIGGER reports_day_counts_update AFTER UPDATE ON reports
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_day_counts_bump();
CREATE TRIGGER reports_day_counts_delete AFTER DELETE ON reports
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_day_counts_bump();

CREATE FUNCTION report_day_counts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM report_day_counts;
    RETURN NULL;
END $$;
CREATE TRIGGER reports_day_counts_truncate AFTER TRUNCATE ON reports
    FOR EACH STATEMENT EXECUTE FUNCTION report_day_counts_truncate();

-- An area's own rows are recounted from the reports whenever it appears, moves
-- to another municipality or changes shape, and go when it goes.
CREATE FUNCTION report_day_counts_area() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM report_day_counts WHERE area_id = OLD.id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO report_day_counts (municipality_code, area_id, day, category, n)
        SELECT NEW.municipality_code, NEW.id, report_day_counts_local_day(r.observed_at), coalesce(r.category, ''), count(*)
        FROM reports r
        WHERE r.municipality_code = NEW.municipality_code AND ST_Intersects(NEW.geom, r.geom)
          AND r.status NOT IN ('duplicate', 'rejected')
        GROUP BY GROUPING SETS ((report_day_counts_local_day(r.observed_at), r.category), (report_day_counts_local_day(r.observed_at)));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER areas_day_counts AFTER INSERT OR DELETE OR UPDATE OF geom, municipality_code ON areas
    FOR EACH ROW EXECUTE FUNCTION report_day_counts_area();

-- What the counters must hold, from scratch.
CREATE VIEW report_day_counts_expected AS
SELECT r.municipality_code, s.area_id, report_day_counts_local_day(r.observed_at) AS day, coalesce(r.category, '') AS category, count(*)::integer AS n
FROM reports r
CROSS JOIN LATERAL (SELECT '00000000-0000-0000-0000-000000000000'::uuid AS area_id
                    UNION ALL
                    SELECT a.id FROM areas a WHERE a.municipality_code = r.municipality_code AND ST_Intersects(a.geom, r.geom)) s
WHERE r.status NOT IN ('duplicate', 'rejected')
GROUP BY GROUPING SETS ((r.municipality_code, s.area_id, report_day_counts_local_day(r.observed_at), r.category),
                        (r.municipality_code, s.area_id, report_day_counts_local_day(r.observed_at)));

CREATE FUNCTION report_day_counts_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE report_day_counts IN EXCLUSIVE MODE;
    DELETE FROM report_day_counts;
    INSERT INTO report_day_counts SELECT * FROM report_day_counts_expected;
END $$;

SELECT report_day_counts_rebuild();

-- Felanmälningar handled in a period: received before its end and resolved
-- after its start or not at all. The lägesbild reads them through this index
-- (coalesce(resolved_at, 'infinity') >= start) instead of scanning every report.
CREATE INDEX reports_felanmalan_handling_idx ON reports (municipality_code, (coalesce(resolved_at, 'infinity'::timestamptz)), received_at)
    INCLUDE (resolved_at, status) WHERE kind = 'felanmalan';

-- Promises are edited after they are made (PATCH with If-Match). The version is
-- the promise's and covers its commitments and indicators: any change to either
-- bumps it, so an ETag read with the promise guards all of it.
ALTER TABLE promises ADD COLUMN version integer NOT NULL DEFAULT 1,
                     ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
