package hotspot

import (
	"math"
	"testing"
)

var (
	noTrend = Trend{Z: 0.3, P: 0.76}
	upTrend = Trend{Z: 3.2, P: 0.0014}
	down    = Trend{Z: -3.2, P: 0.0014}
)

// The classifier on bin series, one row per category and the boundaries that
// separate neighbouring categories. Ten steps, so "90 %" is nine of them.
func TestClassifyPattern(t *testing.T) {
	tests := []struct {
		name  string
		bins  []Bin
		trend Trend
		want  Pattern
	}{
		{"nothing", []Bin{0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, noTrend, NoPattern},
		{"once hot, long ago", []Bin{0, 2, 0, 0, 0, 0, 0, 0, 0, 0}, noTrend, NoPattern},

		{"new hot", []Bin{0, 0, 0, 0, 0, 0, 0, 0, 0, 2}, noTrend, NewHotSpot},
		{"consecutive hot", []Bin{0, 0, 0, 0, 0, 0, 0, 1, 2, 3}, upTrend, ConsecutiveHotSpot},
		{"intensifying hot", []Bin{1, 1, 2, 2, 2, 3, 3, 3, 3, 3}, upTrend, IntensifyingHotSpot},
		{"persistent hot", []Bin{2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, noTrend, PersistentHotSpot},
		{"persistent hot with one gap (90 %)", []Bin{2, 2, 0, 2, 2, 2, 2, 2, 2, 2}, noTrend, PersistentHotSpot},
		// A trend p exactly on alpha is significant (p ≤ α), as for the bins.
		{"trend exactly at alpha is a trend", []Bin{2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, Trend{Z: 1.645, P: 0.10}, IntensifyingHotSpot},
		{"trend just above alpha is no trend", []Bin{2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, Trend{Z: 1.645, P: math.Nextafter(0.10, 1)}, PersistentHotSpot},
		{"diminishing hot", []Bin{3, 3, 3, 3, 2, 2, 2, 1, 1, 1}, down, DiminishingHotSpot},
		{"sporadic hot", []Bin{0, 1, 0, 0, 2, 0, 0, 1, 0, 1}, noTrend, SporadicHotSpot},
		// 80 % hot is not "90 % of the steps": on and off, so sporadic.
		{"sporadic hot at 80 %", []Bin{1, 1, 0, 1, 1, 0, 1, 1, 1, 1}, upTrend, SporadicHotSpot},
		// A run at the end after an earlier hot step is not consecutive.
		{"hot before the final run", []Bin{0, 2, 0, 0, 0, 0, 0, 0, 2, 2}, noTrend, SporadicHotSpot},
		{"oscillating hot", []Bin{0, -2, 0, 0, 0, 0, 0, 0, 1, 2}, noTrend, OscillatingHotSpot},
		// A cold history outranks "new": the cell flipped sides.
		{"cold then newly hot", []Bin{-1, 0, 0, 0, 0, 0, 0, 0, 0, 3}, noTrend, OscillatingHotSpot},
		{"historical hot", []Bin{3, 3, 3, 3, 3, 3, 3, 3, 3, 0}, down, HistoricalHotSpot},

		{"new cold", []Bin{0, 0, 0, 0, 0, 0, 0, 0, 0, -2}, noTrend, NewColdSpot},
		{"consecutive cold", []Bin{0, 0, 0, 0, 0, 0, -1, -1, -2, -3}, down, ConsecutiveColdSpot},
		// A cold spot intensifies when its z-scores fall further.
		{"intensifying cold", []Bin{-1, -1, -2, -2, -2, -3, -3, -3, -3, -3}, down, IntensifyingColdSpot},
		{"persistent cold", []Bin{-2, -2, -2, -2, -2, -2, -2, -2, -2, -2}, noTrend, PersistentColdSpot},
		{"diminishing cold", []Bin{-3, -3, -3, -3, -2, -2, -2, -1, -1, -1}, upTrend, DiminishingColdSpot},
		{"sporadic cold", []Bin{0, -1, 0, 0, -2, 0, 0, -1, 0, -1}, noTrend, SporadicColdSpot},
		{"oscillating cold", []Bin{0, 2, 0, 0, 0, 0, 0, 0, -1, -2}, noTrend, OscillatingColdSpot},
		{"historical cold", []Bin{-3, -3, -3, -3, -3, -3, -3, -3, -3, 0}, upTrend, HistoricalColdSpot},

		{"empty", nil, noTrend, NoPattern},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ClassifyPattern(tt.bins, tt.trend, 0.10); got != tt.want {
				t.Errorf("ClassifyPattern(%v) = %s, want %s", tt.bins, got, tt.want)
			}
		})
	}
}

// Each category triggered end to end from a z-score series: bins from the raw
// p-values, the Mann–Kendall trend computed on the z-scores themselves. Cold
// spots are the same series negated. Twelve steps; 90 % means 11 of them.
func TestClassifySeriesEveryCategory(t *testing.T) {
	quiet := []float64{0.1, -0.3, 0.5, 0.2, -0.1, 0.4, 0.0, 0.3, -0.2, 0.1, 0.2}
	with := func(last ...float64) []float64 {
		z := append([]float64(nil), quiet[:12-len(last)]...)
		return append(z, last...)
	}
	tests := []struct {
		name      string
		z         []float64
		hot, cold Pattern
	}{
		{"nothing", with(0.4), NoPattern, NoPattern},
		{"new", with(3.0), NewHotSpot, NewColdSpot},
		{"consecutive", with(2.0, 2.7, 3.1), ConsecutiveHotSpot, ConsecutiveColdSpot},
		// Every step significant and rising: S = 66, Z = 65/√212.67 = 4.46.
		{"intensifying", []float64{1.8, 2.0, 2.2, 2.4, 2.6, 2.8, 3.0, 3.2, 3.4, 3.6, 3.8, 4.0},
			IntensifyingHotSpot, IntensifyingColdSpot},
		// Every step significant, alternating without direction: S = 0.
		{"persistent", []float64{2.5, 2.2, 2.6, 2.1, 2.4, 2.3, 2.3, 2.4, 2.1, 2.6, 2.2, 2.5},
			PersistentHotSpot, PersistentColdSpot},
		{"diminishing", []float64{4.0, 3.8, 3.6, 3.4, 3.2, 3.0, 2.8, 2.6, 2.4, 2.2, 2.0, 1.8},
			DiminishingHotSpot, DiminishingColdSpot},
		{"sporadic", []float64{0.2, 2.0, 0.1, 0.3, 2.5, 0.0, 0.4, 1.9, 0.2, 0.1, 0.3, 2.2},
			SporadicHotSpot, SporadicColdSpot},
		{"oscillating", []float64{-2.0, 0.1, 0.3, 0.0, 0.2, 0.1, 0.4, 0.2, 0.1, 0.0, 0.3, 2.2},
			OscillatingHotSpot, OscillatingColdSpot},
		{"historical", []float64{2.5, 2.6, 2.4, 2.7, 2.5, 2.6, 2.4, 2.7, 2.5, 2.6, 2.4, 0.5},
			HistoricalHotSpot, HistoricalColdSpot},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, side := range []struct {
				sign float64
				want Pattern
			}{{1, tt.hot}, {-1, tt.cold}} {
				z := make([]float64, len(tt.z))
				p := make([]float64, len(tt.z))
				for k := range z {
					z[k] = side.sign * tt.z[k]
					p[k] = twoSidedP(z[k])
				}
				bins, trend, got := classifySeries(z, p, 0, 0.10)
				if got != side.want {
					t.Errorf("sign %+v: pattern %s, want %s (bins %v, trend Z %.2f p %.3f)", side.sign, got, side.want, bins, trend.Z, trend.P)
				}
			}
		})
	}
}
