package hotspot

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/trygg/trygg/internal/apperr"
)

func TestTwoFigures(t *testing.T) {
	for in, want := range map[float64]float64{183: 180, 47.3: 47, 1234: 1200, 9.96: 10, 0.0347: 0.035, 250: 250, 255: 260} {
		if got := twoFigures(in); !near(got, want, 1e-12) {
			t.Errorf("twoFigures(%v) = %v, want %v", in, got, want)
		}
	}
}

func TestShells(t *testing.T) {
	s3 := math.Sqrt(3)
	tests := []struct {
		g    Grid
		want []float64 // in spacings
	}{
		{Grid{Size: 100, Shape: Square}, []float64{1, math.Sqrt2, 2, math.Sqrt(5), math.Sqrt(8), 3, math.Sqrt(10), math.Sqrt(13)}},
		{Grid{Size: 100, Shape: Hex}, []float64{1, s3, 2, math.Sqrt(7), 3, 2 * s3, math.Sqrt(13), 4}},
	}
	for _, tt := range tests {
		got := shells(tt.g, len(tt.want))
		for k := range tt.want {
			if k >= len(got) || !near(got[k], tt.want[k]*tt.g.Spacing(), 1e-9) {
				t.Fatalf("%s: shells = %v, want %v spacings", tt.g.Shape, got, tt.want)
			}
		}
	}
}

func TestFirstPeak(t *testing.T) {
	profile := func(zs ...float64) []Band {
		var b []Band
		for k, z := range zs {
			b = append(b, Band{Distance: float64(100 + 50*k), Moran: Moran{Z: z}})
		}
		return b
	}
	tests := []struct {
		name string
		z    []float64
		want int
		ok   bool
	}{
		{"rise then fall", []float64{2, 3, 4.5, 4, 3}, 2, true},
		{"two peaks, first wins", []float64{2, 5, 4, 6, 3}, 1, true},
		{"falls from the start", []float64{6, 5, 4, 3}, 0, true},
		{"still rising", []float64{2, 3, 4, 5}, 0, false},
		{"peak not significant", []float64{0.5, 1.5, 1.0, 0.7}, 0, false},
		{"insignificant bump, then a real peak", []float64{1.0, 1.5, 1.2, 2.5, 2.1}, 3, true},
		{"flat", []float64{3, 3, 3}, 0, false},
	}
	for _, tt := range tests {
		k, ok := firstPeak(profile(tt.z...))
		if ok != tt.ok || (ok && k != tt.want) {
			t.Errorf("%s: firstPeak = %d, %v; want %d, %v", tt.name, k, ok, tt.want, tt.ok)
		}
	}
}

func TestCountPoints(t *testing.T) {
	g := Grid{Size: 100, Shape: Square}
	cells := []Index{{0, 0}, {1, 0}, {0, 1}}
	counted, outside, err := CountPoints(g, cells, []Point{{10, 10}, {50, 99}, {150, 20}, {250, 20}, {-1, 0}})
	if err != nil {
		t.Fatal(err)
	}
	want := []int{2, 1, 0}
	for k := range want {
		if counted[k].Count != want[k] || counted[k].I != cells[k].I || counted[k].J != cells[k].J {
			t.Errorf("cell %v: %+v, want count %d", cells[k], counted[k], want[k])
		}
	}
	if outside != 2 {
		t.Errorf("outside = %d, want 2", outside)
	}
	if _, _, err := CountPoints(g, []Index{{0, 0}, {0, 0}}, nil); err == nil {
		t.Error("duplicate cells: want an error")
	}
}

// A town of 5 × 5 km with 400 reports spread at random and 250 more in a
// knot of about 150 m around one square.
func townWithCluster(seed uint64) ([]Point, StudyArea, Point) {
	rng := rand.New(rand.NewPCG(seed, 77))
	origin := Point{450000, 6200000}
	centre := Point{origin.X + 3210, origin.Y + 1870}
	var pts []Point
	for range 400 {
		pts = append(pts, Point{origin.X + 5000*rng.Float64(), origin.Y + 5000*rng.Float64()})
	}
	for range 250 {
		pts = append(pts, Point{centre.X + 150*rng.NormFloat64(), centre.Y + 150*rng.NormFloat64()})
	}
	return pts, StudyArea{Box: Box{origin.X, origin.Y, origin.X + 5000, origin.Y + 5000}}, centre
}

