package lagesbild

// MinPublicCount is the smallest count the public variant shows. One or two
// reports of a kind in a small area can point at the person who made them (or
// the person they are about); such counts are shown as "fewer than 3".
const MinPublicCount = 3

// Public returns the variant residents may see: every count below minCount but
// above zero is suppressed together with its comparisons (a change from a
// suppressed count would give it away), and nothing from other sources that is
// not already public is included.
func Public(l Lagesbild, minCount int) Lagesbild {
	l.Public = true
	suppress := func(rows []Row) []Row {
		out := make([]Row, len(rows))
		for i, r := range rows {
			small := func(n int) bool { return n > 0 && n < minCount }
			if small(r.Count) || (r.Previous != nil && small(r.Previous.Before)) || (r.LastYear != nil && small(r.LastYear.Before)) {
				if small(r.Count) {
					r.Count, r.Suppressed = 0, true
				}
				r.Previous, r.LastYear = nil, nil
			}
			out[i] = r
		}
		return out
	}
	l.Totals = suppress(l.Totals)
	l.Categories = suppress(l.Categories)
	l.Areas = suppress(l.Areas)
	// Exact cells would place single reports on a map; the public map has its
	// own coarsened layer.
	l.Hotspots = nil
	l.Events = nil
	l.Promises = nil
	return l
}
