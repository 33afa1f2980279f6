package streets

import (
	"context"
	"math"
	"os"
	"strings"
	"testing"
)

// fixtureOSM is a hand-made extract: a footway crossed by a residential street
// at node 2, a motorway, a private road, a private road open to walkers, a
// one-way footway, a way running off the extract (node 100 is missing) and a
// cycleway closed to walkers.
const fixtureOSM = `<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
 <node id="1" lat="59.3460" lon="18.0700"/>
 <node id="2" lat="59.3460" lon="18.0710"/>
 <node id="3" lat="59.3460" lon="18.0720"/>
 <node id="4" lat="59.3450" lon="18.0710"/>
 <node id="5" lat="59.3470" lon="18.0710"/>
 <node id="6" lat="59.3480" lon="18.0730"/>
 <node id="7" lat="59.3480" lon="18.0710"/>
 <node id="8" lat="59.3490" lon="18.0710"/>
 <node id="9" lat="59.3450" lon="18.0720"/>
 <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/>
  <tag k="highway" v="footway"/><tag k="lit" v="yes"/><tag k="surface" v="asphalt"/></way>
 <way id="11"><nd ref="4"/><nd ref="2"/><nd ref="5"/>
  <tag k="highway" v="residential"/><tag k="lit" v="no"/><tag k="name" v="Testgatan"/></way>
 <way id="12"><nd ref="3"/><nd ref="6"/><tag k="highway" v="motorway"/></way>
 <way id="13"><nd ref="5"/><nd ref="7"/><tag k="highway" v="service"/><tag k="access" v="private"/></way>
 <way id="14"><nd ref="7"/><nd ref="8"/><tag k="highway" v="service"/><tag k="access" v="private"/><tag k="foot" v="yes"/></way>
 <way id="15"><nd ref="3"/><nd ref="9"/><tag k="highway" v="footway"/><tag k="oneway" v="yes"/></way>
 <way id="16"><nd ref="9"/><nd ref="100"/><nd ref="8"/><nd ref="8"/><nd ref="7"/><tag k="highway" v="path"/></way>
 <way id="17"><nd ref="1"/><nd ref="4"/><tag k="highway" v="cycleway"/><tag k="foot" v="no"/></way>
</osm>`

func TestParseFixture(t *testing.T) {
	n, err := Parse(context.Background(), strings.NewReader(fixtureOSM), FormatAuto, nil)
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ way, from, to int64 }
	want := []key{{10, 1, 2}, {10, 2, 3}, {11, 4, 2}, {11, 2, 5}, {14, 7, 8}, {15, 3, 9}, {16, 8, 7}}
	if len(n.Edges) != len(want) {
		t.Fatalf("got %d edges %v, want %d", len(n.Edges), n.Edges, len(want))
	}
	for i, e := range n.Edges {
		if got := (key{e.WayID, e.From, e.To}); got != want[i] {
			t.Errorf("edge %d = %v, want %v", i, got, want[i])
		}
		if wantLen := LineLength(e.Geometry); math.Abs(e.Length-wantLen) > 1e-9 || e.Length <= 0 {
			t.Errorf("edge %d length %v, want %v", i, e.Length, wantLen)
		}
	}
	if n.WaysKept != 5 {
		t.Errorf("WaysKept = %d, want 5 (10, 11, 14, 15, 16)", n.WaysKept)
	}
	if n.MissingNodeRefs != 1 {
		t.Errorf("MissingNodeRefs = %d, want 1", n.MissingNodeRefs)
	}
	var ids []int64
	for _, nd := range n.Nodes {
		ids = append(ids, nd.ID)
	}
	if want := []int64{1, 2, 3, 4, 5, 7, 8, 9}; !equalInts(ids, want) {
		t.Errorf("nodes = %v, want %v", ids, want)
	}
	// Attributes travel with the edge.
	e := n.Edges[0]
	if e.Highway != "footway" || e.Lit != LitYes || e.Surface != "asphalt" {
		t.Errorf("edge 0 attributes = %q %v %q", e.Highway, e.Lit, e.Surface)
	}
	if e := n.Edges[2]; e.Lit != LitNo || e.Name != "Testgatan" {
		t.Errorf("edge 2 lit/name = %v %q", e.Lit, e.Name)
	}
	if e := n.Edges[4]; e.Lit != LitUnknown || e.Surface != "" {
		t.Errorf("edge 4 lit/surface = %v %q", e.Lit, e.Surface)
	}
	// 1→2 is 0.001° of longitude at 59.346° N: about 56.9 m.
	if got := n.Edges[0].Length; math.Abs(got-56.9) > 0.2 {
		t.Errorf("edge 1-2 length = %.2f m, want about 56.9", got)
	}
}

func equalInts(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFormatFromName(t *testing.T) {
	tests := []struct {
		name string
		want Format
	}{
		{"kth.osm.pbf", FormatPBF}, {"KTH.OSM", FormatXML}, {"a.xml", FormatXML}, {"data.bin", FormatAuto},
	}
	for _, tt := range tests {
		if got := FormatFromName(tt.name); got != tt.want {
			t.Errorf("FormatFromName(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestSniff(t *testing.T) {
	pbf, err := os.ReadFile(kthPBF)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		head []byte
		want Format
	}{
		{"xml declaration", []byte(`<?xml version="1.0"?><osm>`), FormatXML},
		{"bom and space", []byte("\xef\xbb\xbf \n<osm version=\"0.6\">"), FormatXML},
		{"real pbf", pbf[:64], FormatPBF},
		{"garbage", []byte("PK\x03\x04 zip file"), FormatAuto},
		{"empty", nil, FormatAuto},
	}
	for _, tt := range tests {
		if got := sniff(tt.head); got != tt.want {
			t.Errorf("%s: sniff = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestParseRejectsUnknownInput(t *testing.T) {
	_, err := Parse(context.Background(), strings.NewReader("hello"), FormatAuto, nil)
	if err != ErrUnknownFormat {
		t.Errorf("err = %v, want ErrUnknownFormat", err)
	}
	_, err = Parse(context.Background(), strings.NewReader("<osm><node id="), FormatXML, nil)
	if err == nil {
		t.Error("truncated XML parsed without error")
	}
}

func TestParseHonoursCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Parse(ctx, strings.NewReader(fixtureOSM), FormatXML, nil); err == nil {
		t.Error("cancelled parse returned no error")
	}
}
