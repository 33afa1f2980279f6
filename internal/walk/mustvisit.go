package walk

import (
	"math"
	"slices"
)

// exactMustLimit is the most must-visit places ordered exactly; Held–Karp
// takes 2^n·n² steps, about 600,000 at 12.
const exactMustLimit = 12

// mustTour returns the shortest tour from start to end through every
// must-visit candidate: exact (Held–Karp dynamic programming over subsets)
// for up to exactMustLimit places, cheapest insertion and local search beyond.
func (in *instance) mustTour() tour {
	var must []int
	for c := 2; c < len(in.dist); c++ {
		if in.must[c] {
			must = append(must, c)
		}
	}
	t := tour{}
	if len(must) <= exactMustLimit {
		t.stops = in.heldKarp(must)
	} else {
		for _, c := range must {
			pos, _ := in.cheapestInsertion(t.stops, c)
			t.stops = slices.Insert(t.stops, pos, c)
		}
		in.measure(&t)
		in.improve(&t)
	}
	in.measure(&t)
	return t
}

// heldKarp orders places on the shortest path from start (0) to end (1)
// through all of them (M. Held and R. M. Karp, "A dynamic programming
// approach to sequencing problems", 1962).
func (in *instance) heldKarp(places []int) []int {
	n := len(places)
	if n == 0 {
		return nil
	}
	full := 1<<n - 1
	// best[mask][j]: shortest walk from start through the places in mask,
	// ending at places[j] (which is in mask); from[mask][j] is the place
	// before it, -1 for the start.
	best := make([][]float64, full+1)
	from := make([][]int8, full+1)
	for mask := range best {
		best[mask] = make([]float64, n)
		from[mask] = make([]int8, n)
		for j := range best[mask] {
			best[mask][j] = math.Inf(1)
		}
	}
	for j, p := range places {
		best[1<<j][j] = in.dist[0][p]
		from[1<<j][j] = -1
	}
	for mask := 1; mask <= full; mask++ {
		for j := range n {
			if mask&(1<<j) == 0 || math.IsInf(best[mask][j], 1) {
				continue
			}
			for k := range n {
				if mask&(1<<k) != 0 {
					continue
				}
				next := mask | 1<<k
				if d := best[mask][j] + in.dist[places[j]][places[k]]; d < best[next][k] {
					best[next][k], from[next][k] = d, int8(j)
				}
			}
		}
	}
	last, total := 0, math.Inf(1)
	for j, p := range places {
		if d := best[full][j] + in.dist[p][1]; d < total {
			last, total = j, d
		}
	}
	if math.IsInf(total, 1) {
		return places // some leg is out of reach; the caller sees +Inf length
	}
	order := make([]int, 0, n)
	for mask, j := full, last; j >= 0; {
		order = append(order, places[j])
		prev := int(from[mask][j])
		mask &^= 1 << j
		j = prev
	}
	slices.Reverse(order)
	return order
}
