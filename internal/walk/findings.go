package walk

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
)

// Rating is how a place felt to the group.
type Rating string

const (
	Trygg  Rating = "trygg"
	Otrygg Rating = "otrygg"
)

// Factors an observation may name: what makes the place feel as it does.
var Factors = []string{"lighting", "vegetation", "sightlines", "deserted", "maintenance", "traffic", "people", "signage", "other"}

// Observation is what the group noted at a place during the walk. Each one is
// also stored as a report with source=walk, so it counts in hotspots and the
// lägesbild like any resident's report.
type Observation struct {
	ID         uuid.UUID `json:"id"`
	WalkID     uuid.UUID `json:"walk_id"`
	StopSeq    *int      `json:"stop_seq,omitempty"`
	Point      LatLon    `json:"point"`
	Rating     Rating    `json:"rating"`
	Category   string    `json:"category"`
	Factors    []string  `json:"factors"`
	Note       string    `json:"note,omitempty"`
	ReportID   uuid.UUID `json:"report_id"`
	Reference  string    `json:"report_reference,omitempty"`
	ObservedAt time.Time `json:"observed_at"`
	CreatedBy  string    `json:"created_by"`
	// Photos taken at the place (POST /v1/walks/{id}/observations/{oid}/photos),
	// stored on the observation's report.
	Photos []PhotoRef `json:"photos,omitempty"`
}

// PhotoRef points at a photo of an observation.
type PhotoRef struct {
	ID          uuid.UUID `json:"id"`
	ContentType string    `json:"content_type"`
	Width       int       `json:"width"`
	Height      int       `json:"height"`
	URL         string    `json:"url"`
}

// NewObservation is an observation as sent from a phone on the walk.
type NewObservation struct {
	StopSeq    *int       `json:"stop_seq,omitempty"`
	Point      LatLon     `json:"point"`
	Rating     Rating     `json:"rating"`
	Category   string     `json:"category"`
	Factors    []string   `json:"factors,omitempty"`
	Note       string     `json:"note,omitempty"`
	ObservedAt *time.Time `json:"observed_at,omitempty"`
}

// Validate checks the parts the report domain does not (category, point and
// time are checked again when the report is made).
func (n *NewObservation) Validate() error {
	if n.Rating != Trygg && n.Rating != Otrygg {
		return apperr.Field("rating", "rating must be trygg or otrygg")
	}
	if !n.Point.valid() {
		return apperr.Field("point", "point must be lat/lon")
	}
	for _, f := range n.Factors {
		if !slices.Contains(Factors, f) {
			return apperr.Field("factors", "unknown factor %q (%s)", f, strings.Join(Factors, ", "))
		}
	}
	if n.Factors == nil {
		n.Factors = []string{}
	}
	if utf8.RuneCountInString(n.Note) > 2000 {
		return apperr.Field("note", "note is longer than 2000 characters")
	}
	return nil
}

// Feeling is the report feeling (1 very unsafe … 5 safe) an otrygghet
// report made from the observation carries.
func (r Rating) Feeling() int {
	if r == Otrygg {
		return 2
	}
	return 4
}

// Horizon is when a measure is to be done.
type Horizon string

const (
	Direct    Horizon = "direct"
	ShortTerm Horizon = "short"
	LongTerm  Horizon = "long"
)

// MeasureStatus is how far a measure has come.
type MeasureStatus string

const (
	MeasureOpen       MeasureStatus = "open"
	MeasureInProgress MeasureStatus = "in_progress"
	MeasureDone       MeasureStatus = "done"
	MeasureCancelled  MeasureStatus = "cancelled"
)

// Measure (åtgärd) is what the partners agreed to do about a place.
type Measure struct {
	ID            uuid.UUID     `json:"id"`
	WalkID        uuid.UUID     `json:"walk_id"`
	ObservationID *uuid.UUID    `json:"observation_id,omitempty"`
	What          string        `json:"what"`
	Horizon       Horizon       `json:"horizon"`
	Owner         string        `json:"owner"`
	DueDate       *string       `json:"due_date,omitempty"` // YYYY-MM-DD
	Status        MeasureStatus `json:"status"`
	Point         *LatLon       `json:"point,omitempty"`
	FelanmalanID  *uuid.UUID    `json:"felanmalan_id,omitempty"`
	CheckedAtWalk *uuid.UUID    `json:"checked_at_walk,omitempty"`
	CheckNote     string        `json:"check_note,omitempty"`
	CreatedAt     time.Time     `json:"created_at"`
	UpdatedAt     time.Time     `json:"updated_at"`
}

