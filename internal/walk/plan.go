package walk

import (
	"context"
	"math"
	"slices"
	"time"

	"github.com/paulmach/orb"
)

// snapped is a candidate placed on the street network.
type snapped struct {
	cand   int // index into Problem.Candidates
	vertex Vertex
	metres float64
}

// Plan finds a route from p.Start to p.End that collects as much candidate
// score as it can within the budget, visiting every must-visit candidate.
// Candidates left out are listed in Route.Skipped with the reason. The errors
// are described with ErrBudgetTooSmall and its siblings.
func Plan(ctx context.Context, g *Graph, p Problem) (Route, error) {
	if err := p.validate(); err != nil {
		return Route{}, err
	}
	endPoint := p.Start
	if p.End != nil {
		endPoint = *p.End
	}
	start, _, okStart := g.Nearest(p.Start, p.MaxSnapMetres)
	end, _, okEnd := g.Nearest(endPoint, p.MaxSnapMetres)
	if !okStart || !okEnd {
		return Route{}, unprocessable(ErrStartNotOnNetwork, "start or end is more than %.0f m from any street", p.MaxSnapMetres)
	}
	if g.component[start] != g.component[end] {
		return Route{}, unprocessable(ErrEndUnreachable, "no street path joins start and end")
	}

	// Snap candidates and sort out those no route can reach.
	skipped := make(map[int]string)
	terms := []Vertex{start, end}
	var snaps []snapped
	for i, c := range p.Candidates {
		v, d, ok := g.Nearest(c.Point, p.MaxSnapMetres)
		switch {
		case !ok:
			skipped[i] = SkipTooFar
		case g.component[v] != g.component[start]:
			skipped[i] = SkipUnreachable
		default:
			snaps = append(snaps, snapped{cand: i, vertex: v, metres: d})
			terms = append(terms, v)
			continue
		}
		if c.MustVisit {
			return Route{}, unprocessable(ErrMustVisitUnreachable, "must-visit place %q is %s", c.ID, skipped[i])
		}
	}

	// Every vertex a route within budget can pass lies in the corridor;
	// a candidate outside it cannot be visited even alone.
	within := newCorridor(g, start, end, p.lengthLimit(0))
	defer within.release(g)
	if !within.contains(start) {
		return Route{}, unprocessable(ErrBudgetTooSmall, "the walk from start to end alone does not fit the budget")
	}
	costs := plainCosting
	if p.AvoidUnlit {
		costs = unlitCosting
	}
	// No leg of a route within budget is longer than the budget, and its
	// cost is at most the budget times the largest cost factor.
	dist, err := distances(ctx, g, terms, costs, p.lengthLimit(0)*costs.max(), within)
	if err != nil {
		return Route{}, err
	}
	in := &instance{
		dist:   dist,
		score:  make([]float64, len(terms)),
		must:   make([]bool, len(terms)),
		usable: make([]bool, len(terms)),
		limit:  p.lengthLimit,
	}
	if !in.fits(dist[0][1], 0) {
		return Route{}, unprocessable(ErrBudgetTooSmall, "the walk from start to end alone does not fit the budget")
	}
	for k, s := range snaps {
		c, t := p.Candidates[s.cand], k+2
		in.score[t], in.must[t] = c.Score, c.MustVisit
		in.usable[t] = within.contains(s.vertex) && in.fits(dist[0][t]+dist[t][1], 1)
		if !in.usable[t] {
			if c.MustVisit {
				return Route{}, unprocessable(ErrBudgetTooSmall, "must-visit place %q does not fit the budget even alone", c.ID)
			}
			skipped[s.cand] = SkipOverBudget
		}
	}
	base := in.mustTour()
	if !in.fits(base.length, len(base.stops)) {
		if math.IsInf(base.length, 1) {
			return Route{}, unprocessable(ErrBudgetTooSmall, "the must-visit places are too far apart for the budget")
		}
		return Route{}, unprocessable(ErrBudgetTooSmall,
			"the shortest walk through all must-visit places is %.0f m, more than the budget allows", base.length)
	}
	best := in.search(ctx, base, p.Iterations, time.Now().Add(p.TimeLimit), p.Seed)
	if err := ctx.Err(); err != nil {
		return Route{}, err
	}
	return buildRoute(g, &p, costs, within, terms, snaps, best, skipped), nil
}

// buildRoute walks the chosen tour's legs again to get the street geometry.
// Each leg is searched from its lower-numbered terminal within the same
// corridor, as in distances, so the path found is the one whose length the
// planner counted.
func buildRoute(g *Graph, p *Problem, costs costing, within *corridor, terms []Vertex, snaps []snapped, t tour, skipped map[int]string) Route {
	r := Route{Start: g.Point(terms[0]), End: g.Point(terms[1]), Line: []orb.Point{g.Point(terms[0])}}
	s := g.getSearch()
	defer g.putSearch(s)
	seq := append(append([]int{0}, t.stops...), 1)
	onRoute := make(map[int]bool)
	for k := 1; k < len(seq); k++ {
		a, b := seq[k-1], seq[k]
		lo, hi := min(a, b), max(a, b)
		s.from(terms[lo], costs, math.Inf(1), []Vertex{terms[hi]}, within)
		leg := s.path(terms[hi])
		if lo != a {
			slices.Reverse(leg)
		}
		r.Line = append(r.Line, leg[1:]...)
		r.LengthMetres += s.length[terms[hi]]
		if b == 1 {
			break
		}
		sn := snaps[b-2]
		onRoute[sn.cand] = true
		c := p.Candidates[sn.cand]
		r.Score += c.Score
		r.Stops = append(r.Stops, Stop{
			Candidate:      c,
			Point:          g.Point(sn.vertex),
			SnapMetres:     sn.metres,
			DistanceMetres: r.LengthMetres,
			Arrival:        p.duration(r.LengthMetres, len(r.Stops)),
		})
	}
	r.Duration = p.duration(r.LengthMetres, len(r.Stops))
	for i, c := range p.Candidates {
		if onRoute[i] {
			continue
		}
		reason, ok := skipped[i]
		if !ok {
			reason = SkipNotChosen
		}
		r.Skipped = append(r.Skipped, Skipped{Candidate: c, Reason: reason})
	}
	return r
}
