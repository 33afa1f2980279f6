package postgres

import (
	"context"
	"errors"
	"maps"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/report"
)

const (
	lockReportSQL  = staffReportByIDSQL + " FOR UPDATE OF r"
	lockReportsSQL = staffReportSQL + "\nWHERE r.id = ANY($1) AND r.municipality_code = ANY($2) ORDER BY r.id FOR UPDATE OF r"
	// The version in the WHERE clause is what makes the update optimistic: a
	// writer that read an older version changes nothing. resolved_at keeps the
	// moment a report became resolved and is cleared when it is reopened; a
	// merge keeps it, so an un-merge back to resolved finds the first moment.
	applyUpdateSQL = `
UPDATE reports SET status = $3, visibility = $4, duplicate_of = $5, updated_at = $6, version = version + 1,
       resolved_at = CASE WHEN $3 = 'resolved' THEN coalesce(resolved_at, $6)
                          WHEN $3 = 'duplicate' THEN resolved_at END
WHERE id = $1 AND version = $2
RETURNING version`
	insertStaffEventSQL = `
INSERT INTO report_events (report_id, at, actor, actor_kind, type, from_status, to_status, note, public, data)
VALUES ($1, $2, $3, $4, $5, nullif($6, ''), nullif($7, ''), nullif($8, ''), $9, $10)`
	currentVersionSQL = `SELECT version FROM reports WHERE id = $1`
	// Events carry the version they produced in data.version; older or other
	// writers' events without one are not part of any version.
	changesSinceSQL = `
SELECT id, at, type, actor, actor_kind, coalesce(from_status, ''), coalesce(to_status, ''), coalesce(note, ''), public, data
FROM report_events
WHERE report_id = $1 AND CASE WHEN jsonb_typeof(data -> 'version') = 'number' THEN (data ->> 'version')::numeric > $2 ELSE false END
ORDER BY id`
)

// UpdateReport applies one caseworker change under the report's row lock.
func (db *DB) UpdateReport(ctx context.Context, id uuid.UUID, scope []string, version int,
	decide func(report.Report) (report.Update, error)) error {
	return db.InTx(ctx, func(tx pgx.Tx) error {
		cur, err := scanStaffReport(tx.QueryRow(ctx, lockReportSQL, id, scope))
		if errors.Is(err, pgx.ErrNoRows) {
			return notInScope(id)
		}
		if err != nil {
			return err
		}
		if version != 0 && cur.Version != version {
			return report.ErrStale
		}
		u, err := decide(cur)
		if err != nil {
			return err
		}
		if err := applyUpdate(ctx, tx, cur, u); err != nil {
			return err
		}
		if u.Status == report.Forwarded && cur.Status != report.Forwarded && cur.Kind == report.KindFelanmalan {
			return db.enqueueDelivery(ctx, tx, cur, u.At, changedBy(u))
		}
		return nil
	})
}

// MergeReports locks both reports (in id order, so two merges of the same pair
// cannot deadlock) and applies the merge to both.
func (db *DB) MergeReports(ctx context.Context, id, into uuid.UUID, scope []string, version int,
	decide func(dup, target report.Report) (report.Update, report.Update, error)) error {
	return db.InTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, lockReportsSQL, []uuid.UUID{id, into}, scope)
		if err != nil {
			return err
		}
		locked, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (report.Report, error) { return scanStaffReport(row) })
		if err != nil {
			return err
		}
		var dup, target *report.Report
		for i := range locked {
			if locked[i].ID == id {
				dup = &locked[i]
			}
			if locked[i].ID == into {
				target = &locked[i]
			}
		}
		if dup == nil {
			return notInScope(id)
		}
		if target == nil {
			return &apperr.Error{Kind: apperr.NotFound, Message: "no report " + into.String() + " to merge into in your municipalities",
				Details: map[string]string{"field": "into"}}
		}
		if version != 0 && dup.Version != version {
			return report.ErrStale
		}
		du, tu, err := decide(*dup, *target)
		if err != nil {
			return err
		}
		if err := applyUpdate(ctx, tx, *dup, du); err != nil {
			return err
		}
		return applyUpdate(ctx, tx, *target, tu)
	})
}

// applyUpdate writes u over cur, bumping the version once, and records its events
// with the version they produced.
func applyUpdate(ctx context.Context, tx pgx.Tx, cur report.Report, u report.Update) error {
	if len(u.Events) == 0 {
		return nil
	}
	var next int
	err := tx.QueryRow(ctx, applyUpdateSQL, cur.ID, cur.Version, u.Status, u.Visibility, u.DuplicateOf, u.At).Scan(&next)
	if errors.Is(err, pgx.ErrNoRows) {
		return report.ErrStale
	}
	if err != nil {
		return translate(err)
	}
	for _, e := range u.Events {
		data := map[string]any{}
		maps.Copy(data, e.Data)
		data["version"] = next
		if _, err := tx.Exec(ctx, insertStaffEventSQL, cur.ID, e.At, e.Actor, e.ActorKind, e.Type,
			string(e.FromStatus), string(e.ToStatus), e.Note, e.Public, data); err != nil {
			return err
		}
	}
	return nil
}

// ChangesSince returns the current version and the events after version.
func (db *DB) ChangesSince(ctx context.Context, id uuid.UUID, version int) (int, []report.StaffEvent, error) {
	var cur int
	if err := db.Pool.QueryRow(ctx, currentVersionSQL, id).Scan(&cur); err != nil {
		return 0, nil, translate(err)
	}
	events, err := staffEvents(ctx, db.Pool, changesSinceSQL, id, version)
	return cur, events, err
}
