package walk

import (
	"math"

	"github.com/paulmach/orb"

	"github.com/trygg/trygg/internal/streets"
)

// gridCell is the side of a bucket of the nearest-vertex index, in metres.
// Street vertices are rarely more than a few tens of metres apart, so a cell
// of this size holds a handful of them.
const gridCell = 100.0

// metresPerDegree is the length of a degree of latitude on a sphere of the
// mean earth radius; the index needs only rough metres to pick buckets.
const metresPerDegree = 6371008.8 * math.Pi / 180

// grid buckets vertices by a local equirectangular projection around the
// graph's mean latitude: x = Δlon·cos(lat₀), y = Δlat, in metres. Over a
// municipality the projection is off by well under a bucket, and it only
// chooses which vertices to measure; distances are measured geodesically.
type grid struct {
	lon0, lat0, cosLat0 float64
	cells               map[[2]int32][]Vertex
}

func newGrid(points []orb.Point) *grid {
	g := &grid{cells: make(map[[2]int32][]Vertex), cosLat0: 1}
	if len(points) == 0 {
		return g
	}
	for _, p := range points {
		g.lon0 += p[0]
		g.lat0 += p[1]
	}
	g.lon0 /= float64(len(points))
	g.lat0 /= float64(len(points))
	g.cosLat0 = math.Cos(g.lat0 * math.Pi / 180)
	for v, p := range points {
		c := g.cell(p)
		g.cells[c] = append(g.cells[c], Vertex(v))
	}
	return g
}

func (g *grid) project(p orb.Point) (x, y float64) {
	return (p[0] - g.lon0) * g.cosLat0 * metresPerDegree, (p[1] - g.lat0) * metresPerDegree
}

func (g *grid) cell(p orb.Point) [2]int32 {
	x, y := g.project(p)
	return [2]int32{int32(math.Floor(x / gridCell)), int32(math.Floor(y / gridCell))}
}

// Nearest returns the vertex closest to p and its geodesic distance in metres,
// looking no farther than within metres; ok is false when no vertex is that
// close.
func (g *Graph) Nearest(p orb.Point, within float64) (v Vertex, dist float64, ok bool) {
	if len(g.points) == 0 || !(within >= 0) {
		return 0, 0, false
	}
	c := g.grid.cell(p)
	best, bestDist := Vertex(-1), math.Inf(1)
	// Rings of cells around c; ring r holds points at least (r-1)·gridCell
	// away in the projection, so once that passes the best (with a margin for
	// the projection's error) no farther ring can hold a closer vertex.
	maxRing := int32(within/gridCell) + 2
	for r := int32(0); r <= maxRing; r++ {
		if float64(r-1)*gridCell > 1.01*math.Min(bestDist, within)+1 {
			break
		}
		for dx := -r; dx <= r; dx++ {
			for dy := -r; dy <= r; dy++ {
				if max(abs32(dx), abs32(dy)) != r {
					continue
				}
				for _, v := range g.grid.cells[[2]int32{c[0] + dx, c[1] + dy}] {
					if d := streets.Distance(p, g.points[v]); d < bestDist || (d == bestDist && v < best) {
						best, bestDist = v, d
					}
				}
			}
		}
	}
	if best < 0 || bestDist > within {
		return 0, 0, false
	}
	return best, bestDist, true
}

func abs32(x int32) int32 {
	if x < 0 {
		return -x
	}
	return x
}
