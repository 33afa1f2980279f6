package walk

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/trygg/trygg/internal/streets"
)

// squareNetwork: A(1)–B(2)–C(3) is 200 m with B–C unlit; A(1)–D(4)–C(3) is
// 240 m and lit; F(6)–G(7) is apart from the rest.
func squareNetwork() *testNetwork {
	n := &testNetwork{}
	n.node(1, offset(0, 0))
	n.node(2, offset(100, 0))
	n.node(3, offset(100, 100))
	n.node(4, offset(0, 140))
	n.node(6, offset(1000, 0))
	n.node(7, offset(1000, 50))
	add := func(from, to int64, length float64, lit streets.Lit) {
		n.edges = append(n.edges, streets.Edge{From: from, To: to, Length: length, Lit: lit,
			Geometry: []orb.Point{n.point(from), n.point(to)}})
	}
	add(1, 2, 100, streets.LitYes)
	add(2, 3, 100, streets.LitNo)
	add(1, 4, 120, streets.LitYes)
	add(4, 3, 120, streets.LitYes)
	add(6, 7, 50, streets.LitUnknown)
	return n
}

func vertexOf(t *testing.T, g *Graph, id int64) Vertex {
	t.Helper()
	for v := range g.Len() {
		if g.OSMID(Vertex(v)) == id {
			return Vertex(v)
		}
	}
	t.Fatalf("no vertex for node %d", id)
	return 0
}

func TestShortestPath(t *testing.T) {
	g := squareNetwork().graph(t)
	tests := []struct {
		name       string
		from, to   int64
		avoidUnlit bool
		wantOK     bool
		wantLength float64
		wantVia    int64 // node the path passes, 0 for none
	}{
		{"shortest goes through the dark street", 1, 3, false, true, 200, 2},
		{"same backwards", 3, 1, false, true, 200, 2},
		// Via B costs 100 + 1.5·100 = 250 > 240 via D.
		{"avoiding unlit takes the lit detour", 1, 3, true, true, 240, 4},
		{"to itself", 2, 2, false, true, 0, 0},
		{"other component", 1, 6, false, false, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := g.ShortestPath(vertexOf(t, g, tt.from), vertexOf(t, g, tt.to), tt.avoidUnlit)
			if ok != tt.wantOK {
				t.Fatalf("ok = %v, want %v", ok, tt.wantOK)
			}
			if !ok {
				return
			}
			if math.Abs(p.Length-tt.wantLength) > 1e-9 {
				t.Errorf("length = %v, want %v", p.Length, tt.wantLength)
			}
			if p.Points[0] != g.Point(vertexOf(t, g, tt.from)) || p.Points[len(p.Points)-1] != g.Point(vertexOf(t, g, tt.to)) {
				t.Errorf("path does not run from %d to %d", tt.from, tt.to)
			}
			if tt.wantVia != 0 {
				via := g.Point(vertexOf(t, g, tt.wantVia))
				found := false
				for _, pt := range p.Points {
					found = found || pt == via
				}
				if !found {
					t.Errorf("path %v does not pass node %d", p.Points, tt.wantVia)
				}
			}
		})
	}
}

func TestGraphSplitsEdgesAtInnerPoints(t *testing.T) {
	n := &testNetwork{}
	n.node(1, offset(0, 0))
	n.node(2, offset(300, 0))
	geom := []orb.Point{offset(0, 0), offset(100, 0), offset(200, 0), offset(300, 0)}
	n.edges = []streets.Edge{{From: 1, To: 2, Geometry: geom, Length: 330}} // stored length ≠ geodesic
	g := n.graph(t)
	if g.Len() != 4 || g.Segments() != 3 {
		t.Fatalf("graph has %d vertices, %d segments; want 4, 3", g.Len(), g.Segments())
	}
	if math.Abs(g.Length()-330) > 1e-9 {
		t.Errorf("total length = %v, want the stored 330", g.Length())
	}
	v, d, ok := g.Nearest(offset(200, 30), 150)
	if !ok || g.Point(v) != geom[2] || g.OSMID(v) != 0 {
		t.Fatalf("nearest = %v (osm %d), want the inner point %v", g.Point(v), g.OSMID(v), geom[2])
	}
	if math.Abs(d-30) > 0.1 {
		t.Errorf("snap distance = %.2f, want 30", d)
	}
}

