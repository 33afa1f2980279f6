package hotspot

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

// block lists the cells of a cols×rows rectangle, column by column.
func block(cols, rows int) []Index {
	var cells []Index
	for i := range cols {
		for j := range rows {
			cells = append(cells, Index{i, j})
		}
	}
	return cells
}

func position(cells []Index, c Index) int {
	for k, x := range cells {
		if x == c {
			return k
		}
	}
	return -1
}

func TestNeighbourCounts(t *testing.T) {
	sq := Grid{Size: 100, Shape: Square}
	hex := Grid{Size: 100, Shape: Hex}
	sqCells := block(7, 7)
	hexCells := block(7, 7)
	tests := []struct {
		name  string
		g     Grid
		cells []Index
		nb    Neighbourhood
		cell  Index
		want  int
	}{
		{"rook interior", sq, sqCells, Neighbourhood{Rule: Rook}, Index{3, 3}, 4},
		{"rook corner", sq, sqCells, Neighbourhood{Rule: Rook}, Index{0, 0}, 2},
		{"queen interior", sq, sqCells, Neighbourhood{Rule: Queen}, Index{3, 3}, 8},
		{"queen edge", sq, sqCells, Neighbourhood{Rule: Queen}, Index{0, 3}, 5},
		{"queen corner", sq, sqCells, Neighbourhood{Rule: Queen}, Index{6, 6}, 3},
		// Centre distance ≤ 2 spacings: Δ² ∈ {1, 2, 4} → 4 + 4 + 4.
		{"square band 200 m", sq, sqCells, Neighbourhood{Rule: DistanceBand, Distance: 200}, Index{3, 3}, 12},
		// Adds Δ = (1, 2) and (2, 1) at √5 = 2.24 spacings: 8 more.
		{"square band 250 m", sq, sqCells, Neighbourhood{Rule: DistanceBand, Distance: 250}, Index{3, 3}, 20},
		{"hex ring interior even column", hex, hexCells, Neighbourhood{Rule: HexRing}, Index{2, 3}, 6},
		{"hex ring interior odd column", hex, hexCells, Neighbourhood{Rule: HexRing}, Index{3, 3}, 6},
		// Column 0, row 0: the odd column 1 is lifted, so only (1, 0) touches it
		// from the east, plus (0, 1) to the north.
		{"hex ring corner", hex, hexCells, Neighbourhood{Rule: HexRing}, Index{0, 0}, 2},
		// Odd column 1, row 0: (0,0),(0,1),(2,0),(2,1),(1,1) — nothing south.
		{"hex ring bottom odd column", hex, hexCells, Neighbourhood{Rule: HexRing}, Index{1, 0}, 5},
		// Ring 2 holds 6 cells at 3·Size and 6 at 2√3·Size (= 2 spacings).
		{"hex band 3 sizes", hex, hexCells, Neighbourhood{Rule: DistanceBand, Distance: 300}, Index{3, 3}, 12},
		{"hex band 2 spacings", hex, hexCells, Neighbourhood{Rule: DistanceBand, Distance: 2 * math.Sqrt(3) * 100}, Index{3, 3}, 18},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := BuildWeights(tt.g, tt.cells, tt.nb)
			if err != nil {
				t.Fatal(err)
			}
			k := position(tt.cells, tt.cell)
			if got := len(w.Neighbours(k)); got != tt.want {
				t.Errorf("%v has %d neighbours, want %d", tt.cell, got, tt.want)
			}
		})
	}
}

// bruteNeighbours is the definition itself: every pair, centre distance ≤ d.
func bruteNeighbours(g Grid, cells []Index, d float64) [][]int {
	out := make([][]int, len(cells))
	for a := range cells {
		pa := g.Center(cells[a])
		for b := range cells {
			pb := g.Center(cells[b])
			if a != b && math.Hypot(pa.X-pb.X, pa.Y-pb.Y) <= d*(1+1e-12) {
				out[a] = append(out[a], b)
			}
		}
	}
	return out
}

func TestWeightsMatchBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for _, shape := range []Shape{Square, Hex} {
		g := Grid{Origin: Point{500000, 6200000}, Size: 50, Shape: shape}
		// A ragged study area: a random 60 % of a 20×20 block, with holes.
		var cells []Index
		for _, c := range block(20, 20) {
			if rng.Float64() < 0.6 {
				cells = append(cells, c)
			}
		}
		for _, d := range []float64{50, 75, 99.9, 120, 260} {
			w, err := BuildWeights(g, cells, Neighbourhood{Rule: DistanceBand, Distance: d})
			if err != nil {
				t.Fatal(err)
			}
			want := bruteNeighbours(g, cells, d)
			for k := range cells {
				got := make([]int, 0, len(w.Neighbours(k)))
				for _, m := range w.Neighbours(k) {
					got = append(got, int(m))
				}
				sort.Ints(got)
				if !equalInts(got, want[k]) {
					t.Fatalf("%s d=%v cell %v: neighbours %v, want %v", shape, d, cells[k], got, want[k])
				}
			}
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if a[k] != b[k] {
			return false
		}
	}
	return true
}

func TestWeightsSparseIndex(t *testing.T) {
	// Two clusters 500 km apart: the bounding rectangle is far too large for a
	// dense index, so the map path is taken; neighbours must be the same.
	g := Grid{Size: 100, Shape: Square}
	cells := []Index{{0, 0}, {1, 0}, {0, 1}, {5000, 5000}, {5001, 5001}}
	w, err := BuildWeights(g, cells, Neighbourhood{Rule: Queen})
	if err != nil {
		t.Fatal(err)
	}
	want := []int{2, 2, 2, 1, 1}
	for k := range cells {
		if got := len(w.Neighbours(k)); got != want[k] {
			t.Errorf("cell %v: %d neighbours, want %d", cells[k], got, want[k])
		}
	}
	idx, _ := newCellIndex(cells)
	if idx.dense != nil {
		t.Errorf("expected the map index for a sparse layout")
	}
}

func TestBuildWeightsErrors(t *testing.T) {
	sq := Grid{Size: 100, Shape: Square}
	hex := Grid{Size: 100, Shape: Hex}
	tests := []struct {
		name  string
		g     Grid
		cells []Index
		nb    Neighbourhood
	}{
		{"queen on hexagons", hex, block(3, 3), Neighbourhood{Rule: Queen}},
		{"hex ring on squares", sq, block(3, 3), Neighbourhood{Rule: HexRing}},
		{"zero band", sq, block(3, 3), Neighbourhood{Rule: DistanceBand}},
		{"negative band", sq, block(3, 3), Neighbourhood{Rule: DistanceBand, Distance: -10}},
		{"band far too wide", sq, block(3, 3), Neighbourhood{Rule: DistanceBand, Distance: 100 * 100}},
		{"unknown rule", sq, block(3, 3), Neighbourhood{Rule: "bishop"}},
		{"duplicate cell", sq, []Index{{0, 0}, {1, 0}, {0, 0}}, Neighbourhood{Rule: Queen}},
		{"bad grid", Grid{Size: 0, Shape: Square}, block(3, 3), Neighbourhood{Rule: Queen}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := BuildWeights(tt.g, tt.cells, tt.nb); err == nil {
				t.Error("want an error")
			}
		})
	}
}

func TestGridNeighbours(t *testing.T) {
	tests := []struct {
		name string
		g    Grid
		c    Index
		nb   Neighbourhood
		want []Index
	}{
		{"rook", Grid{Size: 10, Shape: Square}, Index{5, -2}, Neighbourhood{Rule: Rook},
			[]Index{{4, -2}, {6, -2}, {5, -3}, {5, -1}}},
		// Even column: the odd columns beside it sit half a row up, so its
		// side neighbours are rows j-1 and j there.
		{"hex ring even column", Grid{Size: 10, Shape: Hex}, Index{2, 0}, Neighbourhood{Rule: HexRing},
			[]Index{{2, -1}, {2, 1}, {1, -1}, {1, 0}, {3, -1}, {3, 0}}},
		// Odd column (also -1): rows j and j+1 beside it.
		{"hex ring odd column", Grid{Size: 10, Shape: Hex}, Index{-1, 4}, Neighbourhood{Rule: HexRing},
			[]Index{{-1, 3}, {-1, 5}, {-2, 4}, {-2, 5}, {0, 4}, {0, 5}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.g.Neighbours(tt.c, tt.nb)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for _, w := range tt.want {
				if position(got, w) < 0 {
					t.Errorf("missing %v in %v", w, got)
				}
			}
		})
	}
	if n, _ := (Grid{Size: 10, Shape: Square}).Neighbours(Index{}, Neighbourhood{Rule: Queen}); len(n) != 8 {
		t.Errorf("queen: %d neighbours, want 8", len(n))
	}
	if _, err := (Grid{Size: 10, Shape: Hex}).Neighbours(Index{}, Neighbourhood{Rule: Queen}); err == nil {
		t.Error("queen on hexagons: want an error")
	}
}
