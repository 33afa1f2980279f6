package streets

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/osm"
)

// keptWay is a walkable way reduced to what the network needs. refs is one
// run of node ids whose coordinates are all known.
type keptWay struct {
	id                     int64
	refs                   []int64
	highway, surface, name string
	lit                    Lit
}

// builder collects nodes and walkable ways during a scan and splits the ways
// into edges once all of them are known, because whether a node is a junction
// depends on ways that may come later in the file.
type builder struct {
	coords  map[int64]orb.Point
	runs    []keptWay
	kept    int
	missing int
}

func newBuilder() *builder {
	return &builder{coords: make(map[int64]orb.Point)}
}

// addNode records a node's position. A node with impossible coordinates is
// treated as missing, so no NaN or infinite length can reach the network.
// Coordinates are put back on OSM's fixed-point grid of 1e-7 degrees: PBF
// decoding multiplies integers by a granularity and leaves float noise
// (18.071624800000002), and rounding makes XML and PBF give identical networks.
func (b *builder) addNode(id int64, p orb.Point) {
	if !(p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90) {
		return
	}
	b.coords[id] = orb.Point{osmGrid(p[0]), osmGrid(p[1])}
}

// osmGrid rounds degrees to the nearest 1e-7, the precision OSM stores.
func osmGrid(deg float64) float64 { return math.Round(deg*1e7) / 1e7 }

// addWay records a walkable way, breaking it where a referenced node is
// missing from the extract and dropping immediate repeats of a node (they
// would make zero-length segments).
func (b *builder) addWay(w *osm.Way) {
	b.kept++
	base := keptWay{
		id:      int64(w.ID),
		highway: w.Tags.Find("highway"),
		surface: w.Tags.Find("surface"),
		name:    w.Tags.Find("name"),
		lit:     ParseLit(w.Tags.Find("lit")),
	}
	var run []int64
	flush := func() {
		if len(run) >= 2 {
			k := base
			k.refs = run
			b.runs = append(b.runs, k)
		}
		run = nil
	}
	for _, wn := range w.Nodes {
		id := int64(wn.ID)
		if _, ok := b.coords[id]; !ok {
			b.missing++
			flush()
			continue
		}
		if len(run) > 0 && run[len(run)-1] == id {
			continue
		}
		run = append(run, id)
	}
	flush()
}

// network splits the collected ways into edges at their ends and at every node
// referenced more than once.
func (b *builder) network() *Network {
	uses := make(map[int64]int)
	for _, r := range b.runs {
		for _, id := range r.refs {
			uses[id]++
		}
	}
	nodes := make(map[int64]bool)
	var edges []Edge
	for _, r := range b.runs {
		start := 0
		for i := 1; i < len(r.refs); i++ {
			if i < len(r.refs)-1 && uses[r.refs[i]] < 2 {
				continue
			}
			edges = append(edges, b.edge(r, r.refs[start:i+1]))
			nodes[r.refs[start]] = true
			nodes[r.refs[i]] = true
			start = i
		}
	}
	n := &Network{Edges: edges, WaysKept: b.kept, MissingNodeRefs: b.missing}
	n.Nodes = make([]Node, 0, len(nodes))
	for id := range nodes {
		p := b.coords[id]
		n.Nodes = append(n.Nodes, Node{ID: id, Lon: p[0], Lat: p[1]})
	}
	slices.SortFunc(n.Nodes, func(a, c Node) int { return cmp.Compare(a.ID, c.ID) })
	return n
}

func (b *builder) edge(r keptWay, refs []int64) Edge {
	geom := make([]orb.Point, len(refs))
	for i, id := range refs {
		geom[i] = b.coords[id]
	}
	return Edge{
		WayID:    r.id,
		From:     refs[0],
		To:       refs[len(refs)-1],
		Geometry: geom,
		Length:   LineLength(geom),
		Highway:  r.highway,
		Lit:      r.lit,
		Surface:  r.surface,
		Name:     r.name,
	}
}
