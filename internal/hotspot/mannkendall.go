package hotspot

import (
	"math"
	"sort"
)

// Trend is the outcome of a Mann–Kendall test on one series.
type Trend struct {
	// S is Σ_{i<j} sign(x_j − x_i): positive when later values tend to be
	// larger.
	S int
	// Var is the variance of S under "no trend", corrected for ties.
	Var float64
	// Z is the standardised S with the continuity correction; P its two-sided
	// p-value from the standard normal.
	Z, P float64
}

// MannKendall tests a series (oldest first) for a monotonic trend, as
// Mann (1945) and Kendall (1975) with the usual tie correction (e.g. Hipel &
// McLeod 1994, "Time Series Modelling of Water Resources and Environmental
// Systems", §23.3):
//
//	Var(S) = [n(n−1)(2n+5) − Σ_t t(t−1)(2t+5)] / 18
//
// summing over groups of t tied values, and Z = (S−1)/√Var for S > 0,
// (S+1)/√Var for S < 0, 0 for S = 0. A series without variance (constant, or
// shorter than two) has Z = 0 and P = 1. NaN values are not allowed; the
// caller passes complete series.
func MannKendall(x []float64) Trend {
	n := len(x)
	s := 0
	for i := range n {
		for j := i + 1; j < n; j++ {
			switch {
			case x[j] > x[i]:
				s++
			case x[j] < x[i]:
				s--
			}
		}
	}
	v := float64(n*(n-1)*(2*n+5)) - tieTerm(x)
	v /= 18
	t := Trend{S: s, Var: v, P: 1}
	if v <= 0 || s == 0 {
		return t
	}
	if s > 0 {
		t.Z = float64(s-1) / math.Sqrt(v)
	} else {
		t.Z = float64(s+1) / math.Sqrt(v)
	}
	t.P = twoSidedP(t.Z)
	return t
}

// tieTerm is Σ t(t−1)(2t+5) over the groups of equal values.
func tieTerm(x []float64) float64 {
	sorted := append([]float64(nil), x...)
	sort.Float64s(sorted)
	var sum float64
	for a := 0; a < len(sorted); {
		b := a
		for b < len(sorted) && sorted[b] == sorted[a] {
			b++
		}
		if t := float64(b - a); t > 1 {
			sum += t * (t - 1) * (2*t + 5)
		}
		a = b
	}
	return sum
}
