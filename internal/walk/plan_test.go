package walk

import (
	"context"
	"errors"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/streets"
)

// streetLayout is a 1 km street running east from the origin (nodes 1–11,
// every 100 m) with three dead-end side streets going north: 300 m long at
// x = 300 m (A) and x = 700 m (B), 800 m long at x = 1000 m (C); and a short
// street 2 km north that is not connected (the island).
func streetLayout(t *testing.T) *Graph {
	n := &testNetwork{}
	for i := int64(0); i <= 10; i++ {
		n.node(i+1, offset(float64(i)*100, 0))
		if i > 0 {
			n.edge(i, i+1, streets.LitYes)
		}
	}
	spur := func(base, at int64, x float64, count int) {
		prev := at
		for k := 1; k <= count; k++ {
			id := base + int64(k)
			n.node(id, offset(x, float64(k)*100))
			n.edge(prev, id, streets.LitYes)
			prev = id
		}
	}
	spur(100, 4, 300, 3)
	spur(200, 8, 700, 3)
	spur(300, 11, 1000, 8)
	n.node(901, offset(0, 2000))
	n.node(902, offset(100, 2000))
	n.edge(901, 902, streets.LitYes)
	return n.graph(t)
}

// layoutCandidates: "on" lies beside the main street, A and B at the ends of
// their side streets (600 m there and back), C at the end of the long one.
func layoutCandidates() []Candidate {
	return []Candidate{
		{ID: "on", Point: offset(500, 20), Score: 5, Reason: "dark underpass", Kind: KindHotspot},
		{ID: "far", Point: offset(500, 500), Score: 9, Kind: KindManual},
		{ID: "island", Point: offset(50, 2000), Score: 9, Kind: KindCluster},
		{ID: "C", Point: offset(1000, 800), Score: 9, Kind: KindHotspot},
		{ID: "A", Point: offset(300, 300), Score: 4, Kind: KindOpenMeasure},
		{ID: "B", Point: offset(700, 300), Score: 6, Kind: KindHotspot},
	}
}

func stopIDs(r Route) []string {
	var ids []string
	for _, s := range r.Stops {
		ids = append(ids, s.Candidate.ID)
	}
	return ids
}

func skipReasons(r Route) map[string]string {
	m := map[string]string{}
	for _, s := range r.Skipped {
		m[s.Candidate.ID] = s.Reason
	}
	return m
}

func TestPlanChoosesAndExplains(t *testing.T) {
	g := streetLayout(t)
	cands := layoutCandidates()
	tests := []struct {
		name      string
		must      string // candidate to mark must-visit
		wantStops []string
		wantSkip  map[string]string
		wantScore float64
	}{
		{
			name:      "B beats A when only one side street fits",
			wantStops: []string{"on", "B"},
			wantSkip:  map[string]string{"far": SkipTooFar, "island": SkipUnreachable, "C": SkipOverBudget, "A": SkipNotChosen},
			wantScore: 11,
		},
		{
			name:      "a must-visit A takes B's place",
			must:      "A",
			wantStops: []string{"A", "on"},
			wantSkip:  map[string]string{"far": SkipTooFar, "island": SkipUnreachable, "C": SkipOverBudget, "B": SkipNotChosen},
			wantScore: 9,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Problem{Start: offset(0, 0), End: ptr(offset(1000, 0)), BudgetMetres: 1700, Candidates: cloneWithMust(cands, tt.must)}
			r, err := Plan(context.Background(), g, p)
			if err != nil {
				t.Fatal(err)
			}
			if got := stopIDs(r); !reflect.DeepEqual(got, tt.wantStops) {
				t.Errorf("stops = %v, want %v", got, tt.wantStops)
			}
			if got := skipReasons(r); !reflect.DeepEqual(got, tt.wantSkip) {
				t.Errorf("skipped = %v, want %v", got, tt.wantSkip)
			}
			if r.Score != tt.wantScore {
				t.Errorf("score = %v, want %v", r.Score, tt.wantScore)
			}
			// 1 km along the street plus 600 m up a side street and back.
			if math.Abs(r.LengthMetres-1600) > 0.01*1600 || r.LengthMetres > p.BudgetMetres {
				t.Errorf("length = %.1f m, want about 1600 and within 1700", r.LengthMetres)
			}
			if r.Start != g.Point(mustNearest(t, g, p.Start)) || r.End != g.Point(mustNearest(t, g, *p.End)) {
				t.Errorf("route runs %v→%v", r.Start, r.End)
			}
			checkLineOnStreets(t, g, r)
		})
	}
}

