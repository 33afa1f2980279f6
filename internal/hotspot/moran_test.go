package hotspot

import (
	"math"
	"testing"
)

// A row of four cells, rook neighbours, x = 1 2 3 4. Deviations −1.5 −0.5 0.5
// 1.5, Σ(x − X̄)² = 5. Neighbour pairs (1,2) (2,3) (3,4) both ways: S0 = 6,
// Σ w_ij d_i d_j = 2·(0.75 − 0.25 + 0.75) = 2.5, so I = (4/6)·(2.5/5) = 1/3.
// E[I] = −1/3. S1 = 12, S2 = 4·(1 + 4 + 4 + 1) = 40;
// Var = (16·12 − 4·40 + 3·36)/(15·36) − 1/9 = 140/540 − 1/9 = 0.148148;
// Z = (1/3 + 1/3)/√0.148148 = √3.
//
// R spdep 1.2-7 moran.test(x, nb2listw(nb, style = "B"), randomisation =
// FALSE) agrees, and gives for the 4×4 grid of TestGiStarAgainstSpdep:
// queen I = 0.1181199752628324, Var = 0.0137228224623183, Z = 1.57742547711916;
// band 2 I = 0.06045678459471563, Var = 0.00799173097697264, Z = 1.42201850176409.
func TestGlobalMoran(t *testing.T) {
	x4 := []float64{0, 3, 1, 0, 2, 8, 5, 1, 1, 4, 2, 0, 0, 1, 0, 0}
	tests := []struct {
		name        string
		cells       []Index
		nb          Neighbourhood
		values      []float64
		i, v, z     float64
		expectation float64
	}{
		{"row of four", block(4, 1), Neighbourhood{Rule: Rook}, []float64{1, 2, 3, 4}, 1.0 / 3, 140.0/540 - 1.0/9, math.Sqrt(3), -1.0 / 3},
		{"4x4 queen", block(4, 4), Neighbourhood{Rule: Queen}, x4, 0.1181199752628324, 0.0137228224623183, 1.57742547711916, -1.0 / 15},
		{"4x4 band 2", block(4, 4), Neighbourhood{Rule: DistanceBand, Distance: 2}, x4, 0.06045678459471563, 0.00799173097697264, 1.42201850176409, -1.0 / 15},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := BuildWeights(Grid{Size: 1, Shape: Square}, tt.cells, tt.nb)
			if err != nil {
				t.Fatal(err)
			}
			m, err := GlobalMoran(tt.values, w)
			if err != nil {
				t.Fatal(err)
			}
			if !near(m.I, tt.i, 1e-12) || !near(m.Variance, tt.v, 1e-12) || !near(m.Z, tt.z, 1e-12) || !near(m.Expected, tt.expectation, 1e-15) {
				t.Errorf("got %+v, want I %v Var %v Z %v", m, tt.i, tt.v, tt.z)
			}
		})
	}
}

func TestGlobalMoranUndefined(t *testing.T) {
	g := Grid{Size: 1, Shape: Square}
	w, _ := BuildWeights(g, block(3, 3), Neighbourhood{Rule: Queen})
	if m, _ := GlobalMoran(make([]float64, 9), w); m.Z != 0 || m.P != 1 {
		t.Errorf("all zero: %+v, want Z 0 P 1", m)
	}
	// Cells too far apart to have neighbours: S0 = 0.
	far, _ := BuildWeights(g, []Index{{0, 0}, {5, 5}, {9, 0}}, Neighbourhood{Rule: Queen})
	if m, _ := GlobalMoran([]float64{1, 2, 3}, far); m.Z != 0 || m.P != 1 {
		t.Errorf("no neighbours: %+v, want Z 0 P 1", m)
	}
	if _, err := GlobalMoran([]float64{1, 2}, w); err == nil {
		t.Error("length mismatch: want an error")
	}
}
