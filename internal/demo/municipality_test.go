package demo

import (
	"encoding/json"
	"os"
	"testing"
)

// testdata/municipalities.geojson holds the four demo municipalities from
// swedish_municipalities.geojson (okfse/sweden-geojson, from Valmyndigheten
// data via opendatasoft, simplified; "free to reuse").
func loadBoundaries(t *testing.T) map[string][][][2]float64 {
	t.Helper()
	raw, err := os.ReadFile("testdata/municipalities.geojson")
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			Properties struct{ ID string } `json:"properties"`
			Geometry   struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		t.Fatal(err)
	}
	rings := map[string][][][2]float64{}
	for _, f := range fc.Features {
		var polygons [][][][2]float64
		switch f.Geometry.Type {
		case "Polygon":
			var p [][][2]float64
			err = json.Unmarshal(f.Geometry.Coordinates, &p)
			polygons = [][][][2]float64{p}
		case "MultiPolygon":
			err = json.Unmarshal(f.Geometry.Coordinates, &polygons)
		default:
			t.Fatalf("%s: geometry %s", f.Properties.ID, f.Geometry.Type)
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range polygons {
			rings[f.Properties.ID] = append(rings[f.Properties.ID], p...)
		}
	}
	return rings
}

// inside tells whether (lon, lat) is inside the rings by the even-odd rule, so
// holes count as outside.
func inside(rings [][][2]float64, lon, lat float64) bool {
	in := false
	for _, ring := range rings {
		for i, j := 0, len(ring)-1; i < len(ring); j, i = i, i+1 {
			a, b := ring[i], ring[j]
			if (a[1] > lat) != (b[1] > lat) && lon < (b[0]-a[0])*(lat-a[1])/(b[1]-a[1])+a[0] {
				in = !in
			}
		}
	}
	return in
}

func TestInsideTests(t *testing.T) {
	square := [][][2]float64{{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}, {{4, 4}, {6, 4}, {6, 6}, {4, 6}, {4, 4}}}
	for _, tt := range []struct {
		lon, lat float64
		want     bool
	}{{1, 1, true}, {5, 5, false}, {11, 5, false}, {5, 9, true}} {
		if got := inside(square, tt.lon, tt.lat); got != tt.want {
			t.Errorf("inside(%v, %v) = %v", tt.lon, tt.lat, got)
		}
	}
}

func TestPointsInsideTheirMunicipality(t *testing.T) {
	boundaries := loadBoundaries(t)
	for _, code := range Municipalities() {
		if len(boundaries[code]) == 0 {
			t.Fatalf("no boundary for %s in testdata", code)
		}
	}
	for _, r := range generated {
		if !inside(boundaries[r.Municipality], r.Lon, r.Lat) {
			t.Errorf("%s at %.5f N %.5f E is outside municipality %s", r.ExternalKey, r.Lat, r.Lon, r.Municipality)
		}
	}
}
