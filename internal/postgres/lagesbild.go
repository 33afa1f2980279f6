package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/lagesbild"
)

// Reports merged into another or rejected are not counted: they are not a
// separate thing that happened.
const (
	lbCountedStatus = `r.status NOT IN ('duplicate', 'rejected')`

	lbMunicipalitySQL = `SELECT name FROM municipalities WHERE code = $1`
	lbCategoriesSQL   = `SELECT code, coalesce(parent, ''), kind, name_sv, is_group FROM categories ORDER BY kind DESC, sort_order, code`
	lbAreasSQL        = `SELECT id, name, kind, priority FROM areas WHERE municipality_code = $1 AND ($2::uuid IS NULL OR id = $2) ORDER BY name`
	// Report counts come from report_day_counts (migration 000011), kept by
	// triggers per municipality, area, local day and category (category ''
	// holds the day's total, which is all the area table needs); $2..$7 are
	// the three periods as local days, $8 an optional area.
	lbDayRanges = `((d.day >= $2 AND d.day < $3) OR (d.day >= $4 AND d.day < $5) OR (d.day >= $6 AND d.day < $7))`
	lbDaySums   = `coalesce(sum(d.n) FILTER (WHERE d.day >= $2 AND d.day < $3), 0),
       coalesce(sum(d.n) FILTER (WHERE d.day >= $4 AND d.day < $5), 0),
       coalesce(sum(d.n) FILTER (WHERE d.day >= $6 AND d.day < $7), 0)`
	lbByCategorySQL = `
SELECT d.category, ` + lbDaySums + `
FROM report_day_counts d
WHERE d.municipality_code = $1 AND d.area_id = coalesce($8::uuid, '00000000-0000-0000-0000-000000000000') AND d.category <> ''
  AND ` + lbDayRanges + `
GROUP BY d.category`
	lbByAreaSQL = `
SELECT d.area_id::text, ` + lbDaySums + `
FROM report_day_counts d
WHERE d.municipality_code = $1 AND d.area_id <> '00000000-0000-0000-0000-000000000000' AND ($8::uuid IS NULL OR d.area_id = $8)
  AND d.category = ''
  AND ` + lbDayRanges + `
GROUP BY d.area_id`
	// Felanmälningar still open at the period's end ($5: the end, or now for a
	// running period) are judged by their present status and resolved_at; one
	// rejected after the period ended is left out.
	lbFelanmalanSQL = `
SELECT count(*) FILTER (WHERE r.received_at >= $2 AND r.received_at < $3),
       count(*) FILTER (WHERE r.resolved_at >= $2 AND r.resolved_at < $3),
       count(*) FILTER (WHERE r.received_at < $5 AND (r.resolved_at IS NULL OR r.resolved_at >= $5)),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM $5 - r.received_at) / 86400)
           FILTER (WHERE r.received_at < $5 AND (r.resolved_at IS NULL OR r.resolved_at >= $5)),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.resolved_at - r.received_at) / 86400)
           FILTER (WHERE r.resolved_at >= $2 AND r.resolved_at < $3)
FROM reports r
WHERE r.municipality_code = $1 AND r.kind = 'felanmalan' AND ` + lbCountedStatus + `
  AND r.received_at < $3 AND coalesce(r.resolved_at, 'infinity'::timestamptz) >= $2
  AND ($4::uuid IS NULL OR EXISTS (SELECT 1 FROM areas a WHERE a.id = $4 AND ST_Intersects(a.geom, r.geom)))`
	// Events located only to a municipality or county centroid count for the
	// municipality, never for an area.
	lbEventsSQL = `
SELECT e.source, e.type, e.precision, count(*)
FROM events e
WHERE e.municipality_code = $1 AND e.occurred_at >= $2 AND e.occurred_at < $3
  AND ($4::uuid IS NULL OR (e.precision = 'exact' AND EXISTS (SELECT 1 FROM areas a WHERE a.id = $4 AND ST_Intersects(a.geom, e.geom))))
GROUP BY 1, 2, 3 ORDER BY 4 DESC, 2`
	lbDensestSQL = `
WITH c AS (
  SELECT floor(ST_X(r.geom_sweref) / 250) AS i, floor(ST_Y(r.geom_sweref) / 250) AS j, count(*) AS n
  FROM reports r
  WHERE r.municipality_code = $1 AND r.observed_at >= $2 AND r.observed_at < $3 AND ` + lbCountedStatus + `
    AND ($4::uuid IS NULL OR EXISTS (SELECT 1 FROM areas a WHERE a.id = $4 AND ST_Intersects(a.geom, r.geom)))
  GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT $5)
SELECT (i + 0.5) * 250, (j + 0.5) * 250,
       ST_X(ST_Transform(ST_SetSRID(ST_MakePoint((i + 0.5) * 250, (j + 0.5) * 250), 3006), 4326)),
       ST_Y(ST_Transform(ST_SetSRID(ST_MakePoint((i + 0.5) * 250, (j + 0.5) * 250), 3006), 4326)), n
FROM c ORDER BY n DESC, i, j`
	lbHasWalksSQL = `SELECT to_regclass('walks') IS NOT NULL AND to_regclass('measures') IS NOT NULL`
	// Walks count by when they start; a measure is agreed at its walk, so it
	// counts in the period of that walk (the protocol is often typed in days
	// later). A measure is completed when marked done (done_at, which later
	// edits leave alone) and overdue when open or in progress past its due date at $4,
	// the period's end or now; one marked done only after $4 was still open
	// then. $5 restricts to walks recorded for an area or whose route enters it.
	lbWalksOf = `walks w WHERE w.municipality_code = $1 AND ($5::uuid IS NULL OR w.area_id = $5
    OR EXISTS (SELECT 1 FROM areas a WHERE a.id = $5 AND ST_Intersects(a.geom, w.route)))`
	lbWalksSQL = `
SELECT count(*) FILTER (WHERE w.starts_at >= $2 AND w.starts_at < $3 AND w.status IN ('held', 'followed_up')),
       count(*) FILTER (WHERE w.starts_at >= $2 AND w.starts_at < $3 AND w.status = 'planned'),
       (SELECT count(*) FROM measures m WHERE m.walk_id IN (SELECT w.id FROM ` + lbWalksOf + ` AND w.starts_at >= $2 AND w.starts_at < $3)),
       (SELECT count(*) FROM measures m WHERE m.walk_id IN (SELECT w.id FROM ` + lbWalksOf + `)
           AND m.status = 'done' AND m.done_at >= $2 AND m.done_at < $3),
       (SELECT count(*) FROM measures m WHERE m.walk_id IN (SELECT w.id FROM ` + lbWalksOf + `)
           AND (m.status IN ('open', 'in_progress') OR (m.status = 'done' AND m.done_at >= $4))
           AND m.due_date < ($4 AT TIME ZONE 'Europe/Stockholm')::date)
FROM ` + lbWalksOf
)

