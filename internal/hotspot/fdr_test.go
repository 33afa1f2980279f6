package hotspot

import (
	"math"
	"testing"
)

// Hand computation, m = 7. Sorted: 0.005 (#4), 0.01 (#1), 0.03 (#3),
// 0.04 (#2), 0.04 (#6), 0.20 (#5), 0.5 (#7). m/k·p_(k):
//
//	k=1 7·0.005 = 0.035   k=2 3.5·0.01 = 0.035   k=3 (7/3)·0.03 = 0.07
//	k=4 (7/4)·0.04 = 0.07 k=5 (7/5)·0.04 = 0.056 k=6 (7/6)·0.2 = 0.2333…
//	k=7 0.5
//
// Running minimum from k = 7 down: 0.5, 0.2333, 0.056, 0.056, 0.056, 0.035,
// 0.035. R agrees: p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.5), "BH")
// = 0.035 0.056 0.056 0.035 0.2333333 0.056 0.5.
func TestBenjaminiHochberg(t *testing.T) {
	tests := []struct {
		name string
		p    []float64
		want []float64
	}{
		{"worked example",
			[]float64{0.01, 0.04, 0.03, 0.005, 0.20, 0.04, 0.5},
			[]float64{0.035, 0.056, 0.056, 0.035, 7.0 / 6 * 0.2, 0.056, 0.5}},
		// m/k·p exceeds 1 for the smallest: capped at 1, and the cap carries
		// down through the running minimum.
		{"capped at one", []float64{0.9, 0.8}, []float64{0.9, 0.9}},
		{"single", []float64{0.03}, []float64{0.03}},
		{"empty", nil, []float64{}},
		// NaN is treated as 1 (no evidence) rather than poisoning the others.
		{"nan", []float64{math.NaN(), 0.01}, []float64{1, 0.02}},
		// All equal: every adjusted value is m/m·p = p.
		{"ties", []float64{0.02, 0.02, 0.02}, []float64{0.02, 0.02, 0.02}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := BenjaminiHochberg(tt.p)
			if len(got) != len(tt.want) {
				t.Fatalf("len %d, want %d", len(got), len(tt.want))
			}
			for k := range got {
				if !near(got[k], tt.want[k], 1e-12) {
					t.Errorf("adjusted[%d] = %v, want %v", k, got[k], tt.want[k])
				}
			}
		})
	}
}

func TestAdjustPValuesOff(t *testing.T) {
	p := []float64{0.01, 0.2}
	got := AdjustPValues(p, false)
	got[0] = 0.5
	if p[0] != 0.01 {
		t.Error("AdjustPValues(off) must return a copy")
	}
	if adj := AdjustPValues(p, true); !near(adj[0], 0.02, 1e-12) {
		t.Errorf("AdjustPValues(on)[0] = %v, want 0.02", adj[0])
	}
}
