package hotspot

import "math"

// GiStar computes the Getis-Ord Gi* z-score of every cell and its two-sided
// p-value from the standard normal. values[k] is the count of cell k, and the
// neighbourhood of k is w.Neighbours(k) plus k itself, every weight 1.
//
// With n cells, X̄ the mean and S the population standard deviation of all
// values, W_i the number of cells in i's neighbourhood (itself included) and
// S1_i = Σ_j w_ij² = W_i for binary weights:
//
//	z_i = (Σ_j w_ij x_j − X̄·W_i) / (S·√((n·S1_i − W_i²)/(n − 1)))
//
// This is Gi* as a standard variate from Ord & Getis (1995), "Local spatial
// autocorrelation statistics: distributional issues and an application",
// Geographical Analysis 27(4), building on Getis & Ord (1992), Geographical
// Analysis 24(3). ArcGIS Hot Spot Analysis and R spdep localG on
// include.self() binary weights compute the same number.
//
// Where the statistic is undefined — every value equal (S = 0), a
// neighbourhood that is the whole study area (n·W_i = W_i²), or fewer than two
// cells — z is 0 and p is 1: no evidence of anything, never NaN or Inf.
func GiStar(values []float64, w *Weights) (z, p []float64, err error) {
	n := len(values)
	if w.Len() != n {
		return nil, nil, invalid("%d values for %d cells", n, w.Len())
	}
	z, p = make([]float64, n), make([]float64, n)
	for k := range p {
		p[k] = 1
	}
	mean, sd, ok := meanSD(values)
	if !ok || n < 2 {
		return z, p, nil
	}
	fn := float64(n)
	for i := range n {
		sum := values[i]
		nbrs := w.Neighbours(i)
		for _, j := range nbrs {
			sum += values[j]
		}
		wi := float64(len(nbrs) + 1)
		spread := (fn*wi - wi*wi) / (fn - 1)
		if spread <= 0 {
			continue
		}
		z[i] = (sum - mean*wi) / (sd * math.Sqrt(spread))
		p[i] = twoSidedP(z[i])
	}
	return z, p, nil
}

// meanSD returns the mean and the population standard deviation (divisor n, as
// in the Gi* formula). ok is false when the values do not vary: the variance is
// then zero by definition, which a floating-point Σx²/n − X̄² would miss.
func meanSD(values []float64) (mean, sd float64, ok bool) {
	if len(values) == 0 {
		return 0, 0, false
	}
	lo, hi, sum := values[0], values[0], 0.0
	for _, v := range values {
		lo, hi, sum = min(lo, v), max(hi, v), sum+v
	}
	mean = sum / float64(len(values))
	if lo == hi {
		return mean, 0, false
	}
	// Two passes: centring first avoids the cancellation of Σx²/n − X̄².
	var ss float64
	for _, v := range values {
		ss += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(ss / float64(len(values))), true
}

// twoSidedP is P(|Z| ≥ |z|) for a standard normal Z.
func twoSidedP(z float64) float64 {
	return math.Erfc(math.Abs(z) / math.Sqrt2)
}