func cloneWithMust(cands []Candidate, must string) []Candidate {
	out := append([]Candidate(nil), cands...)
	for i := range out {
		out[i].MustVisit = out[i].ID == must
	}
	return out
}

// checkLineOnStreets checks that the route's line steps only along graph
// segments and that its length adds up.
func checkLineOnStreets(t *testing.T, g *Graph, r Route) {
	t.Helper()
	joined := map[[2]orb.Point]bool{}
	for _, s := range g.segs {
		a, b := g.Point(s.a), g.Point(s.b)
		joined[[2]orb.Point{a, b}], joined[[2]orb.Point{b, a}] = true, true
	}
	for i := 1; i < len(r.Line); i++ {
		if !joined[[2]orb.Point{r.Line[i-1], r.Line[i]}] {
			t.Fatalf("line step %d (%v→%v) is not a street", i, r.Line[i-1], r.Line[i])
		}
	}
	if got := streets.LineLength(r.Line); math.Abs(got-r.LengthMetres) > 1e-6*r.LengthMetres+1e-9 {
		t.Errorf("line measures %.3f m, route says %.3f m", got, r.LengthMetres)
	}
	last := 0.0
	for _, s := range r.Stops {
		if s.DistanceMetres < last || s.DistanceMetres > r.LengthMetres {
			t.Errorf("stop %s at %.1f m is out of order", s.Candidate.ID, s.DistanceMetres)
		}
		last = s.DistanceMetres
	}
}

func TestPlanDurationBudget(t *testing.T) {
	g := streetLayout(t)
	// Four places on the main street; 1000 m at 1 m/s is 16⅔ minutes, so a
	// 30-minute budget with 5 minutes a stop leaves room for two stops.
	var cands []Candidate
	for i, x := range []float64{200, 400, 600, 800} {
		cands = append(cands, Candidate{ID: string(rune('w' + i)), Point: offset(x, 10), Score: float64(i + 1)})
	}
	p := Problem{
		Start: offset(0, 0), End: ptr(offset(1000, 0)), BudgetMinutes: 30, StopMinutes: 5, Speed: 1,
		Candidates: cands,
	}
	r, err := Plan(context.Background(), g, p)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := stopIDs(r), []string{"y", "z"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("stops = %v, want %v", got, want)
	}
	walking := r.LengthMetres / 1
	want := time.Duration((walking + 10*60) * float64(time.Second))
	if r.Duration != want || r.Duration > 30*time.Minute {
		t.Errorf("duration = %v, want %v within 30 min", r.Duration, want)
	}
	// The first stop is reached after walking about 600 m, no stop before it.
	if a := r.Stops[0].Arrival; math.Abs(a.Seconds()-r.Stops[0].DistanceMetres) > 1e-6 || math.Abs(a.Seconds()-600) > 6 {
		t.Errorf("first arrival = %v, want about 10 min", a)
	}
	// The second arrives after the first stop's 5 minutes.
	if a := r.Stops[1].Arrival; math.Abs(a.Seconds()-(r.Stops[1].DistanceMetres+300)) > 1e-6 {
		t.Errorf("second arrival = %v, want walking time plus 5 min", a)
	}
}

func TestPlanRoundWalkReturnsToStart(t *testing.T) {
	g := streetLayout(t)
	p := Problem{Start: offset(0, 0), BudgetMetres: 1500, Candidates: layoutCandidates()}
	r, err := Plan(context.Background(), g, p)
	if err != nil {
		t.Fatal(err)
	}
	if r.End != r.Start || r.Line[len(r.Line)-1] != r.Start {
		t.Errorf("round walk ends at %v, want start %v", r.End, r.Start)
	}
	// "on" alone is 1000 m there and back for 5; A alone 1200 m for 4; both
	// need 1600 m; B needs 2000 m.
	if got := stopIDs(r); !reflect.DeepEqual(got, []string{"on"}) {
		t.Errorf("stops = %v, want [on]", got)
	}
	checkLineOnStreets(t, g, r)
}

