package hotspot

// Bin is the confidence class of a cell, as the Gi_Bin field of ArcGIS Hot Spot
// Analysis: +3 hot spot at 99 % confidence, +2 at 95 %, +1 at 90 %, 0 not
// significant, and -1…-3 the same for cold spots.
type Bin int8

// Significance levels of the three bins, strongest first.
var binLevels = [3]struct {
	alpha float64
	bin   Bin
}{{0.01, 3}, {0.05, 2}, {0.10, 1}}

// BinOf classifies one cell from its z-score (which gives the sign) and the
// p-value that decides significance: bin ±k when p ≤ α of that bin, a p exactly
// on a cut-off included, as a test at level α rejects when p ≤ α.
//
// Without FDR that p-value is the raw two-sided p. With FDR it is the
// Benjamini–Hochberg adjusted p, and comparing it to α with ≤ selects exactly
// the cells of the step-up procedure run once per confidence level, which is
// how ArcGIS describes its FDR option: the critical p-value of each level is
// lowered to the largest p_(k) with p_(k) ≤ k·α/m, and that p_(k) itself counts.
// A strict "below" would drop such a cell. For continuous p a tie has
// probability zero; it matters for hand-made or rounded p-values, and so that
// the code says what the documentation says.
func BinOf(z, p float64) Bin {
	if z == 0 || !(p >= 0) {
		return 0
	}
	for _, l := range binLevels {
		if p <= l.alpha {
			if z < 0 {
				return -l.bin
			}
			return l.bin
		}
	}
	return 0
}

// Bins classifies every cell; z and p must have the same length.
func Bins(z, p []float64) []Bin {
	out := make([]Bin, len(z))
	for k := range z {
		out[k] = BinOf(z[k], p[k])
	}
	return out
}

// Confidence is the bin's confidence level in percent (99, 95, 90) or 0.
func (b Bin) Confidence() int {
	switch b {
	case 3, -3:
		return 99
	case 2, -2:
		return 95
	case 1, -1:
		return 90
	}
	return 0
}
