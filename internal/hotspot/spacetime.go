package hotspot

import "math"

// SpaceTimeGiStar computes Gi* for every bin of a space-time cube:
// values[k][t] is the count of cell k in time step t (oldest first). The
// neighbourhood of bin (k, t) is every cell in w.Neighbours(k) plus k itself,
// in step t and in each of the previousSteps steps before it — the
// "Neighborhood Distance" and "Neighborhood Time Step" of ArcGIS Emerging Hot
// Spot Analysis. The mean and standard deviation are taken over all bins of the
// cube (n = cells × steps), so each bin is compared with the whole cube, as
// ArcGIS does by default.
func SpaceTimeGiStar(values [][]float64, w *Weights, previousSteps int) (z, p [][]float64, err error) {
	cells := len(values)
	if w.Len() != cells {
		return nil, nil, invalid("%d series for %d cells", cells, w.Len())
	}
	if previousSteps < 0 {
		return nil, nil, invalid("previous time steps must be 0 or more, got %d", previousSteps)
	}
	steps := 0
	if cells > 0 {
		steps = len(values[0])
	}
	flat := make([]float64, 0, cells*steps)
	for k, series := range values {
		if len(series) != steps {
			return nil, nil, invalid("cell %d has %d time steps, the first has %d", k, len(series), steps)
		}
		flat = append(flat, series...)
	}
	z, p = make([][]float64, cells), make([][]float64, cells)
	for k := range cells {
		z[k], p[k] = make([]float64, steps), make([]float64, steps)
		for t := range p[k] {
			p[k][t] = 1
		}
	}
	mean, sd, ok := meanSD(flat)
	n := float64(len(flat))
	if !ok || len(flat) < 2 {
		return z, p, nil
	}
	// Spatial sums per step first, then a sliding window over time: the cost
	// is cells·steps·(neighbours + window), not their product.
	spatial := make([]float64, steps)
	for k := range cells {
		nbrs := w.Neighbours(k)
		for t := range steps {
			sum := values[k][t]
			for _, m := range nbrs {
				sum += values[m][t]
			}
			spatial[t] = sum
		}
		for t := range steps {
			from := max(0, t-previousSteps)
			var sum float64
			for s := from; s <= t; s++ {
				sum += spatial[s]
			}
			wi := float64((len(nbrs) + 1) * (t - from + 1))
			spread := (n*wi - wi*wi) / (n - 1)
			if spread <= 0 {
				continue
			}
			z[k][t] = (sum - mean*wi) / (sd * math.Sqrt(spread))
			p[k][t] = twoSidedP(z[k][t])
		}
	}
	return z, p, nil
}