func TestPlanAvoidUnlit(t *testing.T) {
	n := squareNetwork()
	g := n.graph(t)
	for _, tt := range []struct {
		avoid bool
		want  float64
	}{{false, 200}, {true, 240}} {
		p := Problem{Start: n.point(1), End: ptr(n.point(3)), BudgetMetres: 500, AvoidUnlit: tt.avoid}
		r, err := Plan(context.Background(), g, p)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(r.LengthMetres-tt.want) > 1e-9 {
			t.Errorf("avoid unlit %v: length %v, want %v (real metres)", tt.avoid, r.LengthMetres, tt.want)
		}
	}
}

func TestPlanErrors(t *testing.T) {
	g := streetLayout(t)
	base := Problem{Start: offset(0, 0), End: ptr(offset(1000, 0)), BudgetMetres: 1700}
	with := func(f func(*Problem)) Problem {
		p := base
		f(&p)
		return p
	}
	tests := []struct {
		name     string
		p        Problem
		want     error
		wantKind apperr.Kind
	}{
		{"no budget", with(func(p *Problem) { p.BudgetMetres = 0 }), ErrInvalidProblem, apperr.Invalid},
		{"negative score", with(func(p *Problem) { p.Candidates = []Candidate{{ID: "x", Point: offset(0, 0), Score: -1}} }), ErrInvalidProblem, apperr.Invalid},
		{"duplicate ids", with(func(p *Problem) {
			p.Candidates = []Candidate{{ID: "x", Point: offset(0, 0)}, {ID: "x", Point: offset(0, 0)}}
		}), ErrInvalidProblem, apperr.Invalid},
		{"start off the streets", with(func(p *Problem) { p.Start = offset(0, 600) }), ErrStartNotOnNetwork, apperr.Unprocessable},
		{"end on the island", with(func(p *Problem) { p.End = ptr(offset(0, 2000)) }), ErrEndUnreachable, apperr.Unprocessable},
		{"start to end alone too long", with(func(p *Problem) { p.BudgetMetres = 900 }), ErrBudgetTooSmall, apperr.Unprocessable},
		{"must-visit C too far out", with(func(p *Problem) {
			p.Candidates = []Candidate{{ID: "C", Point: offset(1000, 800), Score: 1, MustVisit: true}}
		}), ErrBudgetTooSmall, apperr.Unprocessable},
		{"must-visit A and B together", with(func(p *Problem) {
			p.Candidates = []Candidate{
				{ID: "A", Point: offset(300, 300), Score: 1, MustVisit: true},
				{ID: "B", Point: offset(700, 300), Score: 1, MustVisit: true},
			}
		}), ErrBudgetTooSmall, apperr.Unprocessable},
		{"must-visit off the streets", with(func(p *Problem) {
			p.Candidates = []Candidate{{ID: "far", Point: offset(500, 500), MustVisit: true}}
		}), ErrMustVisitUnreachable, apperr.Unprocessable},
		{"must-visit on the island", with(func(p *Problem) {
			p.Candidates = []Candidate{{ID: "island", Point: offset(50, 2000), MustVisit: true}}
		}), ErrMustVisitUnreachable, apperr.Unprocessable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Plan(context.Background(), g, tt.p)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if k := apperr.KindOf(err); k != tt.wantKind {
				t.Errorf("kind = %v, want %v", k, tt.wantKind)
			}
		})
	}
}

func TestPlanIsDeterministic(t *testing.T) {
	g := streetLayout(t)
	p := Problem{Start: offset(0, 0), End: ptr(offset(1000, 0)), BudgetMetres: 1700, Candidates: layoutCandidates(), Seed: 7}
	a, errA := Plan(context.Background(), g, p)
	b, errB := Plan(context.Background(), g, p)
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if !reflect.DeepEqual(a, b) {
		t.Error("two plans of the same problem differ")
	}
}

func TestPlanHonoursCancel(t *testing.T) {
	g := streetLayout(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p := Problem{Start: offset(0, 0), BudgetMetres: 1700, Candidates: layoutCandidates()}
	if _, err := Plan(ctx, g, p); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
