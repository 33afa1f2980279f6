// Package promise is medborgarlöften: what kommun and lokalpolisområde promise
// residents for a period, the commitments it is made of, who is responsible for
// each ("Ansvarig: Kommunen"), the activities logged against them and the
// indicators that say how far each has come.
//
// Evaluation is pure (evaluate.go): given what was measured and the date, an
// indicator is fulfilled, partly fulfilled, not fulfilled or not yet measurable,
// with a sentence saying how that was decided. Measuring is the store's job.
package promise

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
)

// Responsible is who answers for a commitment.
type Responsible string

const (
	Polisen  Responsible = "polisen"
	Kommunen Responsible = "kommunen"
	Both     Responsible = "both"
	Other    Responsible = "other"
)

// IndicatorKind is what an indicator measures.
type IndicatorKind string

const (
	// ActivityCount counts logged activities of one type (walks from the walk
	// records) per calendar year against a yearly target.
	ActivityCount IndicatorKind = "activity_count"
	// ReportCount compares resident reports in a category set (and area) in a
	// current period with a baseline period.
	ReportCount IndicatorKind = "report_count"
	// EventCount does the same for events from other sources.
	EventCount IndicatorKind = "event_count"
	// SurveyValue compares a survey result between two years.
	SurveyValue IndicatorKind = "survey_value"
)

// ActivityWalk is the activity type counted from trygghetsvandringar.
const ActivityWalk = "trygghetsvandring"

// Promise is one medborgarlöfte.
type Promise struct {
	ID             uuid.UUID    `json:"id"`
	Municipality   string       `json:"municipality"`
	Title          string       `json:"title"`
	Partners       []string     `json:"partners"`
	Signatories    []string     `json:"signatories,omitempty"`
	SignedOn       *Date        `json:"signed_on,omitempty"`
	ValidFrom      Date         `json:"valid_from"`
	ValidTo        Date         `json:"valid_to"`
	ProblemPicture string       `json:"problem_picture"`
	FollowUp       string       `json:"follow_up"`
	Commitments    []Commitment `json:"commitments"`
	// Version counts changes to the promise and its commitments; it is the
	// ETag that PATCH and DELETE of a commitment check with If-Match.
	Version int `json:"version"`
}

// Commitment is one promise within a medborgarlöfte.
type Commitment struct {
	ID               uuid.UUID   `json:"id"`
	Text             string      `json:"text"`
	Responsible      Responsible `json:"responsible"`
	ResponsibleOther string      `json:"responsible_other,omitempty"`
	PriorityAreas    []uuid.UUID `json:"priority_areas"`
	Indicators       []Indicator `json:"indicators"`
}

// Indicator is how a commitment's progress is measured.
type Indicator struct {
	ID     uuid.UUID     `json:"id"`
	Kind   IndicatorKind `json:"kind"`
	Label  string        `json:"label"`
	Params Params        `json:"params"`
}

// Params hold what each kind needs; unused fields stay empty.
type Params struct {
	// activity_count
	ActivityType string `json:"activity_type,omitempty"`
	PerYear      int    `json:"per_year,omitempty"`
	// report_count and event_count: periods as lagesbild periods (2016, 2016-Q1, from..to).
	Categories []string   `json:"categories,omitempty"`
	EventTypes []string   `json:"event_types,omitempty"`
	Area       *uuid.UUID `json:"area,omitempty"`
	Baseline   string     `json:"baseline,omitempty"`
	Current    string     `json:"current,omitempty"`
	// Direction is "decrease" or "increase"; Change is its size: per cent for
	// counts, points on the survey's scale for survey values.
	Direction string  `json:"direction,omitempty"`
	Change    float64 `json:"change,omitempty"`
	// survey_value
	SurveyIndicator string `json:"survey_indicator,omitempty"`
	BaselineYear    int    `json:"baseline_year,omitempty"`
	CurrentYear     int    `json:"current_year,omitempty"`
}

// Activity is something done for a commitment.
type Activity struct {
	ID           uuid.UUID  `json:"id"`
	CommitmentID uuid.UUID  `json:"commitment_id"`
	OccurredOn   Date       `json:"occurred_on"`
	Type         string     `json:"type"`
	Description  string     `json:"description"`
	Who          string     `json:"who,omitempty"`
	Area         *uuid.UUID `json:"area,omitempty"`
	Lon          *float64   `json:"lon,omitempty"`
	Lat          *float64   `json:"lat,omitempty"`
	Walk         *uuid.UUID `json:"walk,omitempty"`
}

