package hotspot

import (
	"math"
	"testing"
)

func TestBinOf(t *testing.T) {
	tests := []struct {
		z, p float64
		want Bin
	}{
		{2.8, 0.005, 3},
		{-2.8, 0.005, -3},
		{2.1, 0.0357, 2},
		{-1.7, 0.089, -1},
		{1.7, 0.10, 1},   // a p exactly on a cut-off is significant (p ≤ α)
		{-1.7, 0.10, -1}, // and so for cold spots
		{1.97, 0.05, 2},
		{-2.6, 0.01, -3},
		{1.6, math.Nextafter(0.10, 1), 0}, // the next float above α is not
		{2.0, math.Nextafter(0.05, 1), 1},
		{2.6, math.Nextafter(0.01, 1), 2},
		{1.0, 0.3173, 0},
		{0, 0.001, 0},                   // no direction, no spot
		{3, math.NaN(), 0},              // undefined p never counts
		{2.58, 0.0099, 3},               // just inside 99 %
		{1.96, 0.04999, 2},              // just inside 95 %
		{-1.645, 0.09997, -1},           // just inside 90 %
		{5, 0.07 /* FDR-adjusted */, 1}, // a strong z demoted by FDR
	}
	for _, tt := range tests {
		if got := BinOf(tt.z, tt.p); got != tt.want {
			t.Errorf("BinOf(%v, %v) = %d, want %d", tt.z, tt.p, got, tt.want)
		}
	}
}

func TestBinsAndConfidence(t *testing.T) {
	got := Bins([]float64{3, -2, 0.5}, []float64{0.001, 0.04, 0.6})
	want := []Bin{3, -2, 0}
	for k := range want {
		if got[k] != want[k] {
			t.Errorf("Bins[%d] = %d, want %d", k, got[k], want[k])
		}
	}
	for b, c := range map[Bin]int{3: 99, -3: 99, 2: 95, -2: 95, 1: 90, -1: 90, 0: 0} {
		if got := b.Confidence(); got != c {
			t.Errorf("Bin(%d).Confidence() = %d, want %d", b, got, c)
		}
	}
}

// TestBinsKeepTheBenjaminiHochbergTie checks the FDR bins against the step-up
// procedure where it is decided by a tie. With m = 2 p-values 0.025 and 0.05 at
// α = 0.05: the largest k with p_(k) ≤ k·α/m is k = 2 (0.05 ≤ 2·0.05/2), so both
// are discoveries at 95 %. Their adjusted p-values are both exactly 0.05.
func TestBinsKeepTheBenjaminiHochbergTie(t *testing.T) {
	adj := BenjaminiHochberg([]float64{0.025, 0.05})
	if adj[0] != 0.05 || adj[1] != 0.05 {
		t.Fatalf("adjusted p = %v, want [0.05 0.05]", adj)
	}
	if got := Bins([]float64{2.2, -1.96}, adj); got[0] != 2 || got[1] != -2 {
		t.Errorf("bins %v, want [2 -2]: both are discoveries at FDR 0.05", got)
	}
}
