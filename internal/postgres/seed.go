package postgres

import (
	"context"
	"crypto/sha256"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/trygg/trygg/internal/demo"
	"github.com/trygg/trygg/internal/report"
)

// seedSQL inserts one demo report unless its external key is already there, and
// drops points that fall outside their municipality rather than failing.
const seedSQL = `
INSERT INTO reports (id, reference, kind, category, municipality_code, geom, observed_at, received_at, updated_at,
                     description, feeling, time_of_day, status, visibility, source, follow_up_hash, external_key, resolved_at)
SELECT $1, $2, $3, $4, m.code, p.geom, $6::timestamptz, $6::timestamptz, coalesce($15::timestamptz, $6::timestamptz), nullif($7, ''), nullif($8, 0), nullif($9, ''), $10, $11,
       'demo', $12, $13, $15::timestamptz
FROM (SELECT ST_GeomFromWKB($5, 4326) AS geom) p
JOIN municipalities m ON m.code = $14 AND ST_Intersects(m.geom, p.geom)
ON CONFLICT (external_key) DO NOTHING`

// SeedDemo loads synthetic demo reports (source 'demo'). Running it again adds
// nothing: each report has a stable external key.
func (db *DB) SeedDemo(ctx context.Context, reports []demo.Report) (inserted int64, err error) {
	err = db.InTx(ctx, func(tx pgx.Tx) error {
		batch := &pgx.Batch{}
		for _, r := range reports {
			vis := report.Pending
			if r.Published {
				vis = report.Published
			}
			var resolved any
			if !r.ResolvedAt.IsZero() {
				resolved = r.ResolvedAt
			}
			h := sha256.Sum256([]byte(r.ExternalKey))
			batch.Queue(seedSQL, uuid.New(), report.NewReference(), r.Kind, r.Category, pointWKB(r.Lon, r.Lat),
				r.ObservedAt, r.Description, r.Feeling, r.TimeOfDay, r.Status, vis, h[:], r.ExternalKey,
				r.Municipality, resolved)
		}
		res := tx.SendBatch(ctx, batch)
		for range reports {
			tag, err := res.Exec()
			if err != nil {
				res.Close()
				return err
			}
			inserted += tag.RowsAffected()
		}
		if err := res.Close(); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `
INSERT INTO report_events (report_id, at, actor, actor_kind, type, to_status, public)
SELECT id, received_at, 'demo', 'system', 'created', 'received', true FROM reports r
WHERE source = 'demo' AND NOT EXISTS (SELECT 1 FROM report_events e WHERE e.report_id = r.id)`)
		return err
	})
	return inserted, err
}
