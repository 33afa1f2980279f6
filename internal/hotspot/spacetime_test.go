package hotspot

import (
	"math"
	"testing"
)

// Three cells in a row, rook neighbours, two time steps:
//
//	A(0,0): 1 0    B(1,0): 2 4    C(2,0): 0 1
//
// Over the cube: n = 6, Σx = 8, X̄ = 4/3, Σx² = 22, S² = 22/6 − 16/9 = 17/9.
// Spatial sums (self + rook) per step: A 3, 4; B 3, 5; C 2, 5.
//
// One previous step (the ArcGIS default):
//
//	A t0: Σ 3, W 2: (3 − 8/3) / (S·√((12 − 4)/5))    = 1/√27.2  =  0.191741
//	A t1: Σ 7, W 4: (7 − 16/3) / (S·√((24 − 16)/5))  = 5/√27.2  =  0.958706
//	B t0: Σ 3, W 3: (3 − 4) / (S·√((18 − 9)/5))      = −3/√30.6 = −0.542326
//	B t1: Σ 8, W 6 = n: undefined → 0
//	C t0: Σ 2, W 2: (2 − 8/3) / (S·√1.6)             = −2/√27.2 = −0.383482
//	C t1: Σ 7, W 4: as A t1                          =  0.958706
//
// No previous step: B t1 is Σ 5, W 3: (5 − 4)/(S·√1.8) = 3/√30.6 = 0.542326.
func TestSpaceTimeGiStar(t *testing.T) {
	g := Grid{Size: 1, Shape: Square}
	w, err := BuildWeights(g, []Index{{0, 0}, {1, 0}, {2, 0}}, Neighbourhood{Rule: Rook})
	if err != nil {
		t.Fatal(err)
	}
	values := [][]float64{{1, 0}, {2, 4}, {0, 1}}
	z, p, err := SpaceTimeGiStar(values, w, 1)
	if err != nil {
		t.Fatal(err)
	}
	r27, r30 := math.Sqrt(27.2), math.Sqrt(30.6)
	want := [][]float64{{1 / r27, 5 / r27}, {-3 / r30, 0}, {-2 / r27, 5 / r27}}
	for k := range want {
		for s := range want[k] {
			if !near(z[k][s], want[k][s], 1e-12) {
				t.Errorf("z[%d][%d] = %v, want %v", k, s, z[k][s], want[k][s])
			}
		}
	}
	if p[1][1] != 1 {
		t.Errorf("undefined bin p = %v, want 1", p[1][1])
	}
	if !near(want[0][0], 0.191741, 1e-6) || !near(want[1][0], -0.542326, 1e-6) {
		t.Errorf("hand arithmetic slipped: %v %v", want[0][0], want[1][0])
	}

	z0, _, err := SpaceTimeGiStar(values, w, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !near(z0[1][1], 3/r30, 1e-12) {
		t.Errorf("no previous step: z[B][1] = %v, want %v", z0[1][1], 3/r30)
	}
	// With no previous steps each slice is a plain Gi* against the cube mean;
	// step 0 of A equals the one-previous-step value (nothing before it).
	if !near(z0[0][0], z[0][0], 1e-12) {
		t.Errorf("first step differs: %v vs %v", z0[0][0], z[0][0])
	}
}

func TestSpaceTimeGiStarErrors(t *testing.T) {
	w, _ := BuildWeights(Grid{Size: 1, Shape: Square}, []Index{{0, 0}, {1, 0}}, Neighbourhood{Rule: Rook})
	if _, _, err := SpaceTimeGiStar([][]float64{{1, 2}, {3}}, w, 1); err == nil {
		t.Error("ragged cube: want an error")
	}
	if _, _, err := SpaceTimeGiStar([][]float64{{1, 2}}, w, 1); err == nil {
		t.Error("one series for two cells: want an error")
	}
	if _, _, err := SpaceTimeGiStar([][]float64{{1, 2}, {3, 4}}, w, -1); err == nil {
		t.Error("negative previous steps: want an error")
	}
}
