package area

import (
	"math"
	"testing"
)

// FuzzParseGeoJSON feeds arbitrary bytes to the area import. It may refuse them,
// but must not panic, and what it accepts must be named, 2D, lon/lat areas.
func FuzzParseGeoJSON(f *testing.F) {
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Centrum"},` +
		`"geometry":{"type":"Polygon","coordinates":[[[14.10,59.30],[14.12,59.30],[14.12,59.32],[14.10,59.30]]]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:3006"}},"features":[]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"NYKO_namn":"Norr"},` +
		`"geometry":{"type":"MultiPolygon","coordinates":[[[[17.6,59.8,12],[17.7,59.8,12],[17.7,59.9,12],[17.6,59.8,12]]],[[[1,2],[3,4],[5,6]]]]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"x"},"geometry":{"type":"Polygon","coordinates":[[[1]]]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		areas, err := ParseGeoJSON(data, ImportOptions{Municipality: "1781", Kind: "stadsdel"})
		if err != nil {
			return
		}
		for _, a := range areas {
			if a.Name == "" || a.Geometry == nil || a.Geometry.NumPolygons() == 0 || a.Geometry.Stride() != 2 {
				t.Fatalf("accepted area %q with geometry %v", a.Name, a.Geometry)
			}
			flat := a.Geometry.FlatCoords()
			for i := 0; i+1 < len(flat); i += 2 {
				if math.IsNaN(flat[i]) || math.Abs(flat[i]) > 180 || math.IsNaN(flat[i+1]) || math.Abs(flat[i+1]) > 90 {
					t.Fatalf("accepted coordinate (%v, %v)", flat[i], flat[i+1])
				}
			}
		}
	})
}
