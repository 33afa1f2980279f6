package hotspot

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestQuarticKernel(t *testing.T) {
	h := 100.0
	peak := 3 / (math.Pi * h * h)
	tests := []struct{ d, want float64 }{
		{0, peak},
		// d = h/2: (1 − 1/4)² = 9/16.
		{50, peak * 9 / 16},
		{99.999999, peak * math.Pow(1-0.99999998*0.99999998, 2)},
		{100, 0},
		{250, 0},
	}
	for _, tt := range tests {
		if got := QuarticKernel(tt.d, h); !near(got, tt.want, 1e-15) {
			t.Errorf("K(%v) = %v, want %v", tt.d, got, tt.want)
		}
	}
}

// Every kernel integrates to one, so over a grid that covers all kernels the
// expected counts must add up to the number of points.
func TestKernelDensityConservesMass(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	var points []Point
	for range 50 {
		points = append(points, Point{440000 + 1000*rng.Float64(), 6200000 + 1000*rng.Float64()})
	}
	for _, g := range []Grid{
		{Origin: Point{440000, 6200000}, Size: 10, Shape: Square},
		{Origin: Point{440000, 6200000}, Size: 6, Shape: Hex},
	} {
		cover := Box{440000 - 200, 6200000 - 200, 441200, 6201200}
		cells := g.CellsInside(cover, nil)
		dens, err := KernelDensity(points, g, cells, 150)
		if err != nil {
			t.Fatal(err)
		}
		var total float64
		for _, d := range dens {
			total += d.PerCell
		}
		if math.Abs(total-50)/50 > 0.01 {
			t.Errorf("%s: Σ expected counts = %.3f, want 50 within 1 %%", g.Shape, total)
		}
	}
}

func TestKernelDensityKnownValues(t *testing.T) {
	// One point at the centre of cell (0, 0) of a 10 m grid, h = 20 m.
	g := Grid{Size: 10, Shape: Square}
	cells := []Index{{0, 0}, {1, 0}, {2, 0}, {1, 1}, {5, 5}}
	dens, err := KernelDensity([]Point{{5, 5}}, g, cells, 20)
	if err != nil {
		t.Fatal(err)
	}
	peak := 3 / (math.Pi * 400)
	want := []float64{
		peak,               // d = 0
		peak * 0.75 * 0.75, // d = 10: (1 − 100/400)²
		0,                  // d = 20: on the edge of the kernel
		peak * 0.5 * 0.5,   // d = √200: (1 − 200/400)²
		0,                  // far away
	}
	for k := range want {
		if !near(dens[k].PerSquareMetre, want[k], 1e-15) || !near(dens[k].PerCell, want[k]*100, 1e-13) {
			t.Errorf("cell %v: %+v, want %v per m²", cells[k], dens[k], want[k])
		}
	}
}

func TestKernelDensityErrors(t *testing.T) {
	g := Grid{Size: 10, Shape: Square}
	if _, err := KernelDensity(nil, g, nil, 0); err == nil {
		t.Error("zero bandwidth: want an error")
	}
	if _, err := KernelDensity(nil, g, nil, 100000); err == nil {
		t.Error("bandwidth of a million cells: want an error")
	}
	if _, err := KernelDensity(nil, Grid{Size: 10}, nil, 50); err == nil {
		t.Error("grid without a shape: want an error")
	}
}

// Hand computations of the ArcGIS default search radius.
//
// Square (0,0) (2,0) (0,2) (2,2): mean centre (1,1), every distance √2, so
// Dm = √2 and SD = √(1 + 1) = √2; √(1/ln 2)·√2 = 1.699 > SD, so
// h = 0.9·√2·4^(−0.2) = 0.9·1.41421·0.757858 = 0.964596.
//
// Line 0 1 2 3 100 (y = 0): mean 21.2; distances 18.2 19.2 20.2 21.2 78.8,
// Dm = 20.2; SD = √(7766.8/5) = 39.4127; √(1/ln 2)·20.2 = 24.2627 wins, so
// h = 0.9·24.2627·5^(−0.2) = 0.9·24.2627·0.724780 = 15.82658 — the outlier
// at 100 m does not inflate it.
func TestDefaultBandwidth(t *testing.T) {
	tests := []struct {
		name   string
		points []Point
		want   float64
	}{
		{"square", []Point{{0, 0}, {2, 0}, {0, 2}, {2, 2}}, 0.964596},
		{"line with outlier", []Point{{0, 0}, {1, 0}, {2, 0}, {3, 0}, {100, 0}}, 15.82658},
	}
	for _, tt := range tests {
		got, err := DefaultBandwidth(tt.points)
		if err != nil {
			t.Fatal(err)
		}
		if !near(got, tt.want, 1e-5) {
			t.Errorf("%s: h = %v, want %v", tt.name, got, tt.want)
		}
	}
	for _, pts := range [][]Point{nil, {{1, 1}}, {{3, 3}, {3, 3}, {3, 3}}} {
		if _, err := DefaultBandwidth(pts); err == nil {
			t.Errorf("DefaultBandwidth(%v): want an error", pts)
		}
	}
}
