package streets

import (
	"bytes"
	"context"
	"math"
	"os"
	"strings"
	"testing"
)

// FuzzParseXML feeds arbitrary text to the XML reader. Parse may reject it,
// but must not panic, and whatever it accepts must be a consistent network.
func FuzzParseXML(f *testing.F) {
	f.Add(fixtureOSM)
	f.Add(`<osm><node id="1" lat="0" lon="0"/><node id="2" lat="0" lon="0.001"/>` +
		`<way id="3"><nd ref="1"/><nd ref="2"/><nd ref="1"/><tag k="highway" v="path"/></way></osm>`)
	f.Add(`<osm><node id="1" lat="91" lon="0"/><node id="2" lat="NaN" lon="0"/>` +
		`<way id="3"><nd ref="1"/><nd ref="2"/><tag k="highway" v="path"/></way></osm>`)
	f.Fuzz(func(t *testing.T, doc string) {
		n, err := Parse(context.Background(), strings.NewReader(doc), FormatXML, nil)
		if err != nil {
			return
		}
		checkNetwork(t, n)
	})
}

// checkNetwork fails unless every edge has a geometry, ends at known nodes and
// has a finite length.
func checkNetwork(t *testing.T, n *Network) {
	t.Helper()
	ends := map[int64]bool{}
	for _, nd := range n.Nodes {
		ends[nd.ID] = true
	}
	for _, e := range n.Edges {
		if len(e.Geometry) < 2 {
			t.Fatalf("edge of way %d has %d points", e.WayID, len(e.Geometry))
		}
		if !ends[e.From] || !ends[e.To] {
			t.Fatalf("edge of way %d ends at unknown node", e.WayID)
		}
		if math.IsNaN(e.Length) || math.IsInf(e.Length, 0) || e.Length < 0 {
			t.Fatalf("edge of way %d has length %v", e.WayID, e.Length)
		}
	}
}

// FuzzParsePBF feeds arbitrary bytes, seeded with a real extract and pieces of
// it, to the PBF reader, with the same demands as FuzzParseXML.
func FuzzParsePBF(f *testing.F) {
	pbf, err := os.ReadFile(kthPBF)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(pbf)
	for _, n := range []int{16, 64, 256, 4096} {
		f.Add(pbf[:n])
	}
	f.Add([]byte{0, 0, 0, 14, 10, 9, 'O', 'S', 'M', 'H', 'e', 'a', 'd', 'e', 'r', 24, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := Parse(context.Background(), bytes.NewReader(data), FormatPBF, nil)
		if err != nil {
			return
		}
		checkNetwork(t, n)
	})
}
