package streets

import "github.com/paulmach/orb"

// Lit says whether a street is lit at night, from the OSM lit tag. Unknown is
// common and means "not tagged", not "dark".
type Lit uint8

const (
	LitUnknown Lit = iota
	LitYes
	LitNo
)

// String returns "yes", "no" or "unknown", the values stored in the database.
func (l Lit) String() string {
	switch l {
	case LitYes:
		return "yes"
	case LitNo:
		return "no"
	}
	return "unknown"
}

// ParseLit reads an OSM lit value. Lighting schedules (24/7, automatic,
// sunset-sunrise, limited, interval) count as lit: the way has lamps that burn
// after dark, which is what a night walk cares about.
func ParseLit(v string) Lit {
	switch v {
	case "yes", "24/7", "automatic", "sunset-sunrise", "dusk-dawn", "limited", "interval":
		return LitYes
	case "no", "disused":
		return LitNo
	case "unknown":
		return LitUnknown
	}
	return LitUnknown
}

// Node is a point where edges meet or end: a junction, crossing or way end.
// Lon and Lat are WGS 84 degrees.
type Node struct {
	ID       int64
	Lon, Lat float64
}

// Point returns the node as an orb.Point (lon, lat).
func (n Node) Point() orb.Point { return orb.Point{n.Lon, n.Lat} }

// Edge is a piece of one OSM way between two nodes, walkable in both
// directions.
type Edge struct {
	WayID    int64
	From, To int64 // OSM node ids of the ends; From == To for a closed loop
	// Geometry runs from From to To, lon/lat, both ends included.
	Geometry []orb.Point
	// Length is the geodesic length of Geometry in metres.
	Length  float64
	Highway string
	Lit     Lit
	Surface string // OSM surface value, "" when untagged
	Name    string // OSM name, "" when untagged
}

// Network is the walkable street network of one extract. Nodes are sorted by
// ID; edges are in the order of their ways in the file, and within a way from
// its first node to its last.
type Network struct {
	Nodes []Node
	Edges []Edge
	// WaysKept is how many ways passed Walkable.
	WaysKept int
	// MissingNodeRefs counts references of kept ways to nodes absent from the
	// extract; a high count means the extract was cut without complete ways.
	MissingNodeRefs int
}

// Length returns the total length of all edges in metres.
func (n *Network) Length() float64 {
	var sum float64
	for _, e := range n.Edges {
		sum += e.Length
	}
	return sum
}
