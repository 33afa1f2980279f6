package hotspot

import (
	"math"
	"sort"
)

// Band is one step of the incremental spatial autocorrelation.
type Band struct {
	Distance float64
	Moran    Moran
}

// peakZ is the z-score a Moran's I peak must exceed to count: clustering
// significant at 95 %.
const peakZ = 1.96

// chooseNeighbourhood runs the incremental spatial autocorrelation and picks
// the band.
func (o *Optimized) chooseNeighbourhood(counted []Cell, cells []Index, bands int) error {
	values := make([]float64, len(counted))
	for k, c := range counted {
		values[k] = float64(c.Count)
	}
	for _, d := range shells(o.Grid, bands) {
		w, err := BuildWeights(o.Grid, cells, Neighbourhood{Rule: DistanceBand, Distance: d})
		if err != nil {
			return err
		}
		m, err := GlobalMoran(values, w)
		if err != nil {
			return err
		}
		o.Bands = append(o.Bands, Band{Distance: d, Moran: m})
	}
	if k, ok := firstPeak(o.Bands); ok {
		o.Peak = true
		o.Neighbourhood = Neighbourhood{Rule: DistanceBand, Distance: o.Bands[k].Distance}
		return nil
	}
	o.Neighbourhood = DefaultNeighbourhood(o.Grid.Shape)
	return nil
}

// shells returns the first count distinct centre-to-centre distances from a
// cell to others, nearest first. All cells see the same shells: square centres
// form a square lattice and hexagon centres a triangular one.
func shells(g Grid, count int) []float64 {
	r := float64(count+1) * g.Spacing()
	c := g.Center(Index{})
	var ds []float64
	g.eachCenterIn(Box{c.X - r, c.Y - r, c.X + r, c.Y + r}, func(o Index, p Point) {
		if o != (Index{}) {
			ds = append(ds, math.Hypot(p.X-c.X, p.Y-c.Y))
		}
	})
	sort.Float64s(ds)
	eps := 1e-9 * g.Spacing()
	var out []float64
	for _, d := range ds {
		if len(out) == count {
			break
		}
		if len(out) == 0 || d > out[len(out)-1]+eps {
			out = append(out, d)
		}
	}
	return out
}

// firstPeak finds the first significant local maximum of the z-score profile;
// the first band counts when the profile falls right away.
func firstPeak(bands []Band) (int, bool) {
	for k, b := range bands {
		z := b.Moran.Z
		if z <= peakZ || k+1 >= len(bands) {
			continue
		}
		if (k == 0 || z > bands[k-1].Moran.Z) && z > bands[k+1].Moran.Z {
			return k, true
		}
	}
	return 0, false
}
