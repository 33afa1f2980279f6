package walk

import (
	"time"

	"github.com/paulmach/orb"
)

// Route is a planned walk.
type Route struct {
	// Start and End are the street points the walk begins and ends at: the
	// nearest to the requested points.
	Start, End orb.Point
	// Stops are in walking order, start and end excluded.
	Stops []Stop
	// Line is the walk along the streets from Start to End, lon/lat.
	Line []orb.Point
	// LengthMetres is the walking length along Line.
	LengthMetres float64
	// Duration is walking time at the problem's speed plus the stop time.
	Duration time.Duration
	// Score is the sum of the stops' scores.
	Score float64
	// Skipped lists every candidate not visited, with the reason.
	Skipped []Skipped
}

// Stop is a candidate on the route.
type Stop struct {
	Candidate Candidate
	// Point is the street point the group stops at, nearest the candidate.
	Point orb.Point
	// SnapMetres is the distance from Candidate.Point to Point.
	SnapMetres float64
	// DistanceMetres is how far along the route the stop is.
	DistanceMetres float64
	// Arrival is the time from the start until the group reaches the stop,
	// counting earlier stops.
	Arrival time.Duration
}

// Reasons a candidate is not on the route.
const (
	SkipTooFar      = "too far from any street"
	SkipUnreachable = "unreachable from start"
	SkipOverBudget  = "over budget"
	// SkipNotChosen: the candidate could fit on its own, but the budget went
	// to places worth more.
	SkipNotChosen = "not chosen: budget spent on higher-scoring places"
)

// Skipped is a candidate left out of the route.
type Skipped struct {
	Candidate Candidate
	Reason    string
}