// NewMeasure is a measure as agreed on the walk.
type NewMeasure struct {
	ObservationID *uuid.UUID `json:"observation_id,omitempty"`
	What          string     `json:"what"`
	Horizon       Horizon    `json:"horizon"`
	Owner         string     `json:"owner"`
	DueDate       *string    `json:"due_date,omitempty"`
	Point         *LatLon    `json:"point,omitempty"`
	FelanmalanID  *uuid.UUID `json:"felanmalan_id,omitempty"`
}

// Validate checks a new measure.
func (n *NewMeasure) Validate() error {
	n.What, n.Owner = strings.TrimSpace(n.What), strings.TrimSpace(n.Owner)
	if n.What == "" || utf8.RuneCountInString(n.What) > 1000 {
		return apperr.Field("what", "what is required, at most 1000 characters")
	}
	switch n.Horizon {
	case Direct, ShortTerm, LongTerm:
	default:
		return apperr.Field("horizon", "horizon must be direct, short or long")
	}
	if n.Owner == "" || utf8.RuneCountInString(n.Owner) > 200 {
		return apperr.Field("owner", "owner is required (kommun unit, polis, bostadsbolag, ...)")
	}
	if n.Point != nil && !n.Point.valid() {
		return apperr.Field("point", "point must be lat/lon")
	}
	return validDate("due_date", n.DueDate)
}

func validDate(field string, d *string) error {
	if d == nil {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, *d); err != nil {
		return apperr.Field(field, "%s must be a date YYYY-MM-DD", field)
	}
	return nil
}

// MeasurePatch changes a measure's status, or records that it was checked
// at a later walk with a note.
type MeasurePatch struct {
	Status        *MeasureStatus `json:"status,omitempty"`
	Owner         *string        `json:"owner,omitempty"`
	DueDate       *string        `json:"due_date,omitempty"`
	FelanmalanID  *uuid.UUID     `json:"felanmalan_id,omitempty"`
	CheckedAtWalk *uuid.UUID     `json:"checked_at_walk,omitempty"`
	CheckNote     *string        `json:"check_note,omitempty"`
}

// Apply changes m by the patch.
func (p MeasurePatch) Apply(m *Measure) error {
	if p.Status != nil {
		switch *p.Status {
		case MeasureOpen, MeasureInProgress, MeasureDone, MeasureCancelled:
			m.Status = *p.Status
		default:
			return apperr.Field("status", "status must be open, in_progress, done or cancelled")
		}
	}
	if p.Owner != nil {
		o := strings.TrimSpace(*p.Owner)
		if o == "" {
			return apperr.Field("owner", "owner must not be empty")
		}
		m.Owner = o
	}
	if err := validDate("due_date", p.DueDate); err != nil {
		return err
	}
	if p.DueDate != nil {
		m.DueDate = p.DueDate
	}
	if p.FelanmalanID != nil {
		m.FelanmalanID = p.FelanmalanID
	}
	if p.CheckNote != nil && p.CheckedAtWalk == nil && m.CheckedAtWalk == nil {
		return apperr.Field("checked_at_walk", "a check note needs checked_at_walk: the walk it was checked at")
	}
	if p.CheckedAtWalk != nil {
		if *p.CheckedAtWalk == m.WalkID {
			return apperr.Field("checked_at_walk", "a measure is checked at a later walk, not the one that agreed it")
		}
		m.CheckedAtWalk = p.CheckedAtWalk
	}
	if p.CheckNote != nil {
		m.CheckNote = *p.CheckNote
	}
	return nil
}

// Open reports whether the measure still needs to be looked at.
func (m Measure) Open() bool { return m.Status == MeasureOpen || m.Status == MeasureInProgress }

// stockholm is the clock walks are held by; a fixed CET offset stands in if
// the zone database is missing.
var stockholm = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Stockholm"); err == nil {
		return l
	}
	return time.FixedZone("CET", 3600)
}()

// TimeOfDay names the part of the day t falls in by the Swedish clock, as
// reports record it: morning 05–10, day 10–17, evening 17–22, night 22–05.
func TimeOfDay(t time.Time) string {
	switch h := t.In(stockholm).Hour(); {
	case h >= 5 && h < 10:
		return "morning"
	case h >= 10 && h < 17:
		return "day"
	case h >= 17 && h < 22:
		return "evening"
	}
	return "night"
}
