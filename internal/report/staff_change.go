package report

import (
	"encoding/json"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
)

// MaxNote is the longest note a caseworker may add to a report's history.
const MaxNote = 2000

// Change is a caseworker's edit of one report: a new status, a moderation
// decision, a note, or any of them together.
type Change struct {
	Status     *Status     `json:"status,omitempty"`
	Visibility *Visibility `json:"visibility,omitempty"`
	Note       *string     `json:"note,omitempty"`
	// PublicNote shows the note to the resident following the report; notes are
	// internal unless it is set.
	PublicNote bool `json:"public_note,omitempty"`
}

// Merge asks for a report to be marked as a duplicate of another.
type Merge struct {
	Into uuid.UUID `json:"into"`
	Note *string   `json:"note,omitempty"`
}

// StaffEvent is an event as staff see it: with who did it and the event's data
// (moderation from/to, merge partners, the report version it produced).
type StaffEvent struct {
	Event
	Data map[string]any `json:"data,omitempty"`
}

// Update is what one change does to a stored report: its new state and the
// events that record it. The store bumps the version once per Update.
type Update struct {
	Status      Status
	Visibility  Visibility
	DuplicateOf *uuid.UUID
	At          time.Time
	Events      []StaffEvent
}

// decodeStrict reads exactly one JSON object, refusing unknown fields.
func decodeStrict(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return apperr.Errorf(apperr.Invalid, "request body must hold exactly one JSON object")
	}
	return nil
}

// DecodeChange reads and checks a caseworker's change.
func DecodeChange(r io.Reader) (Change, error) {
	var ch Change
	if err := decodeStrict(r, &ch); err != nil {
		return ch, err
	}
	if ch.Status == nil && ch.Visibility == nil && ch.Note == nil {
		return ch, apperr.Errorf(apperr.Invalid, "nothing to change: send status, visibility or note")
	}
	if ch.Status != nil && !ch.Status.Valid() {
		return ch, apperr.Field("status", "unknown status %q", *ch.Status)
	}
	if v := ch.Visibility; v != nil && *v != Pending && *v != Published && *v != Hidden {
		return ch, apperr.Field("visibility", "visibility must be pending, published or hidden")
	}
	if ch.PublicNote && ch.Note == nil {
		return ch, apperr.Field("public_note", "public_note needs a note")
	}
	if ch.Note != nil {
		if err := checkNote(*ch.Note); err != nil {
			return ch, err
		}
	}
	return ch, nil
}

// DecodeMerge reads and checks a merge request.
func DecodeMerge(r io.Reader) (Merge, error) {
	var m Merge
	if err := decodeStrict(r, &m); err != nil {
		return m, err
	}
	if m.Into == uuid.Nil {
		return m, apperr.Field("into", "into (the id of the report to keep) is required")
	}
	if m.Note != nil {
		return m, checkNote(*m.Note)
	}
	return m, nil
}

func checkNote(n string) error {
	if strings.TrimSpace(n) == "" {
		return apperr.Field("note", "note is empty")
	}
	if utf8.RuneCountInString(n) > MaxNote || !utf8.ValidString(n) || strings.ContainsRune(n, 0) {
		return apperr.Field("note", "note must be valid text of at most %d characters", MaxNote)
	}
	return nil
}

// Plan decides what ch does to the report cur, acting as actor at time at.
// Setting a field to the value it already has changes nothing, so a client may
// send the whole state it shows; a Plan without events leaves the report as it is.
func Plan(cur Report, ch Change, actor string, at time.Time) (Update, error) {
	u := Update{Status: cur.Status, Visibility: cur.Visibility, DuplicateOf: cur.DuplicateOf, At: at}
	ev := func(typ string) StaffEvent {
		return StaffEvent{Event: Event{At: at, Type: typ, Actor: actor, ActorKind: "staff"}}
	}
	if ch.Status != nil && *ch.Status != cur.Status {
		if err := CheckTransition(cur.Kind, cur.Status, *ch.Status); err != nil {
			return u, err
		}
		e := ev(EventStatus)
		e.FromStatus, e.ToStatus, e.Public = cur.Status, *ch.Status, true
		u.Events = append(u.Events, e)
		u.Status = *ch.Status
	}
	if ch.Visibility != nil && *ch.Visibility != cur.Visibility {
		e := ev(EventVisibility)
		e.Data = map[string]any{"from": cur.Visibility, "to": *ch.Visibility}
		u.Events = append(u.Events, e)
		u.Visibility = *ch.Visibility
	}
	if ch.Note != nil {
		e := ev(EventNote)
		e.Note, e.Public = *ch.Note, ch.PublicNote
		u.Events = append(u.Events, e)
	}
	return u, nil
}

// PlanMerge decides what marking dup as a duplicate of target does to both.
// Both stay in the queue; dup points at target and its history says so.
func PlanMerge(dup, target Report, m Merge, actor string, at time.Time) (dupU, targetU Update, err error) {
	switch {
	case dup.ID == target.ID:
		err = &apperr.Error{Kind: apperr.Conflict, Message: "a report cannot be merged into itself", Details: map[string]string{"field": "into"}}
	case dup.Status == Duplicate:
		err = apperr.Errorf(apperr.Conflict, "report %s is already a duplicate of %s", dup.Reference, dup.DuplicateOf)
	case target.Status == Duplicate:
		err = &apperr.Error{Kind: apperr.Conflict, Message: "report " + target.Reference + " is itself a duplicate; merge into the report it duplicates",
			Details: map[string]any{"duplicate_of": target.DuplicateOf}}
	case dup.Kind != target.Kind:
		err = apperr.Errorf(apperr.Conflict, "cannot merge a %s report into a %s report", dup.Kind, target.Kind)
	}
	if err != nil {
		return
	}
	ev := func(typ string, data map[string]any) StaffEvent {
		return StaffEvent{Event: Event{At: at, Type: typ, Actor: actor, ActorKind: "staff"}, Data: data}
	}
	into := target.ID
	dupU = Update{Status: Duplicate, Visibility: dup.Visibility, DuplicateOf: &into, At: at}
	targetU = Update{Status: target.Status, Visibility: target.Visibility, DuplicateOf: target.DuplicateOf, At: at}
	// The resident sees that their report was merged; the caseworker's note
	// stays internal on both reports.
	merged := ev(EventMerged, map[string]any{"into": target.ID, "into_reference": target.Reference})
	merged.FromStatus, merged.ToStatus, merged.Public = dup.Status, Duplicate, true
	dupU.Events = append(dupU.Events, merged)
	absorbed := ev(EventMerged, map[string]any{"merged": dup.ID, "merged_reference": dup.Reference})
	if m.Note != nil {
		absorbed.Note = *m.Note
		note := ev(EventNote, nil)
		note.Note = *m.Note
		dupU.Events = append(dupU.Events, note)
	}
	targetU.Events = append(targetU.Events, absorbed)
	return
}
