package postgres

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/report"
)

// staffColumnsSQL is a report as staff see it, contact included; r is the
// report, m its municipality, c its contact.
const staffColumnsSQL = `
SELECT r.id, r.reference, r.kind, r.category, r.municipality_code, m.name, ST_AsBinary(r.geom),
       r.accuracy_m::float8, r.observed_at, r.received_at, r.updated_at, coalesce(r.description, ''),
       coalesce(r.feeling, 0), coalesce(r.time_of_day, ''), r.status, r.visibility, r.source,
       r.duplicate_of, r.version, r.confirmations, c.name, c.email, c.phone`

// staffReportSQL selects reports by a WHERE clause the query appends.
const staffReportSQL = staffColumnsSQL + `
FROM reports r
JOIN municipalities m ON m.code = r.municipality_code
LEFT JOIN report_contacts c ON c.report_id = r.id`

// The queue reads each municipality's newest reports from reports_queue_idx
// (municipality_code, received_at DESC, id DESC) and merges them: with
// municipality_code = ANY(...) PostgreSQL cannot use that index for the order
// and would sort every report in scope to return one page.
const (
	queueFromSQL = staffColumnsSQL + `
FROM unnest($1::text[]) AS scope (code)
CROSS JOIN LATERAL (
    SELECT * FROM reports r
    WHERE r.municipality_code = scope.code`
	queueJoinSQL = `
    ORDER BY r.received_at DESC, r.id DESC LIMIT $2) r
JOIN municipalities m ON m.code = r.municipality_code
LEFT JOIN report_contacts c ON c.report_id = r.id
ORDER BY r.received_at DESC, r.id DESC LIMIT $2`
)

// Filter fragments of the queue; each ? becomes the next $n bind.
const (
	kindSQL        = `r.kind = ?`
	categorySQL    = `(r.category = ? OR r.category LIKE ? || '.%')`
	statusSQL      = `r.status = ANY(?)`
	visibilitySQL  = `r.visibility = ?`
	bboxSQL        = `r.geom && ST_MakeEnvelope(?, ?, ?, ?, 4326)`
	observedFrom   = `r.observed_at >= ?`
	observedBefore = `r.observed_at < ?`
	// The expression matches the GIN index reports_text_idx, so it is used.
	textSQL        = `to_tsvector('swedish', coalesce(r.description, '')) @@ websearch_to_tsquery('swedish', ?)`
	afterCursorSQL = `(r.received_at, r.id) < (?, ?)`
)

// conditions collects WHERE fragments and their binds in order.
type conditions struct {
	sql  []string
	args []any
}

func (w *conditions) add(fragment string, args ...any) {
	for _, a := range args {
		w.args = append(w.args, a)
		fragment = strings.Replace(fragment, "?", "$"+strconv.Itoa(len(w.args)), 1)
	}
	w.sql = append(w.sql, fragment)
}

// StaffReports returns the queue page f describes.
func (db *DB) StaffReports(ctx context.Context, f report.Filter) ([]report.Report, error) {
	// $1 and $2 are the scope and the page size.
	w := conditions{args: []any{f.Municipalities, f.Limit}}
	if f.Kind != "" {
		w.add(kindSQL, f.Kind)
	}
	if f.Category != "" {
		w.add(categorySQL, f.Category, f.Category)
	}
	if len(f.Statuses) > 0 {
		st := make([]string, len(f.Statuses))
		for i, s := range f.Statuses {
			st[i] = string(s)
		}
		w.add(statusSQL, st)
	}
	if f.Visibility != "" {
		w.add(visibilitySQL, string(f.Visibility))
	}
	if b := f.BBox; b != nil {
		w.add(bboxSQL, b.MinLon, b.MinLat, b.MaxLon, b.MaxLat)
	}
	if f.From != nil {
		w.add(observedFrom, *f.From)
	}
	if f.To != nil {
		w.add(observedBefore, *f.To)
	}
	if f.Text != "" {
		w.add(textSQL, f.Text)
	}
	if c := f.After; c != nil {
		w.add(afterCursorSQL, c.ReceivedAt, c.ID)
	}
	var query strings.Builder
	query.WriteString(queueFromSQL)
	for _, cond := range w.sql {
		query.WriteString("\n      AND " + cond)
	}
	query.WriteString(queueJoinSQL)
	rows, err := db.Pool.Query(ctx, query.String(), w.args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (report.Report, error) { return scanStaffReport(row) })
}

