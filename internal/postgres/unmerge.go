package postgres

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/trygg/trygg/internal/report"
)

// The merge event on the duplicate names the kept report in data.into and the
// status the duplicate had in from_status (report.PlanMerge writes it so). The
// latest such event is the merge in force: the kept report may have changed
// since by re-pointing along a chain, which leaves the status before alone.
const lastMergeSQL = `
SELECT r.status, r.duplicate_of,
       coalesce((SELECT e.from_status FROM report_events e
                 WHERE e.report_id = r.id AND e.type = 'merged' AND e.data ? 'into'
                 ORDER BY e.id DESC LIMIT 1), '')
FROM reports r WHERE r.id = $1 AND r.municipality_code = ANY ($2)`

// LastMerge returns what undoing report id's merge needs, within scope.
func (db *DB) LastMerge(ctx context.Context, id uuid.UUID, scope []string) (report.MergeRecord, error) {
	var m report.MergeRecord
	err := db.Pool.QueryRow(ctx, lastMergeSQL, id, scope).Scan(&m.Status, &m.Into, &m.Before)
	if errors.Is(err, pgx.ErrNoRows) {
		return m, notInScope(id)
	}
	return m, err
}
