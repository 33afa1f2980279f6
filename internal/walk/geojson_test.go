package walk

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/paulmach/orb"
)

func TestWriteGeoJSON(t *testing.T) {
	g := streetLayout(t)
	p := Problem{Start: offset(0, 0), End: ptr(offset(1000, 0)), BudgetMetres: 1700, Candidates: layoutCandidates()}
	r, err := Plan(context.Background(), g, p)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteGeoJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	// Read back as plain JSON, not with the library that wrote it.
	var doc struct {
		Type     string `json:"type"`
		Features []struct {
			Type     string `json:"type"`
			Geometry struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Type != "FeatureCollection" {
		t.Fatalf("type = %q", doc.Type)
	}
	kinds := map[string]int{}
	for _, f := range doc.Features {
		if f.Type != "Feature" {
			t.Errorf("feature type %q", f.Type)
		}
		kind, _ := f.Properties["kind"].(string)
		kinds[kind]++
		switch kind {
		case "route":
			var coords [][2]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &coords); err != nil || f.Geometry.Type != "LineString" {
				t.Fatalf("route geometry %s: %v", f.Geometry.Type, err)
			}
			if len(coords) != len(r.Line) || orb.Point(coords[0]) != r.Start {
				t.Errorf("route line has %d points starting %v, want %d from %v (lon, lat)", len(coords), coords[0], len(r.Line), r.Start)
			}
			if f.Properties["length_m"].(float64) != r.LengthMetres {
				t.Errorf("length_m = %v", f.Properties["length_m"])
			}
		case "stop":
			var at [2]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &at); err != nil || f.Geometry.Type != "Point" {
				t.Fatalf("stop geometry %s: %v", f.Geometry.Type, err)
			}
			order := int(f.Properties["order"].(float64))
			s := r.Stops[order-1]
			if f.Properties["id"] != s.Candidate.ID || f.Properties["reason"] != s.Candidate.Reason || orb.Point(at) != s.Candidate.Point {
				t.Errorf("stop %d properties %v, want %+v", order, f.Properties, s.Candidate)
			}
		case "skipped":
			if f.Properties["reason"] == "" {
				t.Errorf("skipped without reason: %v", f.Properties)
			}
		}
	}
	want := map[string]int{"route": 1, "start": 1, "end": 1, "stop": len(r.Stops), "skipped": len(r.Skipped)}
	for k, n := range want {
		if kinds[k] != n {
			t.Errorf("%d features of kind %q, want %d", kinds[k], k, n)
		}
	}
}
