package hotspot

import (
	"math"
	"testing"
)

const tol = 1e-9

func near(a, b, eps float64) bool { return math.Abs(a-b) <= eps }

func TestCenter(t *testing.T) {
	h := math.Sqrt(3) / 2 // hex row half-height for Size 1
	tests := []struct {
		name string
		g    Grid
		c    Index
		want Point
	}{
		{"square origin cell", Grid{Size: 100, Shape: Square}, Index{0, 0}, Point{50, 50}},
		{"square negative column", Grid{Size: 100, Shape: Square}, Index{-1, 2}, Point{-50, 250}},
		{"square shifted origin", Grid{Origin: Point{1000, 6000}, Size: 250, Shape: Square}, Index{2, 3}, Point{1625, 6875}},
		// PostGIS ST_Hexagon(1, 0, 0) is centred on the origin.
		{"hex origin cell", Grid{Size: 1, Shape: Hex}, Index{0, 0}, Point{0, 0}},
		// Odd columns sit half a row (√3/2·Size) higher, also column -1.
		{"hex odd column", Grid{Size: 1, Shape: Hex}, Index{1, 0}, Point{1.5, h}},
		{"hex column -1", Grid{Size: 1, Shape: Hex}, Index{-1, 0}, Point{-1.5, h}},
		{"hex even column row -1", Grid{Size: 10, Shape: Hex}, Index{2, -1}, Point{30, -20 * h}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.g.Center(tt.c)
			if !near(got.X, tt.want.X, tol) || !near(got.Y, tt.want.Y, tol) {
				t.Errorf("Center(%v) = %v, want %v", tt.c, got, tt.want)
			}
		})
	}
}

func TestCellOf(t *testing.T) {
	sq := Grid{Size: 100, Shape: Square}
	hex := Grid{Size: 10, Shape: Hex}
	inradius := 10 * math.Sqrt(3) / 2 // centre to edge midpoint
	tests := []struct {
		name string
		g    Grid
		x, y float64
		want Index
	}{
		{"square inside", sq, 150, 20, Index{1, 0}},
		{"square shared edge goes east", sq, 100, 0, Index{1, 0}},
		{"square negative", sq, -0.5, -100.5, Index{-1, -2}},
		{"hex centre", hex, 0, 0, Index{0, 0}},
		// The neighbour straight north is one spacing (2·inradius) up.
		{"hex just below north edge", hex, 0, 0.99 * inradius, Index{0, 0}},
		{"hex just above north edge", hex, 0, 1.01 * inradius, Index{0, 1}},
		// West corner at (-10, 0): just inside, then into the columns beyond.
		{"hex near west corner", hex, -9.9, 0, Index{0, 0}},
		{"hex past west corner below", hex, -10.5, -0.5, Index{-1, -1}},
		{"hex past west corner above", hex, -10.5, 0.5, Index{-1, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.g.CellOf(tt.x, tt.y); got != tt.want {
				t.Errorf("CellOf(%v, %v) = %v, want %v", tt.x, tt.y, got, tt.want)
			}
		})
	}
}

func TestCellOfCenterRoundTrip(t *testing.T) {
	for _, g := range []Grid{
		{Origin: Point{440000, 6200000}, Size: 100, Shape: Square},
		{Origin: Point{440000, 6200000}, Size: 57.7, Shape: Hex},
	} {
		for i := -7; i <= 7; i++ {
			for j := -7; j <= 7; j++ {
				c := Index{i, j}
				p := g.Center(c)
				if got := g.CellOf(p.X, p.Y); got != c {
					t.Errorf("%s: CellOf(Center(%v)) = %v", g.Shape, c, got)
				}
				// Every corner pulled slightly towards the centre stays in c.
				for _, q := range g.Corners(c) {
					x, y := p.X+0.98*(q.X-p.X), p.Y+0.98*(q.Y-p.Y)
					if got := g.CellOf(x, y); got != c {
						t.Errorf("%s: point near corner of %v falls in %v", g.Shape, c, got)
					}
				}
			}
		}
	}
}

