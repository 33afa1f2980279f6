package walk

import (
	"bytes"
	"context"
	"encoding/xml"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/paulmach/orb"
)

// The GPX 1.1 schema's element names in its namespace, read back with
// encoding/xml independently of the writer's structs.
type gpx11 struct {
	XMLName  xml.Name `xml:"http://www.topografix.com/GPX/1/1 gpx"`
	Version  string   `xml:"version,attr"`
	Creator  string   `xml:"creator,attr"`
	Metadata struct {
		Name      string `xml:"http://www.topografix.com/GPX/1/1 name"`
		Time      string `xml:"http://www.topografix.com/GPX/1/1 time"`
		Copyright struct {
			Author string `xml:"author,attr"`
		} `xml:"http://www.topografix.com/GPX/1/1 copyright"`
	} `xml:"http://www.topografix.com/GPX/1/1 metadata"`
	Wpt []wpt11 `xml:"http://www.topografix.com/GPX/1/1 wpt"`
	Rte []struct {
		Rtept []wpt11 `xml:"http://www.topografix.com/GPX/1/1 rtept"`
	} `xml:"http://www.topografix.com/GPX/1/1 rte"`
	Trk []struct {
		Trkseg []struct {
			Trkpt []wpt11 `xml:"http://www.topografix.com/GPX/1/1 trkpt"`
		} `xml:"http://www.topografix.com/GPX/1/1 trkseg"`
	} `xml:"http://www.topografix.com/GPX/1/1 trk"`
}

type wpt11 struct {
	Lat  string `xml:"lat,attr"`
	Lon  string `xml:"lon,attr"`
	Name string `xml:"http://www.topografix.com/GPX/1/1 name"`
	Desc string `xml:"http://www.topografix.com/GPX/1/1 desc"`
	Type string `xml:"http://www.topografix.com/GPX/1/1 type"`
}

func (w wpt11) point(t *testing.T) orb.Point {
	t.Helper()
	lat, err1 := strconv.ParseFloat(w.Lat, 64)
	lon, err2 := strconv.ParseFloat(w.Lon, 64)
	if err1 != nil || err2 != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		t.Fatalf("bad lat/lon %q %q", w.Lat, w.Lon)
	}
	return orb.Point{lon, lat}
}

func near(a, b orb.Point) bool {
	return math.Abs(a[0]-b[0]) < 1e-7 && math.Abs(a[1]-b[1]) < 1e-7
}

func TestWriteGPX(t *testing.T) {
	g := streetLayout(t)
	p := Problem{Start: offset(0, 0), End: ptr(offset(1000, 0)), BudgetMetres: 1700, Candidates: layoutCandidates()}
	r, err := Plan(context.Background(), g, p)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	made := time.Date(2025, 3, 14, 18, 30, 0, 0, time.FixedZone("CET", 3600))
	if err := WriteGPX(&buf, r, GPXMeta{Name: "Trygghetsvandring Östermalm", Time: made}); err != nil {
		t.Fatal(err)
	}
	var got gpx11
	if err := xml.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if got.Version != "1.1" || got.Creator != "trygg" {
		t.Errorf("version %q creator %q", got.Version, got.Creator)
	}
	if got.Metadata.Name != "Trygghetsvandring Östermalm" || got.Metadata.Time != "2025-03-14T17:30:00Z" {
		t.Errorf("metadata = %+v", got.Metadata)
	}
	if len(got.Wpt) != len(r.Stops) || len(r.Stops) != 2 {
		t.Fatalf("%d wpt for %d stops", len(got.Wpt), len(r.Stops))
	}
	for i, s := range r.Stops {
		w := got.Wpt[i]
		if !near(w.point(t), s.Candidate.Point) || w.Name != s.Candidate.Label() || w.Desc != s.Candidate.Reason || w.Type != string(s.Candidate.Kind) {
			t.Errorf("wpt %d = %+v, want stop %+v", i, w, s.Candidate)
		}
	}
	if got.Wpt[0].Desc != "dark underpass" {
		t.Errorf("first stop's reason = %q", got.Wpt[0].Desc)
	}
	if len(got.Rte) != 1 || len(got.Rte[0].Rtept) != len(r.Stops)+2 {
		t.Fatalf("want one rte with start, %d stops and end", len(r.Stops))
	}
	pts := got.Rte[0].Rtept
	if !near(pts[0].point(t), r.Start) || !near(pts[len(pts)-1].point(t), r.End) || !near(pts[1].point(t), r.Stops[0].Point) {
		t.Errorf("rte does not run start, stops, end")
	}
	if len(got.Trk) != 1 || len(got.Trk[0].Trkseg) != 1 || len(got.Trk[0].Trkseg[0].Trkpt) != len(r.Line) {
		t.Fatalf("want one trk with %d points", len(r.Line))
	}
	for i, tp := range got.Trk[0].Trkseg[0].Trkpt {
		if !near(tp.point(t), r.Line[i]) {
			t.Fatalf("trkpt %d = %v, want %v", i, tp.point(t), r.Line[i])
		}
	}
}

// TestWriteGPXElementOrder checks the xsd:sequence order the schema demands:
// metadata, wpt…, rte, trk under gpx; name before desc before type in wpt.
func TestWriteGPXElementOrder(t *testing.T) {
	r := Route{
		Start: offset(0, 0), End: offset(100, 0),
		Stops: []Stop{{Candidate: Candidate{ID: "x", Reason: "why", Kind: KindManual, Point: offset(50, 10)}, Point: offset(50, 0)}},
		Line:  []orb.Point{offset(0, 0), offset(50, 0), offset(100, 0)},
	}
	var buf bytes.Buffer
	if err := WriteGPX(&buf, r, GPXMeta{Name: "n", Desc: "d"}); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"gpx":      {"metadata", "wpt", "rte", "trk"},
		"metadata": {"name", "desc", "copyright"},
		"wpt":      {"name", "desc", "type"},
		"rte":      {"name", "rtept", "rtept", "rtept"},
		"trk":      {"name", "trkseg"},
	}
	children := map[string][]string{}
	var stack []string
	dec := xml.NewDecoder(&buf)
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if el.Name.Space != gpxNamespace {
				t.Errorf("element %s in namespace %q", el.Name.Local, el.Name.Space)
			}
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				children[parent] = append(children[parent], el.Name.Local)
			}
			stack = append(stack, el.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	for parent, order := range want {
		if got := children[parent]; !equalStrings(got, order) {
			t.Errorf("children of %s = %v, want %v", parent, got, order)
		}
	}
}

func equalStrings(a, b []string) bool {
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
