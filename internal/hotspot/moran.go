package hotspot

import "math"

// Moran is the global Moran's I of a set of cells with its test against "no
// spatial autocorrelation".
type Moran struct {
	I, Expected, Variance float64
	// Z is (I − Expected)/√Variance; P its two-sided p-value.
	Z, P float64
}

// GlobalMoran computes Moran's I with binary weights, the cell itself
// excluded,
//
//	I = (n/S0) · Σ_i Σ_j w_ij (x_i − X̄)(x_j − X̄) / Σ_i (x_i − X̄)²
//
// and its moments under the normality assumption (Cliff & Ord 1981, "Spatial
// Processes: Models and Applications", ch. 1; the same as R spdep moran.test
// with randomisation = FALSE):
//
//	E[I] = −1/(n−1)
//	Var[I] = (n²·S1 − n·S2 + 3·S0²) / ((n²−1)·S0²) − E[I]²
//
// with S0 = Σ w_ij, S1 = ½ Σ (w_ij + w_ji)², S2 = Σ_i (w_i· + w_·i)². Weights
// from BuildWeights are symmetric and binary, so S1 = 2·S0 and
// S2 = 4·Σ_i W_i² with W_i the number of neighbours of i. Where the test is
// undefined (no variation, no neighbour pairs, fewer than 3 cells) Z is 0 and
// P is 1.
func GlobalMoran(values []float64, w *Weights) (Moran, error) {
	n := len(values)
	if w.Len() != n {
		return Moran{}, invalid("%d values for %d cells", n, w.Len())
	}
	m := Moran{P: 1}
	if n < 3 {
		return m, nil
	}
	fn := float64(n)
	m.Expected = -1 / (fn - 1)
	mean, _, ok := meanSD(values)
	if !ok {
		return m, nil
	}
	var cross, ss, s0, sumW2 float64
	for i, v := range values {
		d := v - mean
		ss += d * d
		nbrs := w.Neighbours(i)
		var local float64
		for _, j := range nbrs {
			local += values[j] - mean
		}
		cross += d * local
		wi := float64(len(nbrs))
		s0 += wi
		sumW2 += wi * wi
	}
	if s0 == 0 {
		return m, nil
	}
	m.I = fn / s0 * cross / ss
	s1, s2 := 2*s0, 4*sumW2
	m.Variance = (fn*fn*s1-fn*s2+3*s0*s0)/((fn*fn-1)*s0*s0) - m.Expected*m.Expected
	if m.Variance > 0 {
		m.Z = (m.I - m.Expected) / math.Sqrt(m.Variance)
		m.P = twoSidedP(m.Z)
	}
	return m, nil
}