func scanStaffReport(row pgx.Row) (report.Report, error) {
	var r report.Report
	var point []byte
	var name, email, phone *string
	err := row.Scan(&r.ID, &r.Reference, &r.Kind, &r.Category, &r.Municipality.Code, &r.Municipality.Name, &point,
		&r.Location.AccuracyM, &r.ObservedAt, &r.ReceivedAt, &r.UpdatedAt, &r.Description, &r.Feeling, &r.TimeOfDay,
		&r.Status, &r.Visibility, &r.Source, &r.DuplicateOf, &r.Version, &r.Confirmations, &name, &email, &phone)
	if err != nil {
		return r, err
	}
	if r.Location.Lon, r.Location.Lat, err = decodePoint(point); err != nil {
		return r, err
	}
	if name != nil || email != nil || phone != nil {
		r.Contact = &report.Contact{Name: deref(name), Email: deref(email), Phone: deref(phone)}
	}
	return r, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

const (
	staffReportByIDSQL = staffReportSQL + "\nWHERE r.id = $1 AND r.municipality_code = ANY($2)"
	resolvedAtSQL      = `SELECT resolved_at FROM reports WHERE id = $1`
	staffPhotosSQL     = `
SELECT id, content_type, width, height, coalesce(visibility, ''), confirmation_id, merged_from
FROM photos WHERE report_id = $1 ORDER BY created_at, id`
	staffEventsSQL = `
SELECT id, at, type, actor, actor_kind, coalesce(from_status, ''), coalesce(to_status, ''), coalesce(note, ''), public, data
FROM report_events WHERE report_id = $1 ORDER BY id`
)

// StaffReport returns one report in scope with its photos and whole history.
func (db *DB) StaffReport(ctx context.Context, id uuid.UUID, scope []string) (report.Detail, error) {
	var d report.Detail
	r, err := scanStaffReport(db.Pool.QueryRow(ctx, staffReportByIDSQL, id, scope))
	if errors.Is(err, pgx.ErrNoRows) {
		return d, notInScope(id)
	}
	if err != nil {
		return d, err
	}
	d.Report = r
	if err := db.Pool.QueryRow(ctx, resolvedAtSQL, id).Scan(&d.ResolvedAt); err != nil {
		return d, err
	}
	rows, err := db.Pool.Query(ctx, staffPhotosSQL, id)
	if err != nil {
		return d, err
	}
	d.Photos, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (report.PhotoRef, error) {
		var p report.PhotoRef
		err := row.Scan(&p.ID, &p.ContentType, &p.Width, &p.Height, &p.Visibility, &p.ConfirmationID, &p.MergedFrom)
		if len(p.MergedFrom) == 0 {
			p.MergedFrom = nil
		}
		p.URL = "/v1/reports/" + id.String() + "/photos/" + p.ID.String()
		return p, err
	})
	if err != nil {
		return d, err
	}
	d.History, err = staffEvents(ctx, db.Pool, staffEventsSQL, id)
	return d, err
}

// querier is what pool and transaction share.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func staffEvents(ctx context.Context, q querier, query string, args ...any) ([]report.StaffEvent, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (report.StaffEvent, error) {
		var e report.StaffEvent
		err := row.Scan(&e.ID, &e.At, &e.Type, &e.Actor, &e.ActorKind, &e.FromStatus, &e.ToStatus, &e.Note, &e.Public, &e.Data)
		return e, err
	})
}

// notInScope does not say whether the report exists elsewhere.
func notInScope(id uuid.UUID) error {
	return apperr.Errorf(apperr.NotFound, "no report %s in your municipalities", id)
}
