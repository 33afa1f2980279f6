package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/trygg/trygg/internal/report"
)

// Both queries filter on exactly the predicate of reports_nearby_open_idx
// (migration 000008), a partial gist index on (category, geom_sweref), so
// PostgreSQL finds the rows with one scan of that small index instead of the
// whole table. The search point is transformed to
// SWEREF 99 TM once, so distances are in metres.
const (
	nearbyFelanmalanSQL = `
SELECT r.id, r.reference, r.category, r.status, ST_Distance(r.geom_sweref, h.g), r.observed_at,
       r.received_at, r.confirmations, CASE WHEN c.sensitivity = 'normal' THEN ST_AsBinary(r.geom) END
FROM reports r
JOIN categories c ON c.code = r.category
CROSS JOIN (SELECT ST_Transform(ST_GeomFromWKB($1, 4326), 3006) AS g) h
WHERE r.visibility = 'published' AND r.status IN ('received', 'triaged', 'in_progress', 'forwarded')
  AND ST_DWithin(r.geom_sweref, h.g, $2)
  AND r.kind = 'felanmalan' AND r.category = ANY ($3)
ORDER BY r.received_at DESC, r.id
LIMIT $4`

	// Otrygghet reports leave this query only as counts per category.
	nearbyOtrygghetSQL = `
SELECT r.category, count(*), coalesce(sum(r.confirmations), 0)
FROM reports r
CROSS JOIN (SELECT ST_Transform(ST_GeomFromWKB($1, 4326), 3006) AS g) h
WHERE r.visibility = 'published' AND r.status IN ('received', 'triaged', 'in_progress', 'forwarded')
  AND ST_DWithin(r.geom_sweref, h.g, $2)
  AND r.kind = 'otrygghet' AND r.category = ANY ($3) AND r.observed_at >= $4
GROUP BY r.category
ORDER BY r.category`
)

// Nearby answers "is this already reported?": open published felanmälningar
// (newest first) or otrygghet counts, depending on the search's kind.
func (db *DB) Nearby(ctx context.Context, s report.NearbySearch) (report.Nearby, error) {
	out := report.Nearby{Kind: s.Kind, RadiusM: s.RadiusM, Reports: []report.NearbyReport{}, Otrygghet: []report.CategoryCount{}}
	at := pointWKB(s.Lon, s.Lat)
	if s.Kind == report.KindOtrygghet {
		rows, err := db.Pool.Query(ctx, nearbyOtrygghetSQL, at, float64(s.RadiusM), s.Categories, s.Since)
		if err != nil {
			return out, err
		}
		out.Otrygghet, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (report.CategoryCount, error) {
			var n report.CategoryCount
			err := r.Scan(&n.Category, &n.Reports, &n.Confirmations)
			return n, err
		})
		since := s.Since
		out.Since = &since
		return out, err
	}
	rows, err := db.Pool.Query(ctx, nearbyFelanmalanSQL, at, float64(s.RadiusM), s.Categories, s.Limit)
	if err != nil {
		return out, err
	}
	out.Reports, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (report.NearbyReport, error) {
		var n report.NearbyReport
		var point []byte
		if err := r.Scan(&n.ID, &n.Reference, &n.Category, &n.Status, &n.DistanceM, &n.ObservedAt,
			&n.ReceivedAt, &n.Confirmations, &point); err != nil {
			return n, err
		}
		if point != nil {
			lon, lat, err := decodePoint(point)
			if err != nil {
				return n, err
			}
			n.Location = &report.Location{Lat: lat, Lon: lon}
		}
		return n, nil
	})
	return out, err
}
