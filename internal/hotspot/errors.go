package hotspot

import "github.com/trygg/trygg/internal/apperr"

// ErrTooFewPoints is returned by Optimize when there are too few reports to say
// anything about their spatial pattern. ArcGIS Optimized Hot Spot Analysis asks
// for at least 30 incidents for the same reason; the HTTP layer answers 422.
var ErrTooFewPoints = &apperr.Error{
	Kind:    apperr.Unprocessable,
	Message: "at least 30 reports are needed for an optimized hotspot analysis",
	Details: map[string]int{"min_points": MinOptimizePoints},
}

// errOneLocation: every report at the same coordinates leaves no distances to
// size a grid by.
var errOneLocation = &apperr.Error{
	Kind:    apperr.Unprocessable,
	Message: "all reports are at the same location; an optimized hotspot analysis needs them spread out",
}

// MinOptimizePoints is the smallest number of points Optimize accepts.
const MinOptimizePoints = 30

// invalid reports a caller mistake (bad grid, duplicate cell, ...); the HTTP
// layer answers 400 for these.
func invalid(format string, args ...any) error {
	return apperr.Errorf(apperr.Invalid, "hotspot: "+format, args...)
}