// LagesbildSource counts everything a lägesbild shows, in one read-only
// transaction so the sections agree with each other.
func (db *DB) LagesbildSource(ctx context.Context, r lagesbild.Request, prev, ly lagesbild.Period) (lagesbild.Source, error) {
	src := lagesbild.Source{
		Municipality: r.Municipality,
		Current:      lagesbild.Counts{ByCategory: map[string]int{}, ByArea: map[uuid.UUID]int{}},
		Previous:     lagesbild.Counts{ByCategory: map[string]int{}, ByArea: map[uuid.UUID]int{}},
		LastYear:     lagesbild.Counts{ByCategory: map[string]int{}, ByArea: map[uuid.UUID]int{}},
		Events:       []lagesbild.EventCount{},
	}
	from, to := r.Period.From, r.Period.To
	ranges := []any{r.Municipality, localDay(from), localDay(to), localDay(prev.From), localDay(prev.To), localDay(ly.From), localDay(ly.To), r.Area}
	err := pgx.BeginTxFunc(ctx, db.Pool, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, lbMunicipalitySQL, r.Municipality).Scan(&src.MunicipalityName); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return apperr.Field("municipality", "no municipality %s", r.Municipality)
			}
			return err
		}
		rows, _ := tx.Query(ctx, lbCategoriesSQL)
		cats, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (lagesbild.CategoryInfo, error) {
			var c lagesbild.CategoryInfo
			return c, row.Scan(&c.Code, &c.Parent, &c.Kind, &c.Name, &c.IsGroup)
		})
		if err != nil {
			return err
		}
		src.Categories = cats
		rows, _ = tx.Query(ctx, lbAreasSQL, r.Municipality, r.Area)
		areas, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (lagesbild.AreaInfo, error) {
			var a lagesbild.AreaInfo
			return a, row.Scan(&a.ID, &a.Name, &a.Kind, &a.Priority)
		})
		if err != nil {
			return err
		}
		src.Areas = areas
		if r.Area != nil {
			if len(areas) == 0 {
				return apperr.Field("area", "no area %s in municipality %s", *r.Area, r.Municipality)
			}
			src.Area = &areas[0]
		}
		if err := scanTriples(ctx, tx, lbByCategorySQL, ranges, func(key string, c, p, y int) {
			src.Current.ByCategory[key], src.Previous.ByCategory[key], src.LastYear.ByCategory[key] = c, p, y
		}); err != nil {
			return err
		}
		if err := scanTriples(ctx, tx, lbByAreaSQL, ranges, func(key string, c, p, y int) {
			id := uuid.MustParse(key)
			src.Current.ByArea[id], src.Previous.ByArea[id], src.LastYear.ByArea[id] = c, p, y
		}); err != nil {
			return err
		}
		f := &src.Felanmalan
		if err := tx.QueryRow(ctx, lbFelanmalanSQL, r.Municipality, from, to, r.Area, r.AsOf()).Scan(&f.Opened, &f.Resolved, &f.OpenAtEnd, &f.MedianOpenAgeDays, &f.MedianDaysToResolve); err != nil {
			return err
		}
		rows, _ = tx.Query(ctx, lbEventsSQL, r.Municipality, from, to, r.Area)
		src.Events, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (lagesbild.EventCount, error) {
			var e lagesbild.EventCount
			return e, row.Scan(&e.Source, &e.Type, &e.Precision, &e.Count)
		})
		if err != nil {
			return err
		}
		return db.walkSummary(ctx, tx, r, &src.Walks)
	})
	return src, err
}

