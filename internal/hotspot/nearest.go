package hotspot

import "math"

// AverageNearestNeighbour is the mean distance from each distinct location to
// the nearest other location. Reports at exactly the same coordinates (one
// address, one geocoded street light) count once: they say nothing about how
// far apart places with reports are, and would pull the mean towards zero. It
// also returns how many distinct locations there were.
//
// Points are put in square buckets of about one point each and every search
// widens ring by ring only until no closer point can exist, so the cost is
// about linear in the number of points.
func AverageNearestNeighbour(points []Point) (mean float64, locations int, err error) {
	pts := distinct(points)
	if len(pts) < 2 {
		return 0, len(pts), invalid("nearest-neighbour distance needs at least 2 distinct locations, got %d", len(pts))
	}
	b := newBuckets(pts)
	var sum float64
	for k, p := range pts {
		sum += b.nearest(pts, k, p)
	}
	return sum / float64(len(pts)), len(pts), nil
}

func distinct(points []Point) []Point {
	seen := make(map[Point]bool, len(points))
	out := make([]Point, 0, len(points))
	for _, p := range points {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// buckets is a uniform grid over the points' bounding box.
type buckets struct {
	minX, minY, size float64
	cells            map[Index][]int32
}

func newBuckets(pts []Point) *buckets {
	minX, minY, maxX, maxY := pts[0].X, pts[0].Y, pts[0].X, pts[0].Y
	for _, p := range pts {
		minX, maxX = min(minX, p.X), max(maxX, p.X)
		minY, maxY = min(minY, p.Y), max(maxY, p.Y)
	}
	w, h := maxX-minX, maxY-minY
	// About one point per bucket; a box flat in one direction (points on a
	// line) is sized along the other.
	size := math.Sqrt(w * h / float64(len(pts)))
	if !(size > 0) {
		size = max(w, h) / float64(len(pts))
	}
	b := &buckets{minX: minX, minY: minY, size: size, cells: make(map[Index][]int32, len(pts))}
	for k, p := range pts {
		c := b.of(p)
		b.cells[c] = append(b.cells[c], int32(k))
	}
	return b
}

func (b *buckets) of(p Point) Index {
	return Index{I: int(math.Floor((p.X - b.minX) / b.size)), J: int(math.Floor((p.Y - b.minY) / b.size))}
}

// nearest returns the distance from p (which is pts[self]) to its nearest
// other point. Points in ring r of buckets around p's bucket are at least
// (r−1)·size away, so once the best distance is within r·size no further ring
// can beat it.
func (b *buckets) nearest(pts []Point, self int, p Point) float64 {
	c := b.of(p)
	best := math.Inf(1)
	for r := 0; ; r++ {
		for i := c.I - r; i <= c.I+r; i++ {
			for j := c.J - r; j <= c.J+r; j++ {
				if max(abs(i-c.I), abs(j-c.J)) != r {
					continue // inner rings are done
				}
				for _, k := range b.cells[Index{i, j}] {
					if int(k) != self {
						best = min(best, math.Hypot(pts[k].X-p.X, pts[k].Y-p.Y))
					}
				}
			}
		}
		if best <= float64(r)*b.size {
			return best
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
