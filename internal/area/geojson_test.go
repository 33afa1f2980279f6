package area

import (
	"strings"
	"testing"
)

func TestParseGeoJSON(t *testing.T) {
	fc := `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[
 {"type":"Feature","properties":{"N3Namn17":"Centrum"},"geometry":{"type":"Polygon","coordinates":[[[17.6,59.8,12],[17.7,59.8,12],[17.7,59.9,12],[17.6,59.8,12]]]}},
 {"type":"Feature","properties":{"N3Namn17":"Gottsunda"},"geometry":{"type":"MultiPolygon","coordinates":[[[[17.6,59.8],[17.7,59.8],[17.7,59.9],[17.6,59.8]]],[[[17.8,59.8],[17.9,59.8],[17.9,59.9],[17.8,59.8]]]]}}]}`
	areas, err := ParseGeoJSON([]byte(fc), ImportOptions{Municipality: "0380", Kind: Stadsdel, PriorityNames: []string{"gottsunda"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(areas) != 2 || areas[0].Name != "Centrum" || areas[0].Priority || !areas[1].Priority || areas[1].Geometry.NumPolygons() != 2 {
		t.Fatalf("%+v", areas)
	}
	if areas[0].Geometry.Stride() != 2 {
		t.Errorf("third coordinate kept: stride %d", areas[0].Geometry.Stride())
	}
	bad := map[string]string{
		"not a collection": `{"type":"Feature"}`,
		"no features":      `{"type":"FeatureCollection","features":[]}`,
		"a point":          `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"x"},"geometry":{"type":"Point","coordinates":[17.6,59.8]}}]}`,
		"no name":          `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[17.6,59.8],[17.7,59.8],[17.7,59.9],[17.6,59.8]]]}}]}`,
		"same name twice": `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"A"},"geometry":{"type":"Polygon","coordinates":[[[17.6,59.8],[17.7,59.8],[17.7,59.9],[17.6,59.8]]]}},
			{"type":"Feature","properties":{"name":"A"},"geometry":{"type":"Polygon","coordinates":[[[17.6,59.8],[17.7,59.8],[17.7,59.9],[17.6,59.8]]]}}]}`,
	}
	for name, in := range bad {
		if _, err := ParseGeoJSON([]byte(in), ImportOptions{Municipality: "0380"}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := ParseGeoJSON([]byte(fc), ImportOptions{Municipality: "0380", Kind: "slum"}); err == nil || !strings.Contains(err.Error(), "unknown area kind") {
		t.Errorf("bad kind: %v", err)
	}
}