// LagesbildDensestCells lists the densest 250 m cells of the period, the
// lägesbild's hotspots when the period has too few reports for a Gi*
// analysis.
func (db *DB) LagesbildDensestCells(ctx context.Context, r lagesbild.Request, limit int) ([]lagesbild.Cell, error) {
	rows, _ := db.Pool.Query(ctx, lbDensestSQL, r.Municipality, r.Period.From, r.Period.To, r.Area, limit)
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (lagesbild.Cell, error) {
		var c lagesbild.Cell
		return c, row.Scan(&c.X, &c.Y, &c.Lon, &c.Lat, &c.Count)
	})
}

// walkSummary reads walks and measures when the walks migration is applied.
func (db *DB) walkSummary(ctx context.Context, tx pgx.Tx, r lagesbild.Request, w *lagesbild.Walks) error {
	if err := tx.QueryRow(ctx, lbHasWalksSQL).Scan(&w.Available); err != nil || !w.Available {
		return err
	}
	return tx.QueryRow(ctx, lbWalksSQL, r.Municipality, r.Period.From, r.Period.To, r.AsOf(), r.Area).Scan(&w.Held, &w.Planned, &w.MeasuresAgreed, &w.MeasuresDone, &w.MeasuresOverdue)
}

func scanTriples(ctx context.Context, tx pgx.Tx, query string, args []any, put func(key string, c, p, y int)) error {
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var c, p, y int
		if err := rows.Scan(&key, &c, &p, &y); err != nil {
			return err
		}
		put(key, c, p, y)
	}
	return rows.Err()
}

// localDay is the Europe/Stockholm calendar day a period bound (a local
// midnight) starts, as report_day_counts keys its days.
func localDay(t time.Time) pgtype.Date {
	l := t.In(lagesbild.Stockholm)
	return pgtype.Date{Time: time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC), Valid: true}
}
