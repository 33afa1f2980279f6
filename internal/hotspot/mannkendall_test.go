package hotspot

import (
	"math"
	"testing"
)

// Worked example, x = 3 1 4 1 5 9 2 6 (n = 8). sign(x_j − x_i) for i < j:
//
//	i=1 (3): − + − + + − +  → +1
//	i=2 (1):   + 0 + + + +  → +5
//	i=3 (4):     − + + − +  → +1
//	i=4 (1):       + + + +  → +4
//	i=5 (5):         + − +  → +1
//	i=6 (9):           − −  → −2
//	i=7 (2):             +  → +1
//
// S = 11. One tie group (the two 1s, t = 2): 2·1·9 = 18.
// Var = (8·7·21 − 18)/18 = 1158/18 = 64.333…; Z = (11 − 1)/√64.333 = 1.246757;
// P = erfc(1.246757/√2) = 0.21248.
//
// Falling with ties, x = 5 5 4 4 3: S = −3 −3 −1 −1 = −8; ties 18 + 18 = 36;
// Var = (5·4·15 − 36)/18 = 264/18 = 14.667; Z = (−8 + 1)/√14.667 = −1.827813.
//
// Strictly rising 1…10: S = 45, Var = 10·9·25/18 = 125, Z = 44/√125 = 3.935480.
func TestMannKendall(t *testing.T) {
	tests := []struct {
		name string
		x    []float64
		s    int
		v, z float64
	}{
		{"worked example", []float64{3, 1, 4, 1, 5, 9, 2, 6}, 11, 1158.0 / 18, 10 / math.Sqrt(1158.0/18)},
		{"falling with ties", []float64{5, 5, 4, 4, 3}, -8, 264.0 / 18, -7 / math.Sqrt(264.0/18)},
		{"strictly rising", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 45, 125, 44 / math.Sqrt(125)},
		{"constant", []float64{2, 2, 2, 2}, 0, 0, 0},
		{"single", []float64{1}, 0, 0, 0},
		{"empty", nil, 0, 0, 0},
		// S = 0 without ties: no trend, Z = 0 not ±1/√Var.
		{"balanced", []float64{1, 4, 3, 2}, 0, 4 * 3 * 13 / 18.0, 0}, // + + + − − −
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := MannKendall(tt.x)
			if got.S != tt.s || !near(got.Var, tt.v, 1e-12) || !near(got.Z, tt.z, 1e-12) {
				t.Errorf("got S=%d Var=%v Z=%v, want S=%d Var=%v Z=%v", got.S, got.Var, got.Z, tt.s, tt.v, tt.z)
			}
			if wantP := math.Erfc(math.Abs(tt.z) / math.Sqrt2); !near(got.P, wantP, 1e-12) {
				t.Errorf("P = %v, want %v", got.P, wantP)
			}
		})
	}
	// The decimals quoted above, so a slip in the formula shows as a number.
	got := MannKendall([]float64{3, 1, 4, 1, 5, 9, 2, 6})
	if !near(got.Z, 1.246757, 1e-6) || !near(got.P, 0.21248, 1e-5) {
		t.Errorf("worked example Z=%v P=%v, want 1.246757 and 0.21248", got.Z, got.P)
	}
	if got := MannKendall([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}); !near(got.Z, 3.935480, 1e-6) {
		t.Errorf("rising Z = %v, want 3.935480", got.Z)
	}
}
