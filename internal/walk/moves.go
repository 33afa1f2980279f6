package walk

import (
	"math"
	"slices"
)

// The moves of the local search. Each keeps the tour within budget: insertion
// and swaps check the budget before they change anything, and improve only
// shortens.

// insertGreedy adds candidates one at a time, each time the one with the
// most score per extra metre (score raised to power, which the search varies
// for diversity) that still fits the budget.
func (in *instance) insertGreedy(t *tour, used []bool, power float64) {
	for {
		best, bestPos, bestRatio, bestExtra := -1, 0, -1.0, 0.0
		for c := 2; c < len(in.dist); c++ {
			if used[c] || !in.usable[c] || in.score[c] <= 0 {
				continue
			}
			pos, extra := in.cheapestInsertion(t.stops, c)
			if !in.fits(t.length+extra, len(t.stops)+1) {
				continue
			}
			// One metre added to the detour keeps places already on the
			// way (zero extra) finite and ranked by score.
			worth := in.score[c]
			if power != 1 {
				worth = math.Pow(worth, power)
			}
			if ratio := worth / (max(extra, 0) + 1); ratio > bestRatio {
				best, bestPos, bestRatio, bestExtra = c, pos, ratio, extra
			}
		}
		if best < 0 {
			return
		}
		t.stops = slices.Insert(t.stops, bestPos, best)
		t.length += bestExtra
		t.score += in.score[best]
		used[best] = true
	}
}

// improve shortens the tour without changing its stops, by 2-opt (reverse a
// stretch) and relocation (move one stop elsewhere), until neither helps.
func (in *instance) improve(t *tour) {
	const eps = 1e-7
	for changed := true; changed; {
		changed = false
		seq := make([]int, 0, len(t.stops)+2)
		seq = append(append(append(seq, 0), t.stops...), 1)
		d := in.dist
		for i := 1; i < len(seq)-2; i++ {
			for j := i + 1; j < len(seq)-1; j++ {
				delta := d[seq[i-1]][seq[j]] + d[seq[i]][seq[j+1]] - d[seq[i-1]][seq[i]] - d[seq[j]][seq[j+1]]
				if delta < -eps {
					slices.Reverse(seq[i : j+1])
					changed = true
				}
			}
		}
		copy(t.stops, seq[1:len(seq)-1])
		for i := range t.stops {
			c := t.stops[i]
			prev, next := around(t.stops, i)
			saving := d[prev][c] + d[c][next] - d[prev][next]
			rest := slices.Delete(slices.Clone(t.stops), i, i+1)
			pos, extra := in.cheapestInsertion(rest, c)
			if extra < saving-eps {
				t.stops = slices.Insert(rest, pos, c)
				changed = true
			}
		}
		in.measure(t)
	}
}

// replace swaps an optional stop for an unvisited candidate worth more when
// the budget allows, and reports whether it did. For each candidate it
// prices insertion into every leg of the tour once and keeps the three
// cheapest, since removing a stop takes away only the two legs beside it.
func (in *instance) replace(t *tour, used []bool) bool {
	seq := make([]int, 0, len(t.stops)+2)
	seq = append(append(append(seq, 0), t.stops...), 1)
	d := in.dist
	saving := make([]float64, len(t.stops))
	for i := range t.stops {
		saving[i] = d[seq[i]][seq[i+1]] + d[seq[i+1]][seq[i+2]] - d[seq[i]][seq[i+2]]
	}
	type leg struct {
		extra float64
		j     int
	}
	for c := 2; c < len(d); c++ {
		if used[c] || !in.usable[c] {
			continue
		}
		var cheapest [3]leg
		for k := range cheapest {
			cheapest[k] = leg{math.Inf(1), -1}
		}
		for j := 0; j+1 < len(seq); j++ {
			e := leg{d[seq[j]][c] + d[c][seq[j+1]] - d[seq[j]][seq[j+1]], j}
			for k := range cheapest {
				if e.extra < cheapest[k].extra {
					e, cheapest[k] = cheapest[k], e
				}
			}
		}
		for i, v := range t.stops {
			if in.must[v] || in.score[v] >= in.score[c] {
				continue
			}
			// Legs i and i+1 of seq touch the stop; without it, seq[i]
			// and seq[i+2] are joined directly.
			pos := i
			extra := d[seq[i]][c] + d[c][seq[i+2]] - d[seq[i]][seq[i+2]]
			for _, e := range cheapest {
				if e.j < 0 || e.j == i || e.j == i+1 {
					continue
				}
				if e.extra < extra {
					pos, extra = e.j, e.extra
					if e.j > i+1 {
						pos = e.j - 1 // legs after the stop shift down by one
					}
				}
				break
			}
			if in.fits(t.length-saving[i]+extra, len(t.stops)) {
				t.stops = slices.Insert(slices.Delete(t.stops, i, i+1), pos, c)
				used[v], used[c] = false, true
				in.measure(t)
				return true
			}
		}
	}
	return false
}
