package hotspot

import (
	"math"
	"sort"
)

// BenjaminiHochberg returns the Benjamini–Hochberg (1995) step-up adjusted
// p-values, the same numbers as R's p.adjust(p, method = "BH"): with the m
// p-values sorted ascending, p_(k) becomes min over j ≥ k of m/j·p_(j), capped
// at 1. A cell whose adjusted p-value is at most α is a discovery at false
// discovery rate α. The input is not modified; NaN counts as 1.
//
// Hot spot maps test thousands of cells at once; without this correction about
// one cell in ten would be "significant at 90 %" in pure noise.
func BenjaminiHochberg(p []float64) []float64 {
	m := len(p)
	adj := make([]float64, m)
	if m == 0 {
		return adj
	}
	order := make([]int, m)
	for k := range order {
		order[k] = k
	}
	value := func(k int) float64 {
		if math.IsNaN(p[k]) {
			return 1
		}
		return p[k]
	}
	sort.SliceStable(order, func(a, b int) bool { return value(order[a]) < value(order[b]) })
	// Walk from the largest p-value down, carrying the running minimum so the
	// adjusted values stay monotone in the raw ones.
	running := 1.0
	for rank := m; rank >= 1; rank-- {
		k := order[rank-1]
		running = min(running, value(k)*float64(m)/float64(rank))
		adj[k] = running
	}
	return adj
}

// AdjustPValues applies Benjamini–Hochberg when fdr is on and otherwise returns
// a copy of p, so callers can always read "the p-value that decides the bin".
func AdjustPValues(p []float64, fdr bool) []float64 {
	if fdr {
		return BenjaminiHochberg(p)
	}
	return append([]float64(nil), p...)
}
