package postgres

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/walk"
)

// CandidateQuery selects the reports a walk plan draws its places from: those
// of a municipality and period within Radius metres of a point (the farthest
// a walk within its budget can go), optionally limited to kinds, categories
// (a group code such as OTR.SOC takes its subcategories) and an area.
type CandidateQuery struct {
	Municipality string
	Lon, Lat     float64
	Radius       float64
	From, To     time.Time
	Kinds        []string
	Categories   []string
	AreaID       string
}

// studyAreaCTE is the walk's reach (a circle around the start) within the
// municipality and, when $7 holds an area's WKB, within that area, in EPSG:3006.
// MATERIALIZED: inlined, the planner recomputes the intersection for every report.
const studyAreaCTE = `
WITH reach AS MATERIALIZED (
    SELECT ST_Intersection(ST_Buffer(ST_Transform(ST_GeomFromWKB($2, 4326), 3006), $3), ST_Transform(m.geom, 3006)) AS g
    FROM municipalities m WHERE m.code = $1
), area AS MATERIALIZED (
    SELECT CASE WHEN $7::bytea IS NULL THEN g ELSE ST_Intersection(g, ST_Transform(ST_GeomFromWKB($7, 4326), 3006)) END AS g
    FROM reach
), picked AS (
    SELECT r.geom_sweref, r.category, r.kind, r.status, coalesce(r.time_of_day, '') AS tod, lower(c.name_en) AS name_en
    FROM reports r JOIN categories c ON c.code = r.category, area
    WHERE r.municipality_code = $1 AND ST_Intersects(r.geom_sweref, area.g)
      AND r.observed_at >= $4 AND r.observed_at < $5
      AND r.status NOT IN ('rejected', 'duplicate')
      AND (cardinality($6::text[]) = 0 OR r.kind = ANY ($6))
      AND (cardinality($8::text[]) = 0 OR EXISTS (
            SELECT 1 FROM unnest($8::text[]) f WHERE r.category = f OR r.category LIKE f || '.%'))
)`

const (
	studyCellsSQL = studyAreaCTE + `
SELECT sq.i, sq.j, ST_AsBinary(ST_Transform(ST_Centroid(sq.geom), 4326))
FROM area, ST_SquareGrid($9, area.g) sq`
	cellReportsSQL = studyAreaCTE + `
SELECT floor(ST_X(geom_sweref) / $9)::int, floor(ST_Y(geom_sweref) / $9)::int, name_en, tod, count(*)::int
FROM picked GROUP BY 1, 2, 3, 4`
	// Clusters: DBSCAN over unresolved otrygghet reports, 5 within 50 m.
	clustersSQL = studyAreaCTE + `,
clustered AS (
    SELECT geom_sweref, name_en, tod,
           ST_ClusterDBSCAN(geom_sweref, eps := 50, minpoints := 5) OVER () AS cid
    FROM picked WHERE kind = 'otrygghet' AND status NOT IN ('resolved') AND $9::float8 > 0
), centres AS (
    SELECT cid, ST_Transform(ST_Centroid(ST_Collect(geom_sweref)), 4326) AS c FROM clustered WHERE cid IS NOT NULL GROUP BY cid
)
SELECT k.cid, ST_AsBinary(centres.c), k.name_en, k.tod, count(*)::int
FROM clustered k JOIN centres USING (cid) GROUP BY k.cid, centres.c, k.name_en, k.tod ORDER BY k.cid`
	areasExistSQL = `SELECT to_regclass('areas') IS NOT NULL`
	areaGeomSQL   = `SELECT ST_AsBinary(geom) FROM areas WHERE id::text = $1 AND municipality_code = $2`
)

func (db *DB) candidateArgs(ctx context.Context, q CandidateQuery) ([]any, error) {
	var areaWKB []byte
	if q.AreaID != "" {
		var exists bool
		if err := db.Pool.QueryRow(ctx, areasExistSQL).Scan(&exists); err != nil {
			return nil, err
		}
		if !exists {
			return nil, apperr.Field("area", "areas are not set up in this installation; leave area out")
		}
		err := db.Pool.QueryRow(ctx, areaGeomSQL, q.AreaID, q.Municipality).Scan(&areaWKB)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, apperr.Field("area", "no area %s in municipality %s", q.AreaID, q.Municipality)
		}
		if err != nil {
			return nil, err
		}
	}
	kinds, cats := q.Kinds, q.Categories
	if kinds == nil {
		kinds = []string{}
	}
	if cats == nil {
		cats = []string{}
	}
	return []any{q.Municipality, pointWKB(q.Lon, q.Lat), q.Radius, q.From, q.To, kinds, areaWKB, cats, walk.HotspotCellMetres}, nil
}

// HotspotInput returns the study cells a walk can reach and the reports in
// them, for walk.HotspotPlaces.
func (db *DB) HotspotInput(ctx context.Context, q CandidateQuery) ([]walk.StudyCell, []walk.CellReports, error) {
	args, err := db.candidateArgs(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	rows, err := db.Pool.Query(ctx, studyCellsSQL, args...)
	if err != nil {
		return nil, nil, err
	}
	cells, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (walk.StudyCell, error) {
		var c walk.StudyCell
		var b []byte
		if err := row.Scan(&c.I, &c.J, &b); err != nil {
			return c, err
		}
		var err error
		c.Center[0], c.Center[1], err = decodePoint(b)
		return c, err
	})
	if err != nil {
		return nil, nil, err
	}
	rows, err = db.Pool.Query(ctx, cellReportsSQL, args...)
	if err != nil {
		return nil, nil, err
	}
	counts, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (walk.CellReports, error) {
		var c walk.CellReports
		err := row.Scan(&c.I, &c.J, &c.Category, &c.TimeOfDay, &c.Count)
		return c, err
	})
	return cells, counts, err
}

// ReportClusters returns clusters of unresolved otrygghet reports in reach.
func (db *DB) ReportClusters(ctx context.Context, q CandidateQuery) ([]walk.ReportPlace, error) {
	args, err := db.candidateArgs(ctx, q)
	if err != nil {
		return nil, err
	}
	rows, err := db.Pool.Query(ctx, clustersSQL, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []walk.ReportPlace
	last := -1
	for rows.Next() {
		var cid, n int
		var b []byte
		var cat, tod string
		if err := rows.Scan(&cid, &b, &cat, &tod, &n); err != nil {
			return nil, err
		}
		if cid != last {
			lon, lat, err := decodePoint(b)
			if err != nil {
				return nil, err
			}
			out = append(out, walk.ReportPlace{ID: "cluster-" + strconv.Itoa(cid+1), TimesOfDay: map[string]int{}})
			out[len(out)-1].Center = [2]float64{lon, lat}
			last = cid
		}
		p := &out[len(out)-1]
		p.Count += n
		p.TimesOfDay[tod] += n
		merged := false
		for i := range p.Categories {
			if p.Categories[i].Name == cat {
				p.Categories[i].Count += n
				merged = true
			}
		}
		if !merged {
			p.Categories = append(p.Categories, walk.CategoryCount{Name: cat, Count: n})
		}
	}
	return out, rows.Err()
}