// Date is a calendar day, written 2006-01-02.
type Date struct{ time.Time }

// ParseDate reads 2006-01-02.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	return Date{t}, err
}

// MarshalJSON writes the day.
func (d Date) MarshalJSON() ([]byte, error) { return []byte(`"` + d.Format(time.DateOnly) + `"`), nil }

// UnmarshalJSON reads the day.
func (d *Date) UnmarshalJSON(b []byte) error {
	t, err := time.Parse(`"`+time.DateOnly+`"`, string(b))
	if err != nil {
		return apperr.Errorf(apperr.Invalid, "dates are written YYYY-MM-DD, got %s", b)
	}
	d.Time = t
	return nil
}

// Validate checks a promise and its commitments before they are stored.
func (p *Promise) Validate() error {
	p.Title = strings.TrimSpace(p.Title)
	if p.Title == "" {
		return apperr.Field("title", "a promise needs a title")
	}
	if p.ValidTo.Before(p.ValidFrom.Time) {
		return apperr.Field("valid_to", "valid_to is before valid_from")
	}
	if len(p.Commitments) == 0 {
		return apperr.Field("commitments", "a promise needs at least one commitment")
	}
	for i := range p.Commitments {
		c := &p.Commitments[i]
		if strings.TrimSpace(c.Text) == "" {
			return apperr.Field("commitments", "commitment %d has no text", i+1)
		}
		switch c.Responsible {
		case Polisen, Kommunen, Both:
		case Other:
			if strings.TrimSpace(c.ResponsibleOther) == "" {
				return apperr.Field("commitments", "commitment %d: responsible is other, so responsible_other must name who", i+1)
			}
		default:
			return apperr.Field("commitments", "commitment %d: responsible must be polisen, kommunen, both or other", i+1)
		}
		for j, ind := range c.Indicators {
			if err := ind.validate(); err != nil {
				return apperr.Field("commitments", "commitment %d, indicator %d: %v", i+1, j+1, err.(*apperr.Error).Message)
			}
		}
	}
	return nil
}

func (ind Indicator) validate() error {
	p := ind.Params
	bad := func(msg string) error { return apperr.Errorf(apperr.Invalid, "%s", msg) }
	switch ind.Kind {
	case ActivityCount:
		if p.ActivityType == "" || p.PerYear < 1 {
			return bad("activity_count needs activity_type and per_year ≥ 1")
		}
	case ReportCount, EventCount:
		if p.Baseline == "" || p.Current == "" {
			return bad(string(ind.Kind) + " needs a baseline and a current period")
		}
		if p.Direction != "decrease" && p.Direction != "increase" {
			return bad("direction must be decrease or increase")
		}
	case SurveyValue:
		if p.SurveyIndicator == "" || p.BaselineYear == 0 || p.CurrentYear <= p.BaselineYear {
			return bad("survey_value needs survey_indicator and baseline_year before current_year")
		}
		if p.Direction != "decrease" && p.Direction != "increase" {
			return bad("direction must be decrease or increase")
		}
	default:
		return bad("kind must be activity_count, report_count, event_count or survey_value")
	}
	return nil
}

// Store keeps promises and measures their indicators.
type Store interface {
	CreatePromise(ctx context.Context, p Promise) (Promise, error)
	Promise(ctx context.Context, id uuid.UUID) (Promise, error)
	Promises(ctx context.Context, municipalities []string) ([]Promise, error)
	DeletePromise(ctx context.Context, id uuid.UUID) error
	LogActivity(ctx context.Context, a Activity) (Activity, error)
	Activities(ctx context.Context, promiseID uuid.UUID) ([]Activity, error)
	Measurer
}

// Measurer counts what indicators need. Ranges are half-open [from, to).
type Measurer interface {
	// ActivitiesPerYear counts a commitment's logged activities of one type, and
	// for ActivityWalk the municipality's held walks, per calendar year.
	ActivitiesPerYear(ctx context.Context, municipality string, commitment uuid.UUID, activityType string, from, to time.Time) (map[int]int, error)
	CountReports(ctx context.Context, municipality string, categories []string, area *uuid.UUID, from, to time.Time) (int, error)
	CountEvents(ctx context.Context, municipality string, types []string, area *uuid.UUID, from, to time.Time) (int, error)
	// SurveyResult is a survey's value and its respondents (n, nil when the
	// survey did not say); value nil when there is no such result.
	SurveyResult(ctx context.Context, municipality string, area *uuid.UUID, indicator string, year int) (value *float64, n *int, err error)
}
