package walk

import "math"

// corridor is the part of the network a route within budget can pass: the
// vertices v whose shortest walk start→v→end fits the length limit, an
// ellipse in walking distance. Restricting every search to it keeps the
// distance matrix cheap on a whole city's network, where a search bounded
// only by the budget would cover a disc several times larger. A route that
// leaves the corridor is over budget, so no feasible route is lost.
type corridor struct {
	fromStart, toEnd *search // plain-length searches bounded by limit
	limit            float64
}

// newCorridor runs the two bounding searches. The caller returns the
// searches to the graph's pool with release.
func newCorridor(g *Graph, start, end Vertex, limit float64) *corridor {
	c := &corridor{fromStart: g.getSearch(), toEnd: g.getSearch(), limit: limit}
	c.fromStart.from(start, plainCosting, limit, nil, nil)
	c.toEnd.from(end, plainCosting, limit, nil, nil)
	return c
}

func (c *corridor) release(g *Graph) {
	g.putSearch(c.fromStart)
	g.putSearch(c.toEnd)
}

// through returns the length of the shortest walk start→v→end, +Inf when it
// is longer than the limit.
func (c *corridor) through(v Vertex) float64 {
	if !c.fromStart.reached(v) || !c.toEnd.reached(v) {
		return math.Inf(1)
	}
	return c.fromStart.length[v] + c.toEnd.length[v]
}

// contains reports whether v is in the corridor; a nil corridor holds every
// vertex. The tolerance absorbs rounding in the sums.
func (c *corridor) contains(v Vertex) bool {
	if c == nil {
		return true
	}
	return c.through(v) <= c.limit*(1+1e-9)+1e-9
}
