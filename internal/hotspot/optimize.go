package hotspot

import (
	"fmt"
	"math"
)

// OptimizeOptions tune Optimize; the zero value is a square grid with the
// defaults below.
type OptimizeOptions struct {
	// Shape of the cells; default Square.
	Shape Shape
	// MaxCells caps the analysis; the cell size grows until the study area
	// holds no more. Default 300 000.
	MaxCells int
	// Bands is how many distance bands the incremental spatial
	// autocorrelation tries; default 10.
	Bands int
}

// Optimized says which parameters Optimize chose and why.
type Optimized struct {
	Grid          Grid
	Neighbourhood Neighbourhood
	// MeanNearestNeighbour is the average distance between distinct report
	// locations, in metres; Locations is how many there were.
	MeanNearestNeighbour float64
	Locations            int
	// Points counts the reports that fell in a cell, Outside those that did
	// not (outside the study area).
	Points, Outside int
	// Bands is the Moran's I profile; Peak tells whether it had a significant
	// peak or the contiguity fallback was used.
	Bands []Band
	Peak  bool
	// Reason explains the choices in a sentence or two for the analyst.
	Reason string
}

// Optimize chooses a cell size and a neighbourhood from the reports
// themselves, in the spirit of ArcGIS Optimized Hot Spot Analysis, and returns
// the cells with their counts ready for Analyze.
//
// Cell size: twice the average nearest-neighbour distance between distinct
// report locations, rounded to two significant figures. If reports were spread
// evenly at random with density λ, that mean distance would be 1/(2√λ) (Clark
// & Evans 1954), so a square of side 2·ANN would hold λ·4·ANN² = 1 report: the
// finest grid on which a typical cell is not empty. Hexagons get the same area.
// The size grows if the study area would otherwise exceed MaxCells.
//
// Neighbourhood: global Moran's I of the counts over widening distance bands
// (incremental spatial autocorrelation). The bands are the successive
// distances at which a new shell of cells joins the neighbourhood — 1, √2, 2,
// √5, … spacings for squares, 1, √3, 2, √7, … for hexagons — so no two bands
// hold the same neighbours, as equal steps on a grid would. The first band whose z-score is above 1.96 and higher than
// both its neighbours in the profile — or the first band, if the profile falls
// from the start — is the scale at which clustering is most pronounced. With no
// such peak (no significant clustering, or z still rising at the widest band)
// it falls back to contiguity: queen for squares, ring 1 for hexagons.
func Optimize(points []Point, area StudyArea, opts OptimizeOptions) (Optimized, []Cell, error) {
	if len(points) < MinOptimizePoints {
		return Optimized{}, nil, ErrTooFewPoints
	}
	shape, maxCells, bands := opts.Shape, opts.MaxCells, opts.Bands
	if shape == "" {
		shape = Square
	}
	if maxCells <= 0 {
		maxCells = 300_000
	}
	if bands <= 0 {
		bands = 10
	}
	ann, locations, err := AverageNearestNeighbour(points)
	if err != nil {
		return Optimized{}, nil, errOneLocation
	}
	side := 2 * ann
	if shape == Hex { // same area as the square: 1.5·√3·s² = side²
		side = side / math.Sqrt(1.5*sqrt3)
	}
	g := Grid{Size: twoFigures(side), Shape: shape}
	if err := g.Validate(); err != nil {
		return Optimized{}, nil, err
	}
	// Grow first against the box alone, so a tiny size over a whole
	// municipality never enumerates tens of millions of cells; the study area
	// fills a fair share of its box, hence the factor 4.
	grown := false
	boxArea := (area.Box.MaxX - area.Box.MinX) * (area.Box.MaxY - area.Box.MinY)
	if est := boxArea / g.Area(); est > 4*float64(maxCells) {
		g.Size = twoFigures(g.Size * math.Sqrt(est/(4*float64(maxCells))) * 1.05)
		grown = true
	}
	cells := g.CellsInside(area.Box, area.Inside)
	for len(cells) > maxCells {
		g.Size = twoFigures(g.Size * math.Sqrt(float64(len(cells))/float64(maxCells)) * 1.05)
		cells = g.CellsInside(area.Box, area.Inside)
		grown = true
	}
	if len(cells) < 3 {
		return Optimized{}, nil, invalid("the study area holds only %d cells of %.0f m", len(cells), g.Size)
	}
	counted, outside, err := CountPoints(g, cells, points)
	if err != nil {
		return Optimized{}, nil, err
	}
	res := Optimized{
		Grid: g, MeanNearestNeighbour: ann, Locations: locations,
		Points: len(points) - outside, Outside: outside,
	}
	if err := res.chooseNeighbourhood(counted, cells, bands); err != nil {
		return Optimized{}, nil, err
	}
	res.Reason = res.explain(grown)
	return res, counted, nil
}

func (o *Optimized) explain(grown bool) string {
	cell := fmt.Sprintf("Cell size %s m", metres(o.Grid.Size))
	if o.Grid.Shape == Hex {
		cell = fmt.Sprintf("Hexagon edge %s m (the area of a square %s m on a side)", metres(o.Grid.Size), metres(math.Sqrt(o.Grid.Area())))
	}
	size := fmt.Sprintf("%s: twice the average distance (%s m) between neighbouring report locations (%d distinct), so evenly spread reports would put about one in each cell.",
		cell, metres(o.MeanNearestNeighbour), o.Locations)
	if grown {
		size = fmt.Sprintf("%s: larger than twice the average distance between neighbouring report locations (%s m) to keep the study area under the cell limit.",
			cell, metres(o.MeanNearestNeighbour))
	}
	first, last := o.Bands[0].Distance, o.Bands[len(o.Bands)-1].Distance
	if o.Peak {
		var z float64
		for _, b := range o.Bands {
			if b.Distance == o.Neighbourhood.Distance {
				z = b.Moran.Z
			}
		}
		return size + fmt.Sprintf(" Neighbourhood %s m: where clustering first peaks (Moran's I z = %.2f) among %d distance bands from %s to %s m.",
			metres(o.Neighbourhood.Distance), z, len(o.Bands), metres(first), metres(last))
	}
	return size + fmt.Sprintf(" Neighbourhood: adjacent cells (%s), because Moran's I showed no significant peak between %s and %s m.",
		o.Neighbourhood.Rule, metres(first), metres(last))
}

// twoFigures rounds to two significant figures (183 → 180, 47.3 → 47), a
// size an analyst can remember and repeat.
func twoFigures(x float64) float64 {
	if x <= 0 {
		return x
	}
	scale := math.Pow(10, math.Floor(math.Log10(x))-1)
	return math.Round(x/scale) * scale
}

func metres(x float64) string {
	if x >= 10 {
		return fmt.Sprintf("%.0f", x)
	}
	return fmt.Sprintf("%.2g", x)
}