func TestNewGraphRejectsBrokenInput(t *testing.T) {
	nodes := []streets.Node{{ID: 1, Lon: 18, Lat: 59}, {ID: 2, Lon: 18.001, Lat: 59}}
	line := []orb.Point{{18, 59}, {18.001, 59}}
	tests := []struct {
		name  string
		nodes []streets.Node
		edges []streets.Edge
	}{
		{"unknown node", nodes, []streets.Edge{{From: 1, To: 3, Geometry: line, Length: 57}}},
		{"one point", nodes, []streets.Edge{{From: 1, To: 2, Geometry: line[:1], Length: 57}}},
		{"NaN length", nodes, []streets.Edge{{From: 1, To: 2, Geometry: line, Length: math.NaN()}}},
		{"duplicate node", append(nodes, nodes[0]), nil},
	}
	for _, tt := range tests {
		if _, err := NewGraph(tt.nodes, tt.edges); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
}

// TestNearestMatchesLinearScan compares the grid index with measuring every
// vertex.
func TestNearestMatchesLinearScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	g := gridNetwork(rng, 12, 12, 80, 30, 0.2).graph(t)
	for range 500 {
		p := offset(rng.Float64()*1200-150, rng.Float64()*1200-150)
		within := 50 + rng.Float64()*200
		want, wantDist := Vertex(-1), math.Inf(1)
		for v := range g.Len() {
			if d := streets.Distance(p, g.Point(Vertex(v))); d < wantDist {
				want, wantDist = Vertex(v), d
			}
		}
		v, d, ok := g.Nearest(p, within)
		if wantOK := wantDist <= within; ok != wantOK {
			t.Fatalf("Nearest(%v, %.0f) ok = %v, want %v (nearest %.1f m)", p, within, ok, wantOK, wantDist)
		}
		if ok && (v != want || d != wantDist) {
			t.Fatalf("Nearest(%v) = %d at %.2f m, want %d at %.2f m", p, v, d, want, wantDist)
		}
	}
}

// A footway tagged oneway=yes in OSM must be walkable against its direction.
func TestOneWayFootwayWalkableBothWays(t *testing.T) {
	const doc = `<osm version="0.6">
 <node id="1" lat="59.3460" lon="18.0700"/><node id="2" lat="59.3460" lon="18.0710"/>
 <node id="3" lat="59.3470" lon="18.0710"/>
 <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="footway"/><tag k="oneway" v="yes"/></way>
 <way id="11"><nd ref="2"/><nd ref="3"/><tag k="highway" v="steps"/><tag k="oneway" v="-1"/></way>
</osm>`
	n, err := streets.Parse(context.Background(), strings.NewReader(doc), streets.FormatXML, nil)
	if err != nil {
		t.Fatal(err)
	}
	g, err := FromNetwork(n)
	if err != nil {
		t.Fatal(err)
	}
	a, c := vertexOf(t, g, 1), vertexOf(t, g, 3)
	fwd, ok1 := g.ShortestPath(a, c, false)
	back, ok2 := g.ShortestPath(c, a, false)
	if !ok1 || !ok2 {
		t.Fatalf("reachable forward %v, backward %v; want both", ok1, ok2)
	}
	if want := n.Length(); math.Abs(fwd.Length-want) > 1e-9 || math.Abs(back.Length-want) > 1e-9 {
		t.Errorf("lengths %v and %v, want %v both ways", fwd.Length, back.Length, want)
	}
}
