package report

import "github.com/trygg/trygg/internal/apperr"

// Status is where a felanmälan is in its repair workflow.
type Status string

const (
	Received   Status = "received"
	Triaged    Status = "triaged"
	InProgress Status = "in_progress"
	Resolved   Status = "resolved"
	Forwarded  Status = "forwarded"
	Rejected   Status = "rejected"
	Duplicate  Status = "duplicate"
)

// transitions lists where a felanmälan may go from each status. Resolved and
// rejected reports may be reopened; duplicate is reached only by merging.
var transitions = map[Status][]Status{
	Received:   {Triaged, InProgress, Forwarded, Rejected},
	Triaged:    {InProgress, Forwarded, Resolved, Rejected},
	InProgress: {Forwarded, Resolved, Rejected},
	Forwarded:  {InProgress, Resolved, Rejected},
	Resolved:   {InProgress},
	Rejected:   {Triaged},
	Duplicate:  {},
}

// Valid reports whether s is one of the known statuses.
func (s Status) Valid() bool {
	_, ok := transitions[s]
	return ok
}

// Open reports whether work on the report is still to be done.
func (s Status) Open() bool {
	return s == Received || s == Triaged || s == InProgress || s == Forwarded
}

// CheckTransition returns a Conflict error when a report of kind may not move
// from one status to another.
func CheckTransition(kind string, from, to Status) error {
	if !to.Valid() {
		return apperr.Field("status", "unknown status %q", to)
	}
	if kind == KindOtrygghet {
		return apperr.Errorf(apperr.Conflict, "otrygghet reports have no repair workflow; moderate them (visibility) instead")
	}
	if to == Duplicate {
		return apperr.Errorf(apperr.Conflict, "mark a duplicate with POST /v1/staff/reports/{id}/merge")
	}
	for _, s := range transitions[from] {
		if s == to {
			return nil
		}
	}
	return &apperr.Error{Kind: apperr.Conflict,
		Message: "a report that is " + string(from) + " cannot become " + string(to),
		Details: map[string]any{"from": from, "to": to, "allowed": transitions[from]}}
}

// Allowed lists the statuses a felanmälan may move to from s.
func Allowed(s Status) []Status { return transitions[s] }
