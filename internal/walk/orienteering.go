package walk

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// instance is the orienteering problem on terminals: 0 is the start, 1 the
// end and 2… the candidates. dist holds shortest walking metres between
// terminals (symmetric, +Inf when not connected).
type instance struct {
	dist   [][]float64
	score  []float64
	must   []bool
	usable []bool // candidate can be part of some route within budget
	limit  func(stops int) float64
}

// tour is a route: the candidates visited in order, between start and end.
type tour struct {
	stops  []int
	length float64
	score  float64
}

func (t tour) clone() tour {
	t.stops = slices.Clone(t.stops)
	return t
}

// better orders tours: more score first, then shorter.
func (t tour) better(u tour) bool {
	const eps = 1e-9
	if t.score > u.score+eps {
		return true
	}
	return t.score > u.score-eps && t.length < u.length-eps
}

// fits reports whether a route of this length with n stops is within budget.
// The tolerance only absorbs floating-point noise in sums of lengths.
func (in *instance) fits(length float64, n int) bool {
	if math.IsInf(length, 0) || math.IsNaN(length) {
		return false // a leg out of reach; the tolerance below would let +Inf pass
	}
	return length <= in.limit(n)+1e-9*max(1, length)
}

func (in *instance) measure(t *tour) {
	prev := 0
	t.length, t.score = 0, 0
	for _, s := range t.stops {
		t.length += in.dist[prev][s]
		t.score += in.score[s]
		prev = s
	}
	t.length += in.dist[prev][1]
}

// neighbours returns the terminals before and after position i (an insertion
// point: 0 is before the first stop).
func neighbours(stops []int, i int) (prev, next int) {
	prev, next = 0, 1
	if i > 0 {
		prev = stops[i-1]
	}
	if i < len(stops) {
		next = stops[i]
	}
	return prev, next
}

// around returns the terminals before and after the stop at position i.
func around(stops []int, i int) (prev, next int) {
	prev, _ = neighbours(stops, i)
	_, next = neighbours(stops, i+1)
	return prev, next
}

// cheapestInsertion returns where c adds the fewest metres and how many.
func (in *instance) cheapestInsertion(stops []int, c int) (pos int, extra float64) {
	extra = math.Inf(1)
	for i := 0; i <= len(stops); i++ {
		prev, next := neighbours(stops, i)
		if e := in.dist[prev][c] + in.dist[c][next] - in.dist[prev][next]; e < extra {
			pos, extra = i, e
		}
	}
	return pos, extra
}

// search runs greedy construction and iterated local search from the
// must-visit tour base, until iterations or the deadline run out.
func (in *instance) search(ctx context.Context, base tour, iterations int, deadline time.Time, seed uint64) tour {
	rng := rand.New(rand.NewPCG(seed, 0x7472796767)) // "trygg"
	usedOf := func(t tour) []bool {
		used := make([]bool, len(in.dist))
		for _, s := range t.stops {
			used[s] = true
		}
		return used
	}
	// local fills the tour greedily and polishes it. The places in blocked
	// (just removed by a perturbation) may not come back in the first pass,
	// so the search has to try other places in their stead.
	local := func(t *tour, power float64, blocked []int) {
		used := usedOf(*t)
		for _, b := range blocked {
			used[b] = true
		}
		in.insertGreedy(t, used, power)
		in.improve(t)
		for _, b := range blocked {
			used[b] = false
		}
		for _, s := range t.stops {
			used[s] = true
		}
		in.insertGreedy(t, used, 1)
		for in.replace(t, used) {
			in.improve(t)
			in.insertGreedy(t, used, 1)
		}
	}
	cur := base.clone()
	in.measure(&cur)
	local(&cur, 1, nil)
	best := cur.clone()
	sinceBest := 0
	for it := 0; it < iterations; it++ {
		if it%16 == 0 && (ctx.Err() != nil || time.Now().After(deadline)) {
			break
		}
		next := cur.clone()
		removed := in.perturb(&next, rng)
		local(&next, []float64{1, 1, 0.5, 2}[rng.IntN(4)], removed)
		switch {
		case next.better(best):
			best, cur, sinceBest = next.clone(), next, 0
		case next.better(cur) || rng.Float64() < 0.1:
			cur = next
			sinceBest++
		default:
			sinceBest++
		}
		if sinceBest > 50 {
			cur, sinceBest = best.clone(), 0
		}
	}
	return best
}

// perturb removes some optional stops, either a random few or a run of
// neighbouring ones, so the next local search can rebuild that stretch, and
// returns the places removed.
func (in *instance) perturb(t *tour, rng *rand.Rand) []int {
	var optional []int
	for i, s := range t.stops {
		if !in.must[s] {
			optional = append(optional, i)
		}
	}
	if len(optional) == 0 {
		return nil
	}
	k := 1 + rng.IntN(max(1, (len(optional)+2)/3))
	drop := map[int]bool{}
	if rng.IntN(2) == 0 {
		start := rng.IntN(len(optional))
		for j := 0; j < k; j++ {
			drop[optional[(start+j)%len(optional)]] = true
		}
	} else {
		for _, j := range rng.Perm(len(optional))[:k] {
			drop[optional[j]] = true
		}
	}
	var kept, removed []int
	for i, s := range t.stops {
		if drop[i] {
			removed = append(removed, s)
		} else {
			kept = append(kept, s)
		}
	}
	t.stops = kept
	in.measure(t)
	return removed
}
