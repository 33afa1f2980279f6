package hotspot

import (
	"math"
	"testing"
)

// gi runs GiStar on a block of cells, values listed column by column.
func gi(t *testing.T, g Grid, cells []Index, nb Neighbourhood, values []float64) (z, p []float64) {
	t.Helper()
	w, err := BuildWeights(g, cells, nb)
	if err != nil {
		t.Fatal(err)
	}
	z, p, err = GiStar(values, w)
	if err != nil {
		t.Fatal(err)
	}
	return z, p
}

// The 3×3 grid, counts by column (i) then row (j):
//
//	j=2:  0 1 0
//	j=1:  1 5 1
//	j=0:  0 1 0
//
// n = 9, Σx = 9, X̄ = 1, Σx² = 25 + 4 = 29, S² = 29/9 − 1 = 20/9, S = √20/3.
//
// Queen, corner (0,0): itself, (1,0), (0,1), (1,1) → Σ = 0+1+1+5 = 7, W = 4.
// numerator 7 − 1·4 = 3; denominator S·√((9·4 − 16)/8) = (√20/3)·√2.5 = √50/3.
// z = 9/√50 = 1.2727922.
// Queen, edge (1,0): 6 cells, Σ = 0+1+0+1+5+1 = 8, numerator 8 − 6 = 2;
// denominator S·√((54 − 36)/8) = (√20/3)·1.5 = √5; z = 2/√5 = 0.8944272.
// Queen, centre (1,1): W = 9 = n, so n·W − W² = 0: undefined, reported as 0.
//
// Rook, centre: Σ = 5+1+1+1+1 = 9, W = 5, numerator 4, denominator
// S·√((45 − 25)/8) = √50/3, z = 12/√50 = 1.6970563.
// Rook, corner: Σ = 0+1+1 = 2, W = 3, numerator −1, denominator
// S·√((27 − 9)/8) = √5, z = −1/√5 = −0.4472136.
// Rook, edge (1,0): Σ = 1+0+0+5 = 6, W = 4, numerator 2, denominator √50/3,
// z = 6/√50 = 0.8485281.
//
// R spdep 1.2-7 gives the same (and NaN for the queen centre):
//
//	library(spdep)
//	co <- as.matrix(expand.grid(j = 0:2, i = 0:2)[, c(2, 1)]) + 0.5
//	x  <- c(0,1,0, 1,5,1, 0,1,0)
//	lw <- nb2listw(include.self(dnearneigh(co, 0, sqrt(2) * 1.0001)), style = "B")
//	localG(x, lw)
var grid3x3 = []float64{0, 1, 0, 1, 5, 1, 0, 1, 0}

func TestGiStar3x3(t *testing.T) {
	g := Grid{Size: 1, Shape: Square}
	cells := block(3, 3)
	corner, edge := 9/math.Sqrt(50), 2/math.Sqrt(5)
	tests := []struct {
		name string
		nb   Neighbourhood
		want []float64
	}{
		{"queen", Neighbourhood{Rule: Queen}, []float64{corner, edge, corner, edge, 0, edge, corner, edge, corner}},
		{"rook", Neighbourhood{Rule: Rook}, []float64{
			-1 / math.Sqrt(5), 6 / math.Sqrt(50), -1 / math.Sqrt(5),
			6 / math.Sqrt(50), 12 / math.Sqrt(50), 6 / math.Sqrt(50),
			-1 / math.Sqrt(5), 6 / math.Sqrt(50), -1 / math.Sqrt(5),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z, p := gi(t, g, cells, tt.nb, grid3x3)
			for k := range z {
				if !near(z[k], tt.want[k], 1e-12) {
					t.Errorf("cell %v: z = %.10f, want %.10f", cells[k], z[k], tt.want[k])
				}
				if wantP := math.Erfc(math.Abs(tt.want[k]) / math.Sqrt2); !near(p[k], wantP, 1e-12) {
					t.Errorf("cell %v: p = %v, want %v", cells[k], p[k], wantP)
				}
			}
		})
	}
	// Spot-check the normal tail itself: z = 9/√50 = 1.27279 → p = 0.20309
	// (2·(1 − Φ(1.27279)) from a printed normal table: Φ(1.27) = 0.8980,
	// Φ(1.28) = 0.8997).
	_, p := gi(t, g, cells, Neighbourhood{Rule: Queen}, grid3x3)
	if !near(p[0], 0.2031, 5e-4) {
		t.Errorf("corner p = %v, want ≈ 0.2031", p[0])
	}
}