// shoelace is the signed area of a ring; positive means counter-clockwise.
func shoelace(ring []Point) float64 {
	var a float64
	for k := range ring {
		p, q := ring[k], ring[(k+1)%len(ring)]
		a += p.X*q.Y - q.X*p.Y
	}
	return a / 2
}

func TestCorners(t *testing.T) {
	tests := []struct {
		g        Grid
		corners  int
		wantArea float64
	}{
		{Grid{Size: 100, Shape: Square}, 4, 10000},
		// Regular hexagon with edge s: (3√3/2)·s².
		{Grid{Size: 10, Shape: Hex}, 6, 259.8076211353316},
	}
	for _, tt := range tests {
		ring := tt.g.Corners(Index{3, -2})
		if len(ring) != tt.corners {
			t.Fatalf("%s: %d corners, want %d", tt.g.Shape, len(ring), tt.corners)
		}
		if a := shoelace(ring); !near(a, tt.wantArea, 1e-6) {
			t.Errorf("%s: ring area %v (counter-clockwise if positive), want %v", tt.g.Shape, a, tt.wantArea)
		}
		if a := tt.g.Area(); !near(a, tt.wantArea, 1e-6) {
			t.Errorf("%s: Area() = %v, want %v", tt.g.Shape, a, tt.wantArea)
		}
	}
	// PostGIS: ST_Hexagon(1.0, 0, 0) starts at (-1 0) then (-0.5 -0.866…).
	ring := Grid{Size: 1, Shape: Hex}.Corners(Index{0, 0})
	if !near(ring[0].X, -1, tol) || !near(ring[0].Y, 0, tol) || !near(ring[1].X, -0.5, tol) || !near(ring[1].Y, -0.8660254037844386, tol) {
		t.Errorf("hex ring starts %v %v, want PostGIS order (-1 0), (-0.5 -0.866)", ring[0], ring[1])
	}
}

func TestCellsInside(t *testing.T) {
	sq := Grid{Size: 100, Shape: Square}
	box := Box{0, 0, 300, 300}
	if got := sq.CellsInside(box, nil); len(got) != 9 {
		t.Errorf("3×3 box: %d cells, want 9", len(got))
	}
	// A disc of radius 150 around (150, 150): the centre cell and its four
	// rook neighbours have centres within 100 m; the corners are 141 m away
	// (inside), so all 9 again; with radius 120 the corners drop out.
	disc := func(r float64) func(x, y float64) bool {
		return func(x, y float64) bool { return math.Hypot(x-150, y-150) <= r }
	}
	if got := sq.CellsInside(box, disc(150)); len(got) != 9 {
		t.Errorf("disc r=150: %d cells, want 9", len(got))
	}
	if got := sq.CellsInside(box, disc(120)); len(got) != 5 {
		t.Errorf("disc r=120: %d cells, want 5", len(got))
	}
	// Hex size 10: columns at x = 0, 15, 30; rows every 17.32 m, odd columns
	// lifted 8.66 m. Box [0,30]×[0,30] holds y = 0 and 17.32 in columns 0 and
	// 2, and y = 8.66 and 25.98 in column 1.
	hex := Grid{Size: 10, Shape: Hex}
	got := hex.CellsInside(Box{0, 0, 30, 30}, nil)
	want := map[Index]bool{{0, 0}: true, {0, 1}: true, {1, 0}: true, {1, 1}: true, {2, 0}: true, {2, 1}: true}
	if len(got) != len(want) {
		t.Fatalf("hex box: got %v, want %v", got, want)
	}
	for _, c := range got {
		if !want[c] {
			t.Errorf("hex box: unexpected cell %v", c)
		}
	}
}

func TestGridValidate(t *testing.T) {
	bad := []Grid{
		{Size: 0, Shape: Square},
		{Size: -5, Shape: Hex},
		{Size: math.NaN(), Shape: Square},
		{Size: 10, Shape: "triangle"},
		{Origin: Point{math.Inf(1), 0}, Size: 10, Shape: Square},
	}
	for _, g := range bad {
		if err := g.Validate(); err == nil {
			t.Errorf("Validate(%+v) = nil, want an error", g)
		}
	}
	if err := (Grid{Size: 100, Shape: Hex}).Validate(); err != nil {
		t.Errorf("valid grid: %v", err)
	}
}
