package walk

import (
	"container/heap"
	"math"
	"slices"

	"github.com/paulmach/orb"

	"github.com/trygg/trygg/internal/streets"
)

// costing multiplies a segment's length by a factor depending on its
// lighting to get the cost Dijkstra minimises.
type costing [3]float64

var (
	plainCosting = costing{streets.LitUnknown: 1, streets.LitYes: 1, streets.LitNo: 1}
	// unlitCosting makes a dark street count half again its length and an
	// untagged one a fifth more, so a lit detour of up to 50 % is preferred
	// to a dark street; untagged streets are often lit, hence the milder
	// factor.
	unlitCosting = costing{streets.LitUnknown: 1.2, streets.LitYes: 1, streets.LitNo: 1.5}
)

func (c costing) max() float64 { return max(c[0], c[1], c[2]) }

// search is one Dijkstra run's state, reused across runs: entries whose
// stamp is not the current run's count as unvisited, so nothing is cleared
// between runs.
type search struct {
	g       *Graph
	cost    []float64 // minimal cost from the source
	length  []float64 // real metres along that minimal-cost path
	pred    []int32   // segment used to reach the vertex, -1 at the source
	reach   []uint32  // run in which the vertex was first reached
	settled []uint32  // run in which the vertex was settled
	target  []uint32  // run in which the vertex is a target
	run     uint32
	queue   queue
}

func newSearch(g *Graph) *search {
	n := g.Len()
	return &search{
		g: g, cost: make([]float64, n), length: make([]float64, n), pred: make([]int32, n),
		reach: make([]uint32, n), settled: make([]uint32, n), target: make([]uint32, n),
	}
}

// getSearch takes a search from the graph's pool: its arrays are as long as
// the graph, too big to allocate for every plan on a city's network.
func (g *Graph) getSearch() *search {
	if s, ok := g.searches.Get().(*search); ok {
		return s
	}
	return newSearch(g)
}

func (g *Graph) putSearch(s *search) { g.searches.Put(s) }

// reached reports whether the last run found a path to v. With a cost bound
// or early stop, only settled vertices have final costs.
func (s *search) reached(v Vertex) bool { return s.settled[v] == s.run }

// from runs Dijkstra from src with the given costing, never leaving the
// corridor (nil: the whole graph). It stops once every vertex in targets is
// settled or the next vertex costs more than maxCost.
func (s *search) from(src Vertex, c costing, maxCost float64, targets []Vertex, within *corridor) {
	s.run++
	if s.run == 0 { // wrapped after 2^32 runs: old stamps could match again
		clear(s.reach)
		clear(s.settled)
		clear(s.target)
		s.run = 1
	}
	remaining := 0
	for _, t := range targets {
		if s.target[t] != s.run {
			s.target[t] = s.run
			remaining++
		}
	}
	s.queue = s.queue[:0]
	s.visit(src, 0, 0, -1)
	for s.queue.Len() > 0 {
		it := heap.Pop(&s.queue).(item)
		if s.settled[it.v] == s.run || it.cost > s.cost[it.v] {
			continue // stale queue entry
		}
		if it.cost > maxCost {
			break
		}
		s.settled[it.v] = s.run
		if s.target[it.v] == s.run {
			if remaining--; remaining == 0 {
				break
			}
		}
		for _, h := range s.g.adj[s.g.first[it.v]:s.g.first[it.v+1]] {
			if s.settled[h.to] == s.run || within != nil && !within.contains(h.to) {
				continue
			}
			seg := &s.g.segs[h.seg]
			nc := it.cost + seg.length*c[seg.lit]
			if s.reach[h.to] != s.run || nc < s.cost[h.to] {
				s.visit(h.to, nc, s.length[it.v]+seg.length, h.seg)
			}
		}
	}
}

func (s *search) visit(v Vertex, cost, length float64, pred int32) {
	s.reach[v] = s.run
	s.cost[v] = cost
	s.length[v] = length
	s.pred[v] = pred
	heap.Push(&s.queue, item{v: v, cost: cost})
}

// path returns the points from the last run's source to v.
func (s *search) path(v Vertex) []orb.Point {
	pts := []orb.Point{s.g.points[v]}
	for s.pred[v] >= 0 {
		seg := s.g.segs[s.pred[v]]
		if seg.a == v {
			v = seg.b
		} else {
			v = seg.a
		}
		pts = append(pts, s.g.points[v])
	}
	slices.Reverse(pts)
	return pts
}

// Path is a shortest walking path between two vertices.
type Path struct {
	Points []orb.Point // lon, lat from the first vertex to the last
	Length float64     // metres
}

// ShortestPath returns the shortest walking path from a to b; with avoidUnlit
// the path minimises the lighting-weighted cost described in the package
// documentation. ok is false when b cannot be reached from a.
func (g *Graph) ShortestPath(a, b Vertex, avoidUnlit bool) (p Path, ok bool) {
	c := plainCosting
	if avoidUnlit {
		c = unlitCosting
	}
	s := g.getSearch()
	defer g.putSearch(s)
	s.from(a, c, math.Inf(1), []Vertex{b}, nil)
	if !s.reached(b) {
		return Path{}, false
	}
	return Path{Points: s.path(b), Length: s.length[b]}, true
}

// item is a queue entry; entries are not updated in place but pushed again
// with a lower cost, and stale ones skipped when popped.
type item struct {
	v    Vertex
	cost float64
}

type queue []item

func (q queue) Len() int           { return len(q) }
func (q queue) Less(i, j int) bool { return q[i].cost < q[j].cost }
func (q queue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *queue) Push(x any)        { *q = append(*q, x.(item)) }
func (q *queue) Pop() any {
	old := *q
	it := old[len(old)-1]
	*q = old[:len(old)-1]
	return it
}
