package streets

import (
	"context"
	"encoding/xml"
	"math"
	"os"
	"reflect"
	"testing"

	"github.com/paulmach/orb"
)

const (
	kthXML = "testdata/kth_campus_stockholm.osm"
	kthPBF = "testdata/kth_campus_stockholm.osm.pbf"
)

// rawOSM is a minimal reading of OSM XML with encoding/xml, independent of
// paulmach/osm, used to check Parse against a separate pass over the file.
type rawOSM struct {
	Nodes []struct {
		ID  int64   `xml:"id,attr"`
		Lat float64 `xml:"lat,attr"`
		Lon float64 `xml:"lon,attr"`
	} `xml:"node"`
	Ways []struct {
		ID  int64 `xml:"id,attr"`
		Nds []struct {
			Ref int64 `xml:"ref,attr"`
		} `xml:"nd"`
		Tags []struct {
			K string `xml:"k,attr"`
			V string `xml:"v,attr"`
		} `xml:"tag"`
	} `xml:"way"`
	Relations []struct{} `xml:"relation"`
}

// keepRaw restates the walkability rule from the package documentation
// directly on a tag map.
func keepRaw(tag map[string]string) bool {
	hw, foot, access := tag["highway"], tag["foot"], tag["access"]
	open := foot == "yes" || foot == "designated" || foot == "permissive"
	if foot == "no" || foot == "private" || foot == "use_sidepath" {
		return false
	}
	switch hw {
	case "footway", "path", "pedestrian", "steps", "living_street", "residential",
		"service", "unclassified", "tertiary", "tertiary_link", "secondary",
		"secondary_link", "primary", "primary_link", "track", "cycleway",
		"bridleway", "corridor", "road":
	case "motorway", "motorway_link", "trunk", "trunk_link":
		if !open {
			return false
		}
	default:
		return false
	}
	return !(access == "no" || access == "private") || open
}

// sphericalDistance uses the haversine formula on a sphere with the Gaussian
// mean radius of curvature of WGS 84 at the given latitude, a different method
// from Vincenty's that agrees to about 0.1 % over a few hundred metres.
func sphericalDistance(lat0 float64, p, q orb.Point) float64 {
	e2 := wgs84F * (2 - wgs84F)
	s := math.Sin(lat0 * math.Pi / 180)
	r := wgs84A * math.Sqrt(1-e2) / (1 - e2*s*s)
	la1, la2 := p[1]*math.Pi/180, q[1]*math.Pi/180
	dla, dlo := la2-la1, (q[0]-p[0])*math.Pi/180
	h := math.Pow(math.Sin(dla/2), 2) + math.Cos(la1)*math.Cos(la2)*math.Pow(math.Sin(dlo/2), 2)
	return 2 * r * math.Asin(math.Sqrt(h))
}

func parseFile(t *testing.T, path string, f Format, progress func(int)) *Network {
	t.Helper()
	file, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	n, err := Parse(context.Background(), file, f, progress)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestParseKTHAgainstSeparatePass(t *testing.T) {
	data, err := os.ReadFile(kthXML)
	if err != nil {
		t.Fatal(err)
	}
	var raw rawOSM
	if err := xml.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	coords := map[int64]orb.Point{}
	for _, n := range raw.Nodes {
		coords[n.ID] = orb.Point{n.Lon, n.Lat}
	}

	// The separate pass: kept ways, their length, segments and cut points.
	keptWays := map[int64]bool{}
	excluded := map[string][]int64{} // reason → way ids, for ways with a highway tag
	uses := map[int64]int{}
	var keptRefs [][]int64
	var wantLength float64
	wantSegments := 0
	for _, w := range raw.Ways {
		tag := map[string]string{}
		for _, tg := range w.Tags {
			tag[tg.K] = tg.V
		}
		if !keepRaw(tag) {
			switch {
			case tag["foot"] == "no":
				excluded["foot=no"] = append(excluded["foot=no"], w.ID)
			case tag["access"] == "private":
				excluded["access=private"] = append(excluded["access=private"], w.ID)
			}
			continue
		}
		keptWays[w.ID] = true
		var refs []int64
		for _, nd := range w.Nds {
			if _, ok := coords[nd.Ref]; !ok {
				t.Fatalf("way %d refers to node %d missing from the extract", w.ID, nd.Ref)
			}
			refs = append(refs, nd.Ref)
			uses[nd.Ref]++
		}
		for i := 1; i < len(refs); i++ {
			wantLength += sphericalDistance(59.3475, coords[refs[i-1]], coords[refs[i]])
			wantSegments++
		}
		keptRefs = append(keptRefs, refs)
	}
	wantEdges := 0
	for _, refs := range keptRefs {
		for i := 1; i < len(refs); i++ {
			if i == len(refs)-1 || uses[refs[i]] >= 2 {
				wantEdges++
			}
		}
	}
	if len(excluded["foot=no"]) == 0 || len(excluded["access=private"]) == 0 {
		t.Fatalf("extract lacks excluded ways to check: %v", excluded)
	}

	var lastProgress int
	n := parseFile(t, kthXML, FormatXML, func(done int) { lastProgress = done })
	if want := len(raw.Nodes) + len(raw.Ways) + len(raw.Relations); lastProgress != want {
		t.Errorf("last progress = %d, want %d objects", lastProgress, want)
	}
	if n.WaysKept != len(keptWays) {
		t.Errorf("WaysKept = %d, want %d", n.WaysKept, len(keptWays))
	}
	if len(n.Edges) != wantEdges {
		t.Errorf("edges = %d, want %d", len(n.Edges), wantEdges)
	}
	gotSegments := 0
	gotWays := map[int64]bool{}
	nodeAt := map[int64]orb.Point{}
	for _, nd := range n.Nodes {
		nodeAt[nd.ID] = nd.Point()
	}
	for _, e := range n.Edges {
		gotSegments += len(e.Geometry) - 1
		gotWays[e.WayID] = true
		if nodeAt[e.From] != e.Geometry[0] || nodeAt[e.To] != e.Geometry[len(e.Geometry)-1] {
			t.Errorf("edge of way %d: ends %d/%d do not match its geometry", e.WayID, e.From, e.To)
		}
	}
	if gotSegments != wantSegments {
		t.Errorf("segments = %d, want %d", gotSegments, wantSegments)
	}
	if !reflect.DeepEqual(gotWays, keptWays) {
		t.Errorf("ways in network differ from kept ways: %d vs %d", len(gotWays), len(keptWays))
	}
	for reason, ids := range excluded {
		for _, id := range ids {
			if gotWays[id] {
				t.Errorf("way %d (%s) is in the network", id, reason)
			}
		}
	}
	if got := n.Length(); math.Abs(got-wantLength) > 0.002*wantLength {
		t.Errorf("total length = %.1f m, separate pass %.1f m", got, wantLength)
	}
	t.Logf("KTH: %d kept ways, %d edges, %d nodes, %.0f m", n.WaysKept, len(n.Edges), len(n.Nodes), n.Length())
}

func TestParseKTHXMLAndPBFAgree(t *testing.T) {
	fromXML := parseFile(t, kthXML, FormatAuto, nil)
	fromPBF := parseFile(t, kthPBF, FormatAuto, nil)
	if len(fromXML.Edges) == 0 {
		t.Fatal("no edges")
	}
	if !reflect.DeepEqual(fromXML, fromPBF) {
		t.Errorf("XML and PBF networks differ: %d/%d edges, %d/%d nodes",
			len(fromXML.Edges), len(fromPBF.Edges), len(fromXML.Nodes), len(fromPBF.Nodes))
	}
}
