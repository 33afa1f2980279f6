package walk

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/trygg/trygg/internal/streets"
)

// kthGraph is the walking graph of the real OSM extract of the KTH campus
// (see internal/streets/testdata/README.md).
func kthGraph(tb testing.TB) (*Graph, *streets.Network) {
	tb.Helper()
	f, err := os.Open("../streets/testdata/kth_campus_stockholm.osm.pbf")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	n, err := streets.Parse(context.Background(), f, streets.FormatPBF, nil)
	if err != nil {
		tb.Fatal(err)
	}
	g, err := FromNetwork(n)
	if err != nil {
		tb.Fatal(err)
	}
	return g, n
}

// kthProblem has 200 random candidates over the extract's bounds
// (59.34516–59.35000 N, 18.06856–18.07684 E) and a 3 km budget.
func kthProblem(seed uint64) Problem {
	rng := rand.New(rand.NewPCG(seed, 1))
	p := Problem{BudgetMetres: 3000, Seed: seed}
	at := func() orb.Point {
		return orb.Point{18.06856 + rng.Float64()*(18.07684-18.06856), 59.34516 + rng.Float64()*(59.35000-59.34516)}
	}
	p.Start, p.End = at(), ptr(at())
	for i := range 200 {
		p.Candidates = append(p.Candidates, Candidate{
			ID: fmt.Sprint(i), Point: at(), Score: float64(1 + rng.IntN(20)), Kind: KindHotspot,
		})
	}
	return p
}

func TestPlanKTH(t *testing.T) {
	g, n := kthGraph(t)
	if d := g.Length() - n.Length(); d > 1e-6 || d < -1e-6 {
		t.Fatalf("graph length %.3f differs from network length %.3f", g.Length(), n.Length())
	}
	for seed := range uint64(3) {
		p := kthProblem(seed)
		began := time.Now()
		r, err := Plan(context.Background(), g, p)
		took := time.Since(began)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if r.LengthMetres > p.BudgetMetres {
			t.Errorf("seed %d: %.0f m over the 3 km budget", seed, r.LengthMetres)
		}
		if len(r.Stops)+len(r.Skipped) != len(p.Candidates) {
			t.Errorf("seed %d: %d stops + %d skipped ≠ %d candidates", seed, len(r.Stops), len(r.Skipped), len(p.Candidates))
		}
		if len(r.Stops) == 0 {
			t.Errorf("seed %d: no stops", seed)
		}
		checkLineOnStreets(t, g, r)
		t.Logf("seed %d: %d stops, score %.0f, %.0f m, %v", seed, len(r.Stops), r.Score, r.LengthMetres, took)
	}
}

func BenchmarkPlanKTH(b *testing.B) {
	g, _ := kthGraph(b)
	p := kthProblem(1)
	for b.Loop() {
		if _, err := Plan(context.Background(), g, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlanCity10k plans on a generated street grid of about 10,000
// edges (each with an inner point, as OSM streets have) with 200 candidates
// and a 3 km budget: the size the service must plan well under a second.
func BenchmarkPlanCity10k(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 5))
	net := gridNetwork(rng, 71, 71, 60, 15, 0)
	for i := range net.edges {
		e := &net.edges[i]
		mid := orb.Point{(e.Geometry[0][0] + e.Geometry[1][0]) / 2, (e.Geometry[0][1] + e.Geometry[1][1]) / 2}
		e.Geometry = []orb.Point{e.Geometry[0], mid, e.Geometry[1]}
	}
	g := net.graph(b)
	p := Problem{Start: offset(2100, 2100), End: ptr(offset(2400, 1800)), BudgetMetres: 3000}
	for i := range 200 {
		p.Candidates = append(p.Candidates, Candidate{
			ID: fmt.Sprint(i), Point: offset(rng.Float64()*4200, rng.Float64()*4200), Score: float64(1 + rng.IntN(20)),
		})
	}
	b.ReportMetric(float64(len(net.edges)), "edges")
	for b.Loop() {
		if _, err := Plan(context.Background(), g, p); err != nil {
			b.Fatal(err)
		}
	}
}
