package lagesbild

import "strings"

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
	protectSiblings(l.Totals, l.Categories)
	l.Felanmalan = publicFelanmalan(l.Felanmalan, minCount)
	// Exact cells would place single reports on a map; the public map has its
	// own coarsened layer.
	l.Hotspots = nil
	l.Events = nil
	l.Promises, l.PromiseLines = nil, nil
	return l
}

// protectSiblings stops differencing: when exactly one row among siblings
// (categories with the same parent, or the top categories of a kind under its
// total) is suppressed and their parent is shown, the parent minus the shown
// siblings would give the hidden count away. The smallest other sibling with
// reports is suppressed as well (secondary suppression), repeated up the tree
// until nothing changes. Comparisons are protected the same way: a dropped
// change among siblings whose parent shows its change takes the smallest other
// sibling's change with it.
func protectSiblings(totals, cats []Row) {
	type layer struct {
		hidden func(r *Row) bool
		value  func(r *Row) int
		hide   func(r *Row)
	}
	small := func(n int) bool { return n > 0 }
	layers := []layer{
		{func(r *Row) bool { return r.Suppressed }, func(r *Row) int { return r.Count },
			func(r *Row) { r.Count, r.Suppressed, r.Previous, r.LastYear = 0, true, nil, nil }},
		{func(r *Row) bool { return r.Previous == nil }, func(r *Row) int {
			if r.Previous == nil {
				return 0
			}
			return r.Previous.Before
		}, func(r *Row) { r.Previous = nil }},
		{func(r *Row) bool { return r.LastYear == nil }, func(r *Row) int {
			if r.LastYear == nil {
				return 0
			}
			return r.LastYear.Before
		}, func(r *Row) { r.LastYear = nil }},
	}
	parentOf := func(key string) *Row {
		for i := range cats {
			if cats[i].Key == key {
				return &cats[i]
			}
		}
		return nil
	}
	for _, ly := range layers {
		for changed := true; changed; {
			changed = false
			groups := map[string][]*Row{}
			for i := range cats {
				k := cats[i].Parent
				if k == "" {
					k = "kind:" + cats[i].Kind
				}
				groups[k] = append(groups[k], &cats[i])
			}
			for key, sib := range groups {
				var parent *Row
				if kind, ok := strings.CutPrefix(key, "kind:"); ok {
					for i := range totals {
						if totals[i].Key == kind {
							parent = &totals[i]
						}
					}
				} else {
					parent = parentOf(key)
				}
				if parent == nil || ly.hidden(parent) {
					continue
				}
				hiddenN := 0
				var candidate *Row
				for _, r := range sib {
					if ly.hidden(r) {
						hiddenN++
						continue
					}
					if small(ly.value(r)) && (candidate == nil || ly.value(r) < ly.value(candidate)) {
						candidate = r
					}
				}
				if hiddenN == 1 && candidate != nil {
					ly.hide(candidate)
					changed = true
				}
			}
		}
	}
}

// publicFelanmalan hides the handling figures that are small: they count the
// same felanmälningar as the kind's total (which is suppressed below
// minCount), and the median of one or two cases is their exact time. Hidden
// figures are zero (medians nil) and named in Suppressed.
func publicFelanmalan(f Felanmalan, minCount int) Felanmalan {
	small := func(n int) bool { return n > 0 && n < minCount }
	if small(f.Opened) {
		f.Opened, f.Suppressed = 0, append(f.Suppressed, "opened")
	}
	if small(f.Resolved) {
		f.Resolved, f.MedianDaysToResolve, f.Suppressed = 0, nil, append(f.Suppressed, "resolved", "median_days_to_resolve")
	}
	if small(f.OpenAtEnd) {
		f.OpenAtEnd, f.MedianOpenAgeDays, f.Suppressed = 0, nil, append(f.Suppressed, "open_at_end", "median_open_age_days")
	}
	return f
}
