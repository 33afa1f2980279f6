package walk

import (
	"fmt"
	"math"
	"sync"

	"github.com/paulmach/orb"

	"github.com/trygg/trygg/internal/streets"
)

// Vertex is a point of a Graph: a junction or way end from the street network,
// or an intermediate point of an edge's geometry. Splitting edges at every
// geometry point lets places snap to the street nearest them, not only to the
// nearest junction, which may be hundreds of metres away on a long street.
type Vertex int32

// segment is one straight piece of street between two vertices.
type segment struct {
	a, b   Vertex
	length float64 // metres
	lit    streets.Lit
}

// halfEdge is a segment seen from one of its ends.
type halfEdge struct {
	to  Vertex
	seg int32
}

// Graph is an undirected walking graph held in memory. It is safe for
// concurrent use by many Plan calls once built.
type Graph struct {
	points []orb.Point // lon, lat per vertex
	osmIDs []int64     // OSM node id per vertex, 0 for intermediate points
	segs   []segment
	// first[v]..first[v+1] index v's half-edges in adj (compressed rows).
	first []int32
	adj   []halfEdge
	grid  *grid
	// component numbers the connected parts of the network; two vertices
	// are joined by some path exactly when their numbers are equal.
	component []int32
	searches  sync.Pool // of *search, reused across plans
}

// FromNetwork builds the graph of a parsed street network.
func FromNetwork(n *streets.Network) (*Graph, error) {
	return NewGraph(n.Nodes, n.Edges)
}

// NewGraph builds a graph from nodes and edges, for example loaded from the
// database. Every edge's From and To must be among nodes and its Geometry must
// run from From to To; Length is spread over the geometry's pieces in
// proportion to their geodesic lengths, so totals stay what was stored.
func NewGraph(nodes []streets.Node, edges []streets.Edge) (*Graph, error) {
	g := &Graph{}
	byID := make(map[int64]Vertex, len(nodes))
	for _, n := range nodes {
		if _, dup := byID[n.ID]; dup {
			return nil, fmt.Errorf("walk: node %d appears twice", n.ID)
		}
		byID[n.ID] = g.addVertex(n.Point(), n.ID)
	}
	for i, e := range edges {
		from, okFrom := byID[e.From]
		to, okTo := byID[e.To]
		if !okFrom || !okTo {
			return nil, fmt.Errorf("walk: edge %d (way %d) ends at a node not in the graph", i, e.WayID)
		}
		if len(e.Geometry) < 2 {
			return nil, fmt.Errorf("walk: edge %d (way %d) has fewer than two points", i, e.WayID)
		}
		if math.IsNaN(e.Length) || math.IsInf(e.Length, 0) || e.Length < 0 {
			return nil, fmt.Errorf("walk: edge %d (way %d) has length %v", i, e.WayID, e.Length)
		}
		g.addEdge(from, to, e)
	}
	g.buildAdjacency()
	g.labelComponents()
	g.grid = newGrid(g.points)
	return g, nil
}

func (g *Graph) addVertex(p orb.Point, osmID int64) Vertex {
	g.points = append(g.points, p)
	g.osmIDs = append(g.osmIDs, osmID)
	return Vertex(len(g.points) - 1)
}

// addEdge adds one segment per piece of the edge's geometry, with new
// vertices for its inner points.
func (g *Graph) addEdge(from, to Vertex, e streets.Edge) {
	pieces := make([]float64, len(e.Geometry)-1)
	var geodesic float64
	for i := range pieces {
		pieces[i] = streets.Distance(e.Geometry[i], e.Geometry[i+1])
		geodesic += pieces[i]
	}
	scale := 1.0
	if geodesic > 0 {
		scale = e.Length / geodesic
	}
	prev := from
	for i, piece := range pieces {
		next := to
		if i < len(pieces)-1 {
			next = g.addVertex(e.Geometry[i+1], 0)
		}
		length := piece * scale
		if geodesic == 0 {
			length = e.Length / float64(len(pieces))
		}
		g.segs = append(g.segs, segment{a: prev, b: next, length: length, lit: e.Lit})
		prev = next
	}
}

func (g *Graph) buildAdjacency() {
	n := len(g.points)
	g.first = make([]int32, n+1)
	for _, s := range g.segs {
		g.first[s.a+1]++
		g.first[s.b+1]++
	}
	for v := range n {
		g.first[v+1] += g.first[v]
	}
	g.adj = make([]halfEdge, 2*len(g.segs))
	fill := append([]int32(nil), g.first[:n]...)
	for i, s := range g.segs {
		g.adj[fill[s.a]] = halfEdge{to: s.b, seg: int32(i)}
		fill[s.a]++
		g.adj[fill[s.b]] = halfEdge{to: s.a, seg: int32(i)}
		fill[s.b]++
	}
}

// Len returns the number of vertices.
func (g *Graph) Len() int { return len(g.points) }

// Segments returns the number of straight street pieces.
func (g *Graph) Segments() int { return len(g.segs) }

// Point returns a vertex's position (lon, lat).
func (g *Graph) Point(v Vertex) orb.Point { return g.points[v] }

// OSMID returns the OSM node id of a junction or way end, 0 for an
// intermediate point of a street.
func (g *Graph) OSMID(v Vertex) int64 { return g.osmIDs[v] }

// Length returns the total length of the graph's streets in metres.
func (g *Graph) Length() float64 {
	var sum float64
	for _, s := range g.segs {
		sum += s.length
	}
	return sum
}

// labelComponents numbers connected components by breadth-first search.
func (g *Graph) labelComponents() {
	g.component = make([]int32, len(g.points))
	for i := range g.component {
		g.component[i] = -1
	}
	var next int32
	var queue []Vertex
	for v := range g.component {
		if g.component[v] >= 0 {
			continue
		}
		g.component[v] = next
		queue = append(queue[:0], Vertex(v))
		for len(queue) > 0 {
			u := queue[0]
			queue = queue[1:]
			for _, h := range g.adj[g.first[u]:g.first[u+1]] {
				if g.component[h.to] < 0 {
					g.component[h.to] = next
					queue = append(queue, h.to)
				}
			}
		}
		next++
	}
}
