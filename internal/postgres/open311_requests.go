package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/trygg/trygg/internal/open311"
)

// publishedRequestsSQL reads what the public may see of published reports. The
// point depends on the category's sensitivity: exact for normal categories; for
// sensitive ones the centre of the report's 100 m × 100 m cell in SWEREF 99 TM
// (EPSG:3006), so nearby reports share one point; none for restricted ones.
// A list of references ($2) overrides the other filters, as the specification says.
const publishedRequestsSQL = `
SELECT r.reference, r.status, r.category,
       CASE WHEN $8 = 'en' THEN c.name_en ELSE c.name_sv END,
       m.name, r.received_at, r.updated_at,
       CASE c.sensitivity
         WHEN 'restricted' THEN NULL
         WHEN 'sensitive' THEN ST_AsBinary(ST_Transform(ST_SetSRID(ST_MakePoint(
              floor(ST_X(r.geom_sweref) / 100) * 100 + 50,
              floor(ST_Y(r.geom_sweref) / 100) * 100 + 50), 3006), 4326))
         ELSE ST_AsBinary(r.geom)
       END,
       coalesce((SELECT e.note FROM report_events e
                 WHERE e.report_id = r.id AND e.public AND e.note IS NOT NULL
                 ORDER BY e.id DESC LIMIT 1), '')
FROM reports r
JOIN categories c ON c.code = r.category
JOIN municipalities m ON m.code = r.municipality_code
WHERE r.visibility = 'published'
  AND ($1 = '' OR r.municipality_code = $1)
  AND (cardinality($2::text[]) = 0 OR r.reference = ANY ($2))
  AND (cardinality($2::text[]) > 0 OR (
        r.received_at >= $3 AND r.received_at <= $4
        AND (cardinality($5::text[]) = 0 OR r.category = ANY ($5))
        AND r.status = ANY ($6)))
ORDER BY r.received_at DESC, r.id DESC
LIMIT $7`

// PublishedRequests runs a GET requests query.
func (db *DB) PublishedRequests(ctx context.Context, q open311.Query, lang string) ([]open311.Published, error) {
	rows, err := db.Pool.Query(ctx, publishedRequestsSQL, q.JurisdictionID, orEmpty(q.IDs), q.Start, q.End,
		orEmpty(q.ServiceCodes), q.TryggStatuses(), q.Limit, lang)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (open311.Published, error) {
		var p open311.Published
		var point []byte
		err := r.Scan(&p.Reference, &p.Status, &p.CategoryCode, &p.CategoryName, &p.Municipality,
			&p.ReceivedAt, &p.UpdatedAt, &point, &p.StatusNotes)
		if err != nil || point == nil {
			return p, err
		}
		lon, lat, err := decodePoint(point)
		p.Lat, p.Long = &lat, &lon
		return p, err
	})
}

// orEmpty keeps a nil slice from reaching SQL as NULL, where cardinality would
// be NULL rather than 0.
func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
