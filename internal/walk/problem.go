package walk

import (
	"errors"
	"math"
	"time"

	"github.com/paulmach/orb"

	"github.com/trygg/trygg/internal/apperr"
)

// Kind says where a candidate place comes from.
type Kind string

const (
	KindHotspot     Kind = "hotspot"      // a significant hotspot cell
	KindCluster     Kind = "cluster"      // a cluster of reports
	KindOpenMeasure Kind = "open_measure" // a measure from an earlier walk to follow up
	KindManual      Kind = "manual"       // added by the planner
)

// Candidate is a place the walk may stop at.
type Candidate struct {
	ID    string
	Name  string // shown in GPX and on the map; ID when empty
	Point orb.Point
	// Score is how much visiting the place is worth; only relative sizes
	// matter. Must be finite and not negative.
	Score float64
	// Reason says why the place is suggested ("12 reports of darkness in
	// March"); it travels to the route's stops, GPX and GeoJSON.
	Reason    string
	MustVisit bool
	Kind      Kind
}

// Label returns the candidate's Name, or its ID when it has none.
func (c Candidate) Label() string {
	if c.Name != "" {
		return c.Name
	}
	return c.ID
}

// Problem is one request for a route. Give BudgetMetres, BudgetMinutes or
// both; when both are given the route must fit both.
type Problem struct {
	Start orb.Point
	// End is where the walk finishes; nil means back at Start.
	End *orb.Point
	// BudgetMetres bounds the walking length alone; stop time does not count
	// against it.
	BudgetMetres float64
	// BudgetMinutes bounds walking time (length / Speed) plus StopMinutes at
	// every stop.
	BudgetMinutes float64
	StopMinutes   float64
	// Speed is the group's walking speed in m/s; 0 means DefaultSpeed.
	Speed      float64
	Candidates []Candidate
	// AvoidUnlit prefers lit streets between stops (see package doc). The
	// legs then follow the lit-preferring paths and their real lengths count
	// against the budget, even where a darker, shorter path would fit more.
	AvoidUnlit bool
	// MaxSnapMetres is how far a place may lie from the nearest street point
	// and still be visited; 0 means DefaultMaxSnapMetres.
	MaxSnapMetres float64
	// TimeLimit bounds the search; 0 means DefaultTimeLimit. Iterations
	// bounds it too (0 means DefaultIterations), so that with the same Seed
	// a fast machine and a slow one give the same route unless the time
	// limit cuts the search short.
	TimeLimit  time.Duration
	Iterations int
	Seed       uint64
}

// Defaults for zero fields of a Problem.
const (
	// DefaultSpeed is 3.6 km/h: a group that stops to look and talk walks
	// slower than the usual 5 km/h.
	DefaultSpeed         = 1.0
	DefaultMaxSnapMetres = 150.0
	DefaultTimeLimit     = 300 * time.Millisecond
	DefaultIterations    = 3000
)

// Errors a plan can end with. They are wrapped in *apperr.Error of kind
// Unprocessable (or Invalid for a malformed problem), so the HTTP layer maps
// them to 422 (400); test for them with errors.Is.
var (
	ErrInvalidProblem = errors.New("invalid walk problem")
	// ErrStartNotOnNetwork: Start or End is farther than MaxSnapMetres from
	// any street.
	ErrStartNotOnNetwork = errors.New("start or end is too far from any street")
	// ErrEndUnreachable: no street path joins Start and End.
	ErrEndUnreachable = errors.New("end cannot be reached from start")
	// ErrMustVisitUnreachable: a must-visit place is too far from any street
	// or not connected to the start.
	ErrMustVisitUnreachable = errors.New("a must-visit place cannot be reached")
	// ErrBudgetTooSmall: the shortest route through all must-visit places
	// (or from Start to End alone) is longer than the budget. Up to 12
	// must-visit places are ordered exactly; beyond that the order is
	// heuristic, and a budget that only just fits may be refused.
	ErrBudgetTooSmall = errors.New("budget too small for the must-visit places")
)

func unprocessable(err error, format string, args ...any) error {
	e := apperr.Errorf(apperr.Unprocessable, format, args...)
	e.Err = err
	return e
}

func invalid(field, format string, args ...any) error {
	e := apperr.Field(field, format, args...)
	e.Err = ErrInvalidProblem
	return e
}

// validate checks the problem and fills in defaults.
func (p *Problem) validate() error {
	if !validPoint(p.Start) {
		return invalid("start", "start must be a lon/lat point")
	}
	if p.End != nil && !validPoint(*p.End) {
		return invalid("end", "end must be a lon/lat point")
	}
	if !(p.BudgetMetres >= 0) || !(p.BudgetMinutes >= 0) || p.BudgetMetres == 0 && p.BudgetMinutes == 0 ||
		math.IsInf(p.BudgetMetres, 0) || math.IsInf(p.BudgetMinutes, 0) {
		return invalid("budget", "give a positive length or duration budget")
	}
	if !(p.StopMinutes >= 0) || math.IsInf(p.StopMinutes, 0) {
		return invalid("stop_minutes", "stop minutes must not be negative")
	}
	if !(p.Speed >= 0) || math.IsInf(p.Speed, 0) || !(p.MaxSnapMetres >= 0) || p.TimeLimit < 0 || p.Iterations < 0 {
		return invalid("speed", "speed, snap distance, time limit and iterations must not be negative")
	}
	seen := make(map[string]bool, len(p.Candidates))
	for _, c := range p.Candidates {
		if !validPoint(c.Point) {
			return invalid("candidates", "candidate %q must be a lon/lat point", c.ID)
		}
		if !(c.Score >= 0) || math.IsInf(c.Score, 0) {
			return invalid("candidates", "candidate %q has score %v; scores must be finite and not negative", c.ID, c.Score)
		}
		if seen[c.ID] {
			return invalid("candidates", "candidate id %q appears twice", c.ID)
		}
		seen[c.ID] = true
	}
	if p.Speed == 0 {
		p.Speed = DefaultSpeed
	}
	if p.MaxSnapMetres == 0 {
		p.MaxSnapMetres = DefaultMaxSnapMetres
	}
	if p.TimeLimit == 0 {
		p.TimeLimit = DefaultTimeLimit
	}
	if p.Iterations == 0 {
		p.Iterations = DefaultIterations
	}
	return nil
}

func validPoint(p orb.Point) bool {
	return p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90
}

// lengthLimit returns the most metres a route with the given number of stops
// may walk: BudgetMetres, and the walking time left by BudgetMinutes after
// the stops, whichever is smaller.
func (p *Problem) lengthLimit(stops int) float64 {
	limit := math.Inf(1)
	if p.BudgetMetres > 0 {
		limit = p.BudgetMetres
	}
	if p.BudgetMinutes > 0 {
		walking := (p.BudgetMinutes - float64(stops)*p.StopMinutes) * 60 * p.Speed
		limit = min(limit, walking)
	}
	return limit
}

// duration is the time a route takes: walking plus stops.
func (p *Problem) duration(length float64, stops int) time.Duration {
	secs := length/p.Speed + float64(stops)*p.StopMinutes*60
	return time.Duration(secs * float64(time.Second))
}
