package hotspot

import (
	"math"
	"sort"
)

// QuarticKernel is the quartic (biweight) kernel in two dimensions,
// K(d) = 3/(π·h²)·(1 − d²/h²)² for d < h and 0 beyond: it integrates to 1
// over the disc of radius h (Silverman 1986, "Density Estimation for
// Statistics and Data Analysis", eq. 4.5; the kernel of ArcGIS Kernel
// Density).
func QuarticKernel(d, h float64) float64 {
	if d >= h {
		return 0
	}
	u := 1 - d*d/(h*h)
	return 3 / (math.Pi * h * h) * u * u
}

// Density is the kernel density at one cell's centre.
type Density struct {
	// PerSquareMetre is reports per m² (multiply by 1e6 for per km²).
	PerSquareMetre float64
	// PerCell is PerSquareMetre × cell area: the expected number of reports
	// in the cell, on the same scale as the counts Gi* works on.
	PerCell float64
}

// maxKernelCells bounds the cells one kernel may touch; beyond it the
// bandwidth is absurd for the cell size and the run would take minutes.
const maxKernelCells = 1_000_000

// KernelDensity sums a quartic kernel of the given bandwidth (metres) around
// every point and evaluates it at the centre of each cell. Only cells within
// the bandwidth of a point are visited, so the cost is points × kernel area /
// cell area.
func KernelDensity(points []Point, g Grid, cells []Index, bandwidth float64) ([]Density, error) {
	if err := g.Validate(); err != nil {
		return nil, err
	}
	if !(bandwidth > 0) || math.IsInf(bandwidth, 0) {
		return nil, invalid("bandwidth must be a positive number of metres, got %v", bandwidth)
	}
	if per := math.Pi * bandwidth * bandwidth / g.Area(); per > maxKernelCells {
		return nil, invalid("a %.0f m bandwidth covers %.0f cells of %.0f m; use larger cells", bandwidth, per, g.Size)
	}
	idx, err := newCellIndex(cells)
	if err != nil {
		return nil, err
	}
	out := make([]Density, len(cells))
	for _, p := range points {
		box := Box{p.X - bandwidth, p.Y - bandwidth, p.X + bandwidth, p.Y + bandwidth}
		g.eachCenterIn(box, func(c Index, q Point) {
			if k := idx.find(c); k >= 0 {
				out[k].PerSquareMetre += QuarticKernel(math.Hypot(q.X-p.X, q.Y-p.Y), bandwidth)
			}
		})
	}
	area := g.Area()
	for k := range out {
		out[k].PerCell = out[k].PerSquareMetre * area
	}
	return out, nil
}

// DefaultBandwidth is the search radius ArcGIS Kernel Density uses when none is
// given (ArcGIS 10.2.1 and later, "How Kernel Density works"), a spatial form
// of Silverman's rule of thumb that resists outliers:
//
//	h = 0.9 · min(SD, √(1/ln 2) · Dm) · n^(−0.2)
//
// where SD is the standard distance of the points, Dm the median distance from
// their mean centre and n the number of points. It fails when the points do
// not spread (fewer than two, or over half of them on the mean centre).
func DefaultBandwidth(points []Point) (float64, error) {
	n := len(points)
	if n < 2 {
		return 0, invalid("a bandwidth needs at least 2 points, got %d", n)
	}
	var mx, my float64
	for _, p := range points {
		mx += p.X
		my += p.Y
	}
	mx, my = mx/float64(n), my/float64(n)
	dist := make([]float64, n)
	var ss float64
	for k, p := range points {
		dx, dy := p.X-mx, p.Y-my
		ss += dx*dx + dy*dy
		dist[k] = math.Hypot(dx, dy)
	}
	sd := math.Sqrt(ss / float64(n))
	sort.Float64s(dist)
	dm := dist[n/2]
	if n%2 == 0 {
		dm = (dist[n/2-1] + dist[n/2]) / 2
	}
	h := 0.9 * min(sd, math.Sqrt(1/math.Ln2)*dm) * math.Pow(float64(n), -0.2)
	if !(h > 0) {
		return 0, invalid("the points do not spread out enough for a default bandwidth; give one")
	}
	return h, nil
}