// The 4×4 and hexagon cases were checked against R spdep 1.2-7 localG with
// include.self binary weights (style "B") on dnearneigh over the cell centres:
//
//	co <- as.matrix(expand.grid(j = 0:3, i = 0:3)[, c(2, 1)]) + 0.5
//	x  <- c(0,3,1,0, 2,8,5,1, 1,4,2,0, 0,1,0,0)
//	localG(x, nb2listw(include.self(dnearneigh(co, 0, sqrt(2)*1.0001)), style = "B"))
//	localG(x, nb2listw(include.self(dnearneigh(co, 0, 2*1.0001)), style = "B"))
//	hx <- expand.grid(j = 0:2, i = 0:3)
//	hc <- cbind(1.5*hx$i, sqrt(3)*(hx$j + 0.5*(hx$i %% 2)))
//	localG(c(0,1,2, 1,6,3, 2,4,1, 0,1,0),
//	       nb2listw(include.self(dnearneigh(hc, 0, sqrt(3)*1.0001)), style = "B"))
func TestGiStarAgainstSpdep(t *testing.T) {
	x4 := []float64{0, 3, 1, 0, 2, 8, 5, 1, 1, 4, 2, 0, 0, 1, 0, 0}
	tests := []struct {
		name   string
		g      Grid
		cells  []Index
		nb     Neighbourhood
		values []float64
		want   []float64
	}{
		{"4x4 queen", Grid{Size: 1, Shape: Square}, block(4, 4), Neighbourhood{Rule: Queen}, x4, []float64{
			1.52894157431288, 1.93732979981385, 1.70940864689457, 0,
			1.70940864689457, 2.27988976504446, 1.83503322552359, -0.341881729378914,
			1.25356634105602, 1.61260495576315, 1.16774841624228, -0.56980288229819,
			-0.254823595718813, -0.56980288229819, -0.797724035217466, -1.27411797859406,
		}},
		{"4x4 band 2", Grid{Size: 1, Shape: Square}, block(4, 4), Neighbourhood{Rule: DistanceBand, Distance: 2}, x4, []float64{
			1.02564518813674, 1.98615336638569, 1.32410224425712, -0.113960576459638,
			1.98615336638569, 2.08298895225265, 1.60687719173776, 0.662051122128562,
			0.88273482950475, 1.60687719173776, 0.892709550965423, -0.441367414752375,
			-0.56980288229819, 0.441367414752375, -0.441367414752375, -1.48148749397529,
		}},
		{"hex ring", Grid{Size: 1, Shape: Hex}, block(4, 3), Neighbourhood{Rule: HexRing},
			[]float64{0, 1, 2, 1, 6, 3, 2, 4, 1, 0, 1, 0}, []float64{
				-1.19353302124279, 0.403189256249072, 1.68666166915801,
				1.11313991024045, 1.85467057874573, 1.68666166915801,
				0, 0.887016363747958, 1.43117988459486,
				0, -0.887016363747958, -1.19353302124279,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z, _ := gi(t, tt.g, tt.cells, tt.nb, tt.values)
			for k := range z {
				if !near(z[k], tt.want[k], 1e-12) {
					t.Errorf("cell %v: z = %.15g, spdep %.15g", tt.cells[k], z[k], tt.want[k])
				}
			}
		})
	}
}

func TestGiStarUndefinedIsZero(t *testing.T) {
	g := Grid{Size: 1, Shape: Square}
	tests := []struct {
		name   string
		cells  []Index
		values []float64
	}{
		// S = 0: all counts equal, including the awkward 0.1 whose mean in
		// floating point is not exactly 0.1.
		{"all zero", block(3, 3), make([]float64, 9)},
		{"all equal", block(3, 3), []float64{4, 4, 4, 4, 4, 4, 4, 4, 4}},
		{"all 0.1", block(2, 3), []float64{0.1, 0.1, 0.1, 0.1, 0.1, 0.1}},
		{"single cell", block(1, 1), []float64{7}},
		// Two cells that neighbour each other: W = n for both.
		{"neighbourhood is everything", block(1, 2), []float64{1, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z, p := gi(t, g, tt.cells, Neighbourhood{Rule: Queen}, tt.values)
			for k := range z {
				if z[k] != 0 || p[k] != 1 {
					t.Errorf("cell %d: z = %v, p = %v; want 0 and 1", k, z[k], p[k])
				}
			}
		})
	}
}

func TestGiStarLengthMismatch(t *testing.T) {
	w, err := BuildWeights(Grid{Size: 1, Shape: Square}, block(2, 2), Neighbourhood{Rule: Queen})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := GiStar([]float64{1, 2, 3}, w); err == nil {
		t.Error("want an error for 3 values on 4 cells")
	}
}
