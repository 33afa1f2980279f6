package report

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
)

// EventUnmerged records that a merge was undone, on both reports.
const EventUnmerged = "unmerged"

// MergeRecord is what undoing a merge needs to know: the report's status now,
// the report it was merged into, and its status before the merge (taken from
// the merge event; empty when no event says).
type MergeRecord struct {
	Status Status
	Into   *uuid.UUID
	Before Status
}

// MergeRecords reads a report's last merge, within scope.
type MergeRecords interface {
	LastMerge(ctx context.Context, id uuid.UUID, scope []string) (MergeRecord, error)
}

// Unmerge undoes the merge of report id: it gets back the status it had before
// and no longer points at the kept report. Confirmations moved by the merge
// move back with it (the database does that whenever duplicate_of changes).
// version is the client's If-Match on id, or 0.
func (s *Staff) Unmerge(ctx context.Context, records MergeRecords, scope []string, actor string, id uuid.UUID, version int) (Detail, error) {
	rec, err := records.LastMerge(ctx, id, scope)
	if err != nil {
		return Detail{}, err
	}
	if rec.Status != Duplicate || rec.Into == nil {
		return Detail{}, &apperr.Error{Kind: apperr.Conflict, Message: "this report is not merged into another",
			Details: map[string]any{"status": rec.Status}}
	}
	at := s.Now()
	err = s.Store.MergeReports(ctx, id, *rec.Into, scope, version, func(dup, target Report) (Update, Update, error) {
		return PlanUnmerge(dup, target, rec.Before, actor, at)
	})
	if err != nil {
		return Detail{}, s.Stale(ctx, id, version, err)
	}
	return s.Get(ctx, scope, id)
}

// PlanUnmerge decides what undoing the merge of dup into target does to both.
// dup returns to before, or to received when the status before the merge is
// unknown, the one status from which every workflow can continue.
func PlanUnmerge(dup, target Report, before Status, actor string, at time.Time) (dupU, targetU Update, err error) {
	if dup.Status != Duplicate || dup.DuplicateOf == nil || *dup.DuplicateOf != target.ID {
		return dupU, targetU, apperr.Errorf(apperr.Conflict, "report %s is no longer merged into %s", dup.Reference, target.Reference)
	}
	if !before.Valid() || before == Duplicate {
		before = Received
	}
	ev := func(data map[string]any) StaffEvent {
		return StaffEvent{Event: Event{At: at, Type: EventUnmerged, Actor: actor, ActorKind: "staff"}, Data: data}
	}
	dupU = Update{Status: before, Visibility: dup.Visibility, At: at}
	// The resident who filed dup follows it again, so they see it come back.
	back := ev(map[string]any{"from": target.ID, "from_reference": target.Reference})
	back.FromStatus, back.ToStatus, back.Public = Duplicate, before, true
	dupU.Events = append(dupU.Events, back)
	targetU = Update{Status: target.Status, Visibility: target.Visibility, DuplicateOf: target.DuplicateOf, At: at}
	targetU.Events = append(targetU.Events, ev(map[string]any{"unmerged": dup.ID, "unmerged_reference": dup.Reference}))
	return dupU, targetU, nil
}
