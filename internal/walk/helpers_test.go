package walk

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"

	"github.com/trygg/trygg/internal/streets"
)

// origin is near KTH in Stockholm; generated graphs are laid out from it.
var origin = orb.Point{18.07, 59.35}

// offset returns the point dx metres east and dy metres north of origin.
func offset(dx, dy float64) orb.Point {
	const mPerDeg = 6371008.8 * math.Pi / 180
	return orb.Point{
		origin[0] + dx/(mPerDeg*math.Cos(origin[1]*math.Pi/180)),
		origin[1] + dy/mPerDeg,
	}
}

// testNetwork collects nodes and straight edges for a generated graph.
type testNetwork struct {
	nodes []streets.Node
	edges []streets.Edge
}

func (n *testNetwork) node(id int64, p orb.Point) {
	n.nodes = append(n.nodes, streets.Node{ID: id, Lon: p[0], Lat: p[1]})
}

func (n *testNetwork) point(id int64) orb.Point {
	for _, nd := range n.nodes {
		if nd.ID == id {
			return nd.Point()
		}
	}
	panic("no node")
}

// edge adds a straight edge whose length is its geodesic length.
func (n *testNetwork) edge(from, to int64, lit streets.Lit) {
	geom := []orb.Point{n.point(from), n.point(to)}
	n.edges = append(n.edges, streets.Edge{
		WayID: int64(len(n.edges) + 1), From: from, To: to, Geometry: geom,
		Length: streets.LineLength(geom), Highway: "footway", Lit: lit,
	})
}

func (n *testNetwork) graph(t testing.TB) *Graph {
	t.Helper()
	g, err := NewGraph(n.nodes, n.edges)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// gridNetwork is rows×cols junctions spacing metres apart, id r*cols+c+1,
// with jitter metres of random displacement and each street left out with
// probability drop.
func gridNetwork(rng *rand.Rand, rows, cols int, spacing, jitter, drop float64) *testNetwork {
	n := &testNetwork{}
	id := func(r, c int) int64 { return int64(r*cols + c + 1) }
	for r := range rows {
		for c := range cols {
			jx, jy := (rng.Float64()*2-1)*jitter, (rng.Float64()*2-1)*jitter
			n.node(id(r, c), offset(float64(c)*spacing+jx, float64(r)*spacing+jy))
		}
	}
	for r := range rows {
		for c := range cols {
			if c+1 < cols && rng.Float64() >= drop {
				n.edge(id(r, c), id(r, c+1), streets.LitYes)
			}
			if r+1 < rows && rng.Float64() >= drop {
				n.edge(id(r, c), id(r+1, c), streets.LitYes)
			}
		}
	}
	return n
}
