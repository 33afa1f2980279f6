package report

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
)

// Detail is one report as a caseworker opens it: the report with its contact and
// photos, its whole history, and where its status may go next.
type Detail struct {
	Report
	ResolvedAt      *time.Time   `json:"resolved_at,omitempty"`
	History         []StaffEvent `json:"history"`
	AllowedStatuses []Status     `json:"allowed_statuses"`
}

// Page is one page of the caseworker queue. NextCursor is empty on the last page.
type Page struct {
	Reports    []Report `json:"reports"`
	NextCursor string   `json:"next_cursor,omitempty"`
}

// ErrStale is returned by a store when the report is no longer at the version
// the caller expected.
var ErrStale = errors.New("report version changed")

// StaffStore is what the caseworker queue needs from storage. Every method is
// limited to the reports in scope (a token's municipalities); a report outside
// it is reported as not found, so a token cannot learn that it exists.
type StaffStore interface {
	// StaffReports returns up to f.Limit reports matching f, newest received first.
	StaffReports(ctx context.Context, f Filter) ([]Report, error)
	StaffReport(ctx context.Context, id uuid.UUID, scope []string) (Detail, error)
	// UpdateReport locks the report, returns ErrStale unless it is at version
	// (0 means any), applies decide's Update and bumps the version, in one
	// transaction. An Update without events writes nothing.
	UpdateReport(ctx context.Context, id uuid.UUID, scope []string, version int, decide func(Report) (Update, error)) error
	// MergeReports is UpdateReport for the two reports of a merge, locked together.
	MergeReports(ctx context.Context, id, into uuid.UUID, scope []string, version int,
		decide func(dup, target Report) (Update, Update, error)) error
	// ChangesSince returns the report's current version and the events that
	// produced the versions after version.
	ChangesSince(ctx context.Context, id uuid.UUID, version int) (int, []StaffEvent, error)
}

// Staff is the caseworker queue: list, open, change and merge reports.
type Staff struct {
	Store StaffStore
	Now   func() time.Time
}

// List returns one page of the queue.
func (s *Staff) List(ctx context.Context, scope []string, q Query) (Page, error) {
	f, err := q.Filter(scope)
	if err != nil {
		return Page{}, err
	}
	// One more than asked tells whether another page follows.
	f.Limit++
	rs, err := s.Store.StaffReports(ctx, f)
	if err != nil {
		return Page{}, err
	}
	p := Page{Reports: rs}
	if len(rs) == f.Limit {
		p.Reports = rs[:len(rs)-1]
		p.NextCursor = CursorAfter(p.Reports[len(p.Reports)-1]).Encode()
	}
	if p.Reports == nil {
		p.Reports = []Report{}
	}
	return p, nil
}

// Get opens one report.
func (s *Staff) Get(ctx context.Context, scope []string, id uuid.UUID) (Detail, error) {
	d, err := s.Store.StaffReport(ctx, id, scope)
	if err != nil {
		return d, err
	}
	d.AllowedStatuses = []Status{}
	if d.Kind == KindFelanmalan {
		d.AllowedStatuses = append(d.AllowedStatuses, Allowed(d.Status)...)
	}
	if d.History == nil {
		d.History = []StaffEvent{}
	}
	return d, nil
}

// Change applies a caseworker's change to the report at version (the client's
// If-Match) and returns the report as it now is.
func (s *Staff) Change(ctx context.Context, scope []string, actor string, id uuid.UUID, version int, ch Change) (Detail, error) {
	at := s.Now()
	err := s.Store.UpdateReport(ctx, id, scope, version, func(cur Report) (Update, error) {
		return Plan(cur, ch, actor, at)
	})
	if err != nil {
		return Detail{}, s.Stale(ctx, id, version, err)
	}
	return s.Get(ctx, scope, id)
}

// Merge marks report id as a duplicate of m.Into. version is the client's
// If-Match on id, or 0 when it sent none.
func (s *Staff) Merge(ctx context.Context, scope []string, actor string, id uuid.UUID, version int, m Merge) (Detail, error) {
	at := s.Now()
	err := s.Store.MergeReports(ctx, id, m.Into, scope, version, func(dup, target Report) (Update, Update, error) {
		return PlanMerge(dup, target, m, actor, at)
	})
	if err != nil {
		return Detail{}, s.Stale(ctx, id, version, err)
	}
	return s.Get(ctx, scope, id)
}

// Stale turns ErrStale into a 412 that tells the client the current version and
// what changed since the version it had, so it can show the caseworker and retry.
func (s *Staff) Stale(ctx context.Context, id uuid.UUID, version int, err error) error {
	if !errors.Is(err, ErrStale) {
		return err
	}
	cur, changes, cerr := s.Store.ChangesSince(ctx, id, version)
	if cerr != nil {
		return cerr
	}
	if changes == nil {
		changes = []StaffEvent{}
	}
	return &apperr.Error{Kind: apperr.PreconditionFailed,
		Message: "the report has changed since you read it; reload it and apply your change again",
		Details: map[string]any{"current_version": cur, "your_version": version, "changes": changes}, Err: err}
}
