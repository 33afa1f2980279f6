package walk

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// euclidean builds an instance on random points in a 1 km square, with
// straight-line distances (which obey the triangle inequality, as walking
// distances do).
func euclidean(rng *rand.Rand, n int, limit float64) *instance {
	xy := make([][2]float64, n)
	for i := range xy {
		xy[i] = [2]float64{rng.Float64() * 1000, rng.Float64() * 1000}
	}
	in := &instance{
		dist: make([][]float64, n), score: make([]float64, n),
		must: make([]bool, n), usable: make([]bool, n),
		limit: func(int) float64 { return limit },
	}
	for i := range n {
		in.dist[i] = make([]float64, n)
		for j := range n {
			in.dist[i][j] = math.Hypot(xy[i][0]-xy[j][0], xy[i][1]-xy[j][1])
		}
		if i >= 2 {
			in.score[i] = float64(1 + rng.IntN(9))
			in.usable[i] = true
		}
	}
	return in
}

// TestMovesKeepBudgetAndStops drives the local search moves on random tours
// and checks what the moves promise: replace keeps the tour within budget and
// swaps exactly one stop for a better one; improve never lengthens a tour nor
// changes its set of stops.
func TestMovesKeepBudgetAndStops(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	swaps := 0
	for range 300 {
		in := euclidean(rng, 22, 2500+rng.Float64()*2000)
		tr := tour{}
		used := make([]bool, len(in.dist))
		in.measure(&tr)
		in.insertGreedy(&tr, used, 1)
		in.measure(&tr)
		if !in.fits(tr.length, len(tr.stops)) {
			t.Fatalf("greedy tour %.1f m over budget %.1f", tr.length, in.limit(0))
		}
		before := tr.clone()
		in.improve(&tr)
		if tr.length > before.length+1e-6 || !sameSet(tr.stops, before.stops) {
			t.Fatalf("improve changed %v (%.1f m) to %v (%.1f m)", before.stops, before.length, tr.stops, tr.length)
		}
		before = tr.clone()
		if in.replace(&tr, used) {
			swaps++
			got := tr.clone()
			in.measure(&got)
			if !in.fits(got.length, len(got.stops)) || got.score <= before.score || len(got.stops) != len(before.stops) {
				t.Fatalf("replace gave %v (%.1f m, score %.0f) from %v (%.1f m, score %.0f), limit %.1f",
					got.stops, got.length, got.score, before.stops, before.length, before.score, in.limit(0))
			}
		}
	}
	if swaps < 20 {
		t.Errorf("only %d of 300 tours allowed a swap; the test checks too little", swaps)
	}
}

func sameSet(a, b []int) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestHeldKarpMatchesPermutations(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 50 {
		n := 2 + 1 + rng.IntN(7)
		in := euclidean(rng, n, math.Inf(1))
		places := make([]int, 0, n-2)
		for c := 2; c < n; c++ {
			places = append(places, c)
		}
		got := tour{stops: in.heldKarp(places)}
		in.measure(&got)
		best := math.Inf(1)
		permute(places, 0, func(p []int) {
			tr := tour{stops: p}
			in.measure(&tr)
			best = min(best, tr.length)
		})
		if math.Abs(got.length-best) > 1e-6 || !sameSet(got.stops, places) {
			t.Fatalf("Held–Karp %.3f m %v, best permutation %.3f m", got.length, got.stops, best)
		}
	}
}

func permute(a []int, k int, visit func([]int)) {
	if k == len(a) {
		visit(a)
		return
	}
	for i := k; i < len(a); i++ {
		a[k], a[i] = a[i], a[k]
		permute(a, k+1, visit)
		a[k], a[i] = a[i], a[k]
	}
}

// TestSearchStopsAtDeadline: with a past deadline the search returns at
// once with the greedy tour, not after its iterations.
func TestSearchStopsAtDeadline(t *testing.T) {
	in := euclidean(rand.New(rand.NewPCG(1, 1)), 150, 5000)
	began := time.Now()
	// An unmeasured empty base: search must measure it itself.
	got := in.search(context.Background(), tour{}, 1_000_000, time.Now(), 1)
	if took := time.Since(began); took > 2*time.Second {
		t.Errorf("search took %v past its deadline", took)
	}
	if len(got.stops) == 0 || !in.fits(got.length, len(got.stops)) {
		t.Errorf("got %d stops, %.0f m", len(got.stops), got.length)
	}
}
