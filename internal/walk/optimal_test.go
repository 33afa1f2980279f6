package walk

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/paulmach/orb"
)

// floydWarshall returns shortest distances between the network's nodes,
// indexed by position in n.nodes — a method independent of the planner's
// Dijkstra.
func floydWarshall(n *testNetwork) [][]float64 {
	idx := map[int64]int{}
	for i, nd := range n.nodes {
		idx[nd.ID] = i
	}
	d := make([][]float64, len(n.nodes))
	for i := range d {
		d[i] = make([]float64, len(n.nodes))
		for j := range d[i] {
			if i != j {
				d[i][j] = math.Inf(1)
			}
		}
	}
	for _, e := range n.edges {
		a, b := idx[e.From], idx[e.To]
		d[a][b] = min(d[a][b], e.Length)
		d[b][a] = d[a][b]
	}
	for k := range d {
		for i := range d {
			for j := range d {
				if d[i][k]+d[k][j] < d[i][j] {
					d[i][j] = d[i][k] + d[k][j]
				}
			}
		}
	}
	return d
}

// bruteForce returns the best score of any route from start to end through
// a subset of the places, in any order, within limit, visiting every must
// place; ok is false when no route fits. It tries every ordered subset,
// pruning a prefix when even going straight to the end from it breaks the
// budget (with shortest-path distances no longer route through it can fit).
func bruteForce(d [][]float64, start, end int, places []int, score []float64, must []bool, limit func(int) float64) (best float64, ok bool) {
	best = -1
	used := make([]bool, len(places))
	var walk func(last int, length, got float64, count, mustLeft int)
	walk = func(last int, length, got float64, count, mustLeft int) {
		if length+d[last][end] > limit(count)+1e-9 {
			return
		}
		if mustLeft == 0 && got > best {
			best = got
		}
		for i, p := range places {
			if used[i] {
				continue
			}
			used[i] = true
			left := mustLeft
			if must[i] {
				left--
			}
			walk(p, length+d[last][p], got+score[i], count+1, left)
			used[i] = false
		}
	}
	mustCount := 0
	for _, m := range must {
		if m {
			mustCount++
		}
	}
	walk(start, 0, 0, 0, mustCount)
	return best, best >= 0
}

// TestPlanNearOptimal plans on random small street grids where the optimum
// is known by brute force. The heuristic must average at least 97 % of the
// optimal score, never break the budget, keep every must-visit place and
// start and end where asked.
func TestPlanNearOptimal(t *testing.T) {
	const instances = 60
	rng := rand.New(rand.NewPCG(2024, 8))
	var ratioSum float64
	compared := 0
	for k := range instances {
		net := gridNetwork(rng, 6, 6, 120, 35, 0.25)
		g := net.graph(t)
		d := floydWarshall(net)
		perm := rng.Perm(len(net.nodes))
		start, end := perm[0], perm[1]
		if k%4 == 0 {
			end = start // round walks too
		}
		places := perm[2 : 2+3+rng.IntN(7)] // 3 to 9 candidates
		p := Problem{
			Start:        net.nodes[start].Point(),
			End:          ptr(net.nodes[end].Point()),
			BudgetMetres: 600 + rng.Float64()*1400,
			Iterations:   400,
			TimeLimit:    10 * time.Second, // iterations, not time, end the search
			Seed:         uint64(k),
		}
		if k%3 == 0 {
			// Some instances count time, with stops costing minutes.
			p.BudgetMetres = 0
			p.BudgetMinutes = 15 + rng.Float64()*25
			p.StopMinutes = float64(rng.IntN(4))
		}
		score := make([]float64, len(places))
		must := make([]bool, len(places))
		for i, node := range places {
			score[i] = float64(1 + rng.IntN(10))
			must[i] = k%5 == 1 && i == 0
			p.Candidates = append(p.Candidates, Candidate{
				ID: string(rune('a' + i)), Point: net.nodes[node].Point(), Score: score[i], MustVisit: must[i],
			})
		}
		check := p
		_ = check.validate() // the same limit function the planner uses
		opt, feasible := bruteForce(d, start, end, places, score, must, check.lengthLimit)

		r, err := Plan(context.Background(), g, p)
		if !feasible {
			if !errors.Is(err, ErrBudgetTooSmall) && !errors.Is(err, ErrEndUnreachable) && !errors.Is(err, ErrMustVisitUnreachable) {
				t.Errorf("instance %d: no route fits, but Plan returned %v", k, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("instance %d: Plan: %v (optimum %.0f exists)", k, err, opt)
			continue
		}
		if r.Start != g.Point(mustNearest(t, g, p.Start)) || r.End != g.Point(mustNearest(t, g, *p.End)) {
			t.Errorf("instance %d: route runs %v→%v, want the asked start and end", k, r.Start, r.End)
		}
		if r.Line[0] != r.Start || r.Line[len(r.Line)-1] != r.End {
			t.Errorf("instance %d: line does not start and end at start and end", k)
		}
		if limit := check.lengthLimit(len(r.Stops)); r.LengthMetres > limit+1e-6 {
			t.Errorf("instance %d: length %.1f m over the limit %.1f m", k, r.LengthMetres, limit)
		}
		for i, c := range p.Candidates {
			if must[i] && !hasStop(r, c.ID) {
				t.Errorf("instance %d: must-visit %q missing", k, c.ID)
			}
		}
		if r.Score > opt+1e-9 {
			t.Errorf("instance %d: score %.0f beats the brute-force optimum %.0f: brute force or length is wrong", k, r.Score, opt)
		}
		ratio := 1.0
		if opt > 0 {
			ratio = r.Score / opt
		}
		if ratio < 0.8 {
			t.Logf("instance %d: %.0f of optimal %.0f", k, r.Score, opt)
			for _, s := range r.Stops {
				t.Logf("  stop %s score %.0f", s.Candidate.ID, s.Candidate.Score)
			}
			for _, s := range r.Skipped {
				t.Logf("  skipped %s score %.0f %s", s.Candidate.ID, s.Candidate.Score, s.Reason)
			}
			t.Logf("  len %.1f budget %.1f", r.LengthMetres, p.BudgetMetres)
		}
		ratioSum += ratio
		compared++
	}
	if compared < 30 {
		t.Fatalf("only %d feasible instances compared, want at least 30", compared)
	}
	avg := ratioSum / float64(compared)
	t.Logf("average %.4f of optimal over %d instances", avg, compared)
	if avg < 0.97 {
		t.Errorf("average %.4f of the optimal score, want at least 0.97", avg)
	}
}

func ptr[T any](v T) *T { return &v }

func hasStop(r Route, id string) bool {
	for _, s := range r.Stops {
		if s.Candidate.ID == id {
			return true
		}
	}
	return false
}

func mustNearest(t *testing.T, g *Graph, p orb.Point) Vertex {
	t.Helper()
	v, _, ok := g.Nearest(p, DefaultMaxSnapMetres)
	if !ok {
		t.Fatalf("no vertex near %v", p)
	}
	return v
}
