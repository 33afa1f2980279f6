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
		{1.7, 0.10, 0}, // "below" the threshold: exactly α is not enough
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
