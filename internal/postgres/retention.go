package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/trygg/trygg/internal/privacy"
)

// closedBefore is true for a report whose personal data the caseworker no
// longer needs since before $1: an otrygghet report from when it came in, a
// felanmälan from when it was resolved, rejected or merged as a duplicate.
const closedBefore = `(CASE WHEN r.kind = 'otrygghet' THEN r.received_at
      WHEN r.status IN ('resolved', 'rejected', 'duplicate') THEN coalesce(r.resolved_at, r.updated_at)
 END) < $1`

// reportPurge is one report item: targets selects the ids of reports it
// touches (binds $1 cutoff, $2 now), apply changes the rows of the ids in t and
// returns their report_id.
type reportPurge struct {
	item    privacy.Item
	cutoff  func(privacy.Cutoffs) time.Time
	targets string
	apply   string
}

var reportPurges = []reportPurge{
	{privacy.ItemContact, func(c privacy.Cutoffs) time.Time { return c.Contact },
		`SELECT r.id FROM reports r JOIN report_contacts k ON k.report_id = r.id WHERE ` + closedBefore,
		`DELETE FROM report_contacts WHERE report_id IN (SELECT id FROM t) RETURNING report_id`},
	{privacy.ItemText, func(c privacy.Cutoffs) time.Time { return c.Text },
		`SELECT r.id FROM reports r WHERE r.description IS NOT NULL AND ` + closedBefore,
		`UPDATE reports SET description = NULL WHERE id IN (SELECT id FROM t) RETURNING id`},
	{privacy.ItemPhotos, func(c privacy.Cutoffs) time.Time { return c.Photos },
		`SELECT DISTINCT r.id FROM reports r JOIN photos p ON p.report_id = r.id WHERE ` + closedBefore,
		`DELETE FROM photos WHERE report_id IN (SELECT id FROM t) RETURNING report_id`},
	// A confirmation's hash cannot be NULL (one per device per report is a
	// unique key), so it becomes random bytes, period -1, that match no device.
	{privacy.ItemDevice, func(c privacy.Cutoffs) time.Time { return c.Device },
		`SELECT r.id FROM reports r WHERE r.device_hash IS NOT NULL AND r.received_at < $1
		 UNION SELECT report_id FROM report_confirmations WHERE device_key_period IS DISTINCT FROM -1 AND created_at < $1
		 UNION SELECT report_id FROM open311_submissions WHERE device_hash IS NOT NULL AND created_at < $1`,
		`UPDATE reports SET device_hash = NULL, device_key_period = NULL
		   WHERE id IN (SELECT id FROM t) AND device_hash IS NOT NULL AND received_at < $1 RETURNING id),
		 c AS (UPDATE report_confirmations SET device_key_period = -1,
		          device_hash = sha256(uuid_send(id) || int8send((random() * 9e18)::int8))
		   WHERE report_id IN (SELECT id FROM t) AND device_key_period IS DISTINCT FROM -1 AND created_at < $1 RETURNING report_id),
		 o AS (UPDATE open311_submissions SET device_hash = NULL, device_key_period = NULL
		   WHERE report_id IN (SELECT id FROM t) AND device_hash IS NOT NULL AND created_at < $1 RETURNING report_id),
		 u (id) AS (SELECT id FROM d0 UNION SELECT report_id FROM c UNION SELECT report_id FROM o`},
	// Sensitive points move to the centre of their 100 m SWEREF 99 TM square,
	// the same coarsening the public map applies.
	{privacy.ItemPoints, func(c privacy.Cutoffs) time.Time { return c.Points },
		`SELECT r.id FROM reports r JOIN categories k ON k.code = r.category
		 WHERE k.sensitivity IN ('sensitive', 'restricted') AND r.point_coarsened_at IS NULL AND r.received_at < $1`,
		`UPDATE reports r SET point_coarsened_at = $2, accuracy_m = NULL,
		     geom = ST_Transform(ST_SetSRID(ST_MakePoint(floor(ST_X(r.geom_sweref) / 100) * 100 + 50,
		                                                 floor(ST_Y(r.geom_sweref) / 100) * 100 + 50), 3006), 4326)
		 WHERE id IN (SELECT id FROM t) RETURNING id`},
}

// Row items: targets counts, apply deletes (bind $1 cutoff).
const (
	countIdempotencySQL  = `SELECT count(*) FROM idempotency_keys WHERE created_at < $1`
	deleteIdempotencySQL = `DELETE FROM idempotency_keys WHERE created_at < $1`
	countAuditSQL        = `SELECT count(*) FROM audit_log WHERE at < $1`
	deleteAuditSQL       = `DELETE FROM audit_log WHERE at < $1`
	allowAuditDeleteSQL  = `SELECT set_config('trygg.audit_retention', 'on', true)`
	countHashKeysSQL     = `SELECT count(*) FROM hash_keys WHERE period < $1`
	deleteHashKeysSQL    = `DELETE FROM hash_keys WHERE period < $1`
)

// Purge applies the retention cutoffs in one transaction; with dryRun it only
// counts and lists what would go.
func (db *DB) Purge(ctx context.Context, c privacy.Cutoffs, hashPeriod int, dryRun bool) (privacy.Result, error) {
	res := privacy.Result{Counts: map[privacy.Item]int64{}}
	if dryRun {
		res.Reports = map[privacy.Item][]string{}
	}
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		for _, p := range reportPurges {
			q := `SELECT DISTINCT id::text FROM (` + p.targets + `) t (id) ORDER BY 1`
			if !dryRun {
				q = `WITH t (id) AS (` + p.targets + `), d0 (id) AS (` + p.apply + `) SELECT DISTINCT id::text FROM d0 ORDER BY 1`
				if p.item == privacy.ItemDevice {
					q = `WITH t (id) AS (` + p.targets + `), d0 (id) AS (` + p.apply + `) SELECT DISTINCT id::text FROM u ORDER BY 1`
				}
			}
			args := []any{p.cutoff(c)}
			if strings.Contains(q, "$2") {
				args = append(args, c.Now)
			}
			rows, err := tx.Query(ctx, q, args...)
			if err != nil {
				return err
			}
			ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				return err
			}
			res.Counts[p.item] = int64(len(ids))
			if dryRun {
				res.Reports[p.item] = ids
			}
		}
		rowItems := []struct {
			item          privacy.Item
			cutoff        any
			count, delete string
		}{
			{privacy.ItemIdempotency, c.Idempotency, countIdempotencySQL, deleteIdempotencySQL},
			{privacy.ItemHashKeys, hashPeriod, countHashKeysSQL, deleteHashKeysSQL},
		}
		if c.Audit != nil {
			rowItems = append(rowItems, struct {
				item          privacy.Item
				cutoff        any
				count, delete string
			}{privacy.ItemAudit, *c.Audit, countAuditSQL, deleteAuditSQL})
		}
		for _, it := range rowItems {
			var n int64
			if dryRun {
				if err := tx.QueryRow(ctx, it.count, it.cutoff).Scan(&n); err != nil {
					return err
				}
			} else {
				if it.item == privacy.ItemAudit {
					if _, err := tx.Exec(ctx, allowAuditDeleteSQL); err != nil {
						return err
					}
				}
				tag, err := tx.Exec(ctx, it.delete, it.cutoff)
				if err != nil {
					return err
				}
				n = tag.RowsAffected()
			}
			res.Counts[it.item] = n
		}
		return nil
	})
	return res, err
}
