package hotspot

import (
	"math"
	"math/rand/v2"
	"testing"
)

func lattice(cols, rows int, spacing float64) []Point {
	var pts []Point
	for i := range cols {
		for j := range rows {
			pts = append(pts, Point{500000 + float64(i)*spacing, 6300000 + float64(j)*spacing})
		}
	}
	return pts
}

func bruteANN(pts []Point) float64 {
	pts = distinct(pts)
	var sum float64
	for a, p := range pts {
		best := math.Inf(1)
		for b, q := range pts {
			if a != b {
				best = min(best, math.Hypot(p.X-q.X, p.Y-q.Y))
			}
		}
		sum += best
	}
	return sum / float64(len(pts))
}

func TestAverageNearestNeighbour(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	var random, clustered []Point
	for range 500 {
		random = append(random, Point{1000 * rng.Float64(), 1000 * rng.Float64()})
	}
	for range 300 {
		clustered = append(clustered, Point{5000 + 50*rng.NormFloat64(), 5000 + 50*rng.NormFloat64()})
	}
	clustered = append(clustered, Point{0, 0}, Point{20000, 3})
	tests := []struct {
		name      string
		points    []Point
		want      float64
		locations int
	}{
		{"lattice", lattice(10, 10, 25), 25, 100},
		// Every report doubled: the same 100 locations, the same distance.
		{"lattice with duplicates", append(lattice(10, 10, 25), lattice(10, 10, 25)...), 25, 100},
		{"two points", []Point{{0, 0}, {3, 4}}, 5, 2},
		// All on one line: a flat bounding box.
		{"line", []Point{{0, 7}, {10, 7}, {30, 7}}, (10 + 10 + 20) / 3.0, 3},
		{"random", random, bruteANN(random), 500},
		{"cluster with far outliers", clustered, bruteANN(clustered), 302},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, n, err := AverageNearestNeighbour(tt.points)
			if err != nil {
				t.Fatal(err)
			}
			if !near(got, tt.want, 1e-9) || n != tt.locations {
				t.Errorf("got %v over %d locations, want %v over %d", got, n, tt.want, tt.locations)
			}
		})
	}
	for _, pts := range [][]Point{nil, {{1, 2}}, {{1, 2}, {1, 2}}} {
		if _, _, err := AverageNearestNeighbour(pts); err == nil {
			t.Errorf("%v: want an error", pts)
		}
	}
}
