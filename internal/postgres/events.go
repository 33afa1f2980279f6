package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/trygg/trygg/internal/lagesbild"
)

// An event's municipality is the one named when the precision is municipality,
// else the one its point lies in (a county's centroid gives only its county).
// Re-importing the same (source, external_id) changes nothing.
const insertEventRowSQL = `
WITH pt AS (SELECT CASE WHEN $8::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($8, $9), 4326) END AS g),
     named AS (SELECT code, county_code FROM municipalities WHERE $10 = 'municipality' AND lower(name) = lower($7) LIMIT 1),
     located AS (SELECT m.code, m.county_code FROM municipalities m, pt WHERE pt.g IS NOT NULL AND ST_Intersects(m.geom, pt.g) ORDER BY m.code LIMIT 1)
INSERT INTO events (source, external_id, occurred_at, type, name, summary, url, place_name, geom, precision, municipality_code, county_code)
SELECT $1, $2, $3, $4, $5, $6, $11, $7, x.g, $10, x.muni, x.county
FROM (SELECT pt.g,
             CASE WHEN $10 = 'county' THEN NULL ELSE coalesce((SELECT code FROM named), (SELECT code FROM located)) END AS muni,
             coalesce((SELECT county_code FROM named), (SELECT county_code FROM located)) AS county
      FROM pt) x
WHERE $12::text[] IS NULL OR x.muni = ANY($12)
ON CONFLICT (source, external_id) DO NOTHING`

// ImportEvents stores events in one transaction and reports how many were new.
// With municipalities given, only events of those municipalities are stored
// (a scoped token importing the national police feed); nil stores all.
func (db *DB) ImportEvents(ctx context.Context, events []lagesbild.Event, municipalities []string) (added, skipped int, err error) {
	err = db.InTx(ctx, func(tx pgx.Tx) error {
		added, skipped = 0, 0
		b := &pgx.Batch{}
		for _, e := range events {
			b.Queue(insertEventRowSQL, e.Source, e.ExternalID, e.OccurredAt, e.Type, e.Name, e.Summary, e.PlaceName,
				e.Lon, e.Lat, string(e.Precision), e.URL, municipalities)
		}
		res := tx.SendBatch(ctx, b)
		defer res.Close()
		for range events {
			tag, err := res.Exec()
			if err != nil {
				return translate(err)
			}
			if tag.RowsAffected() == 1 {
				added++
			} else {
				skipped++
			}
		}
		return res.Close()
	})
	return added, skipped, err
}