func TestOptimize(t *testing.T) {
	pts, area, centre := townWithCluster(5)
	for _, shape := range []Shape{Square, Hex} {
		t.Run(string(shape), func(t *testing.T) {
			opt, cells, err := Optimize(pts, area, OptimizeOptions{Shape: shape})
			if err != nil {
				t.Fatal(err)
			}
			ann := bruteANN(pts)
			side := 2 * ann
			if shape == Hex {
				side /= math.Sqrt(1.5 * math.Sqrt(3))
			}
			if !near(opt.MeanNearestNeighbour, ann, 1e-9) || opt.Grid.Size != twoFigures(side) || opt.Grid.Shape != shape {
				t.Errorf("ANN %v size %v, want %v and %v", opt.MeanNearestNeighbour, opt.Grid.Size, ann, twoFigures(side))
			}
			// Hex cells of the same area as the square: close in count.
			if math.Abs(opt.Grid.Area()-4*ann*ann)/(4*ann*ann) > 0.1 {
				t.Errorf("cell area %v, want about (2·ANN)² = %v", opt.Grid.Area(), 4*ann*ann)
			}
			if opt.Points+opt.Outside != len(pts) || len(opt.Bands) != 10 {
				t.Errorf("points %d + outside %d, bands %d", opt.Points, opt.Outside, len(opt.Bands))
			}
			if !opt.Peak || opt.Neighbourhood.Rule != DistanceBand {
				t.Errorf("no peak found for a clear cluster: %+v", opt.Bands)
			}
			prefix := map[Shape]string{Square: "Cell size ", Hex: "Hexagon edge "}[shape]
			if !strings.HasPrefix(opt.Reason, prefix+metres(opt.Grid.Size)+" m") || !strings.Contains(opt.Reason, "peaks") {
				t.Errorf("reason %q", opt.Reason)
			}
			total := 0
			for _, c := range cells {
				total += c.Count
			}
			if total != opt.Points {
				t.Errorf("cells hold %d points, summary says %d", total, opt.Points)
			}
			// The chosen parameters find the knot.
			res, err := Analyze(cells, opt.Grid, Options{Neighbourhood: opt.Neighbourhood, FDR: true})
			if err != nil {
				t.Fatal(err)
			}
			want := opt.Grid.CellOf(centre.X, centre.Y)
			for _, c := range res.Cells {
				if c.I == want.I && c.J == want.J && c.Bin != 3 {
					t.Errorf("cluster centre %v in bin %d, want 3", want, c.Bin)
				}
			}
		})
	}
}

func TestOptimizeGrowsCellsToTheLimit(t *testing.T) {
	pts, area, _ := townWithCluster(6)
	opt, cells, err := Optimize(pts, area, OptimizeOptions{MaxCells: 200})
	if err != nil {
		t.Fatal(err)
	}
	if len(cells) > 200 || !strings.Contains(opt.Reason, "cell limit") {
		t.Errorf("%d cells of %v m; reason %q", len(cells), opt.Grid.Size, opt.Reason)
	}
}

func TestOptimizeFallsBackWithoutClustering(t *testing.T) {
	// Reports on a perfect lattice: no clustering at any scale.
	pts := lattice(20, 20, 100)
	area := StudyArea{Box: Box{499950, 6299950, 501950, 6301950}}
	opt, _, err := Optimize(pts, area, OptimizeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if opt.Peak || opt.Neighbourhood.Rule != Queen || !strings.Contains(opt.Reason, "no significant peak") {
		t.Errorf("peak %v, neighbourhood %v, reason %q", opt.Peak, opt.Neighbourhood, opt.Reason)
	}
}

func TestOptimizeErrors(t *testing.T) {
	area := StudyArea{Box: Box{0, 0, 1000, 1000}}
	_, _, err := Optimize(lattice(5, 5, 10), area, OptimizeOptions{})
	if !errors.Is(err, ErrTooFewPoints) || apperr.KindOf(err) != apperr.Unprocessable {
		t.Errorf("25 points: err = %v, want ErrTooFewPoints (unprocessable)", err)
	}
	same := make([]Point, 40)
	if _, _, err := Optimize(same, area, OptimizeOptions{}); apperr.KindOf(err) != apperr.Unprocessable {
		t.Errorf("40 reports at one spot: err = %v, want unprocessable", err)
	}
}
