package tiles

import (
	"math"
	"net/url"
	"testing"
)

func TestParseShape(t *testing.T) {
	for q, want := range map[string]Shape{"": Square, "shape=square": Square, "shape=hex": Hex, "shape=circle": "", "shape=HEX": ""} {
		v, _ := url.ParseQuery(q)
		got, err := ParseShape(v)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("%q: %q, %v", q, got, err)
		}
	}
}

func TestHexEdgeKeepsTheArea(t *testing.T) {
	for z := 0; z <= MaxZoom; z++ {
		side, edge := float64(CellSize(z)), float64(CellSizeFor(Hex, z))
		if area := 3 * math.Sqrt(3) / 2 * edge * edge; math.Abs(area/(side*side)-1) > 0.02 {
			t.Errorf("z %d: hexagon of edge %v has %.0f m², the square %.0f m²", z, edge, area, side*side)
		}
	}
	if CellSizeFor(Hex, 14) != 78 || CellSizeFor(Square, 14) != 125 {
		t.Errorf("z 14 sizes %d %d", CellSizeFor(Hex, 14), CellSizeFor(Square, 14))
	}
}

// TestHexCellHoldsThePoint: the point lies inside the hexagon HexCell names,
// nearer its centre than any neighbour's.
func TestHexCellHoldsThePoint(t *testing.T) {
	const size = 78.0
	for i := range 2000 {
		x := 450000 + float64(i%50)*13.7
		y := 6570000 + float64(i/50)*11.3
		q, r := HexCell(x, y, size)
		c := HexCorners(q, r, size)
		cx, cy := (c[0][0]+c[3][0])/2, (c[0][1]+c[3][1])/2
		d := math.Hypot(x-cx, y-cy)
		if d > size+1e-9 {
			t.Fatalf("(%v,%v) is %v from the centre of its hexagon %d,%d", x, y, d, q, r)
		}
		for _, n := range [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {1, -1}, {-1, 1}} {
			nc := HexCorners(q+n[0], r+n[1], size)
			if nd := math.Hypot(x-(nc[0][0]+nc[3][0])/2, y-(nc[0][1]+nc[3][1])/2); nd < d-1e-9 {
				t.Fatalf("(%v,%v) is nearer the neighbour %v of %d,%d", x, y, n, q, r)
			}
		}
	}
	// Hexagon 1,0 is the north-east neighbour of 0,0: they share the edge
	// from 0,0's corner 0 to its corner 1 (1,0's corners 4 and 3).
	a, b := HexCorners(0, 0, size), HexCorners(1, 0, size)
	if math.Hypot(a[0][0]-b[4][0], a[0][1]-b[4][1]) > 1e-9 || math.Hypot(a[1][0]-b[3][0], a[1][1]-b[3][1]) > 1e-9 {
		t.Errorf("hexagons 0,0 and 1,0 do not share an edge: %v %v", a, b)
	}
}
