package httpapi

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/trygg/trygg/internal/auth"
)

// square is a GeoJSON polygon of side d degrees with its south-west corner at lon, lat.
func square(lon, lat, d float64) map[string]any {
	return map[string]any{"type": "Polygon", "coordinates": [][][]float64{{{lon, lat}, {lon + d, lat}, {lon + d, lat + d}, {lon, lat + d}, {lon, lat}}}}
}

func TestAreaImportUppsala(t *testing.T) {
	ts := newTestServer(t, nil)
	tok := ts.token(auth.Analyst, "0380")
	data, err := os.ReadFile("../area/testdata/uppsala_nyko_2017_niva3.geojson")
	if err != nil {
		t.Fatal(err)
	}
	w := ts.do(http.MethodPost, "/v1/staff/areas/import?municipality=0380&kind=stadsdel&name_property=N3Namn17&priority=Gottsunda,Gränby", data,
		"Authorization", "Bearer "+tok, "Content-Type", "application/geo+json")
	if w.Code != 200 {
		t.Fatalf("import: %d %s", w.Code, w.Body)
	}
	got := decode[map[string]int](t, w)
	if got["created"] != 65 || got["updated"] != 0 {
		t.Fatalf("import counts %v, want 65 created", got)
	}
	// The same file again replaces the polygons and adds nothing.
	w = ts.do(http.MethodPost, "/v1/staff/areas/import?municipality=0380&kind=stadsdel&name_property=N3Namn17", data,
		"Authorization", "Bearer "+tok, "Content-Type", "application/geo+json")
	if got := decode[map[string]int](t, w); got["created"] != 0 || got["updated"] != 65 || ts.count("areas") != 65 {
		t.Fatalf("re-import %v, %d rows", got, ts.count("areas"))
	}
	w = ts.do(http.MethodGet, "/v1/public/areas?municipality=0380", nil)
	if w.Code != 200 || strings.Count(w.Body.String(), `"type":"Feature"`) != 65 {
		t.Fatalf("public areas: %d", w.Code)
	}
}

func TestAreaImportErrorsImportNothing(t *testing.T) {
	ts := newTestServer(t, nil)
	tok := ts.token(auth.Analyst, "1781", "0380")
	inside := square(14.10, 59.30, 0.01)  // central Kristinehamn
	outside := square(18.00, 59.30, 0.01) // Stockholm
	bowtie := map[string]any{"type": "Polygon", "coordinates": [][][]float64{{{14.10, 59.30}, {14.12, 59.32}, {14.12, 59.30}, {14.10, 59.32}, {14.10, 59.30}}}}
	sweref := map[string]any{"type": "Polygon", "coordinates": [][][]float64{{{450000, 6580000}, {451000, 6580000}, {451000, 6581000}, {450000, 6580000}}}}
	fc := func(crs string, geoms ...map[string]any) map[string]any {
		var fs []any
		for i, g := range geoms {
			fs = append(fs, map[string]any{"type": "Feature", "properties": map[string]any{"name": "Område " + string(rune('A'+i))}, "geometry": g})
		}
		out := map[string]any{"type": "FeatureCollection", "features": fs}
		if crs != "" {
			out["crs"] = map[string]any{"type": "name", "properties": map[string]any{"name": crs}}
		}
		return out
	}
	cases := []struct {
		name, muni string
		body       map[string]any
		want       string
	}{
		{"outside its municipality", "1781", fc("", inside, outside), "outside municipality 1781"},
		{"self-intersecting", "1781", fc("", inside, bowtie), "invalid geometry"},
		{"declared SWEREF 99 TM", "1781", fc("urn:ogc:def:crs:EPSG::3006", inside), "CRS84"},
		{"undeclared projected coordinates", "1781", fc("", inside, sweref), "not longitude/latitude"},
		{"wrong municipality for the polygon", "0380", fc("", inside), "outside municipality 0380"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := ts.do(http.MethodPost, "/v1/staff/areas/import?municipality="+c.muni, c.body, "Authorization", "Bearer "+tok)
			if w.Code != 400 || !strings.Contains(w.Body.String(), c.want) {
				t.Fatalf("got %d %s, want 400 mentioning %q", w.Code, w.Body, c.want)
			}
			if n := ts.count("areas"); n != 0 {
				t.Fatalf("%d areas stored after a failed import", n)
			}
		})
	}
}

func TestAreaCRUDAndScoping(t *testing.T) {
	ts := newTestServer(t, nil)
	kh := ts.token(auth.Caseworker, "1781")
	other := ts.token(auth.Analyst, "1782")
	planner := ts.token(auth.Planner, "1781")
	body := map[string]any{"municipality": "1781", "kind": "utsatt_omrade", "name": "Vålberg centrum", "priority": true, "geometry": square(14.10, 59.30, 0.01)}
	if w := ts.do(http.MethodPost, "/v1/staff/areas", body, "Authorization", "Bearer "+other); w.Code != 403 {
		t.Fatalf("other municipality may create: %d", w.Code)
	}
	if w := ts.do(http.MethodPost, "/v1/staff/areas", body, "Authorization", "Bearer "+planner); w.Code != 403 {
		t.Fatalf("planner may create: %d", w.Code)
	}
	w := ts.do(http.MethodPost, "/v1/staff/areas", body, "Authorization", "Bearer "+kh)
	if w.Code != 201 {
		t.Fatalf("create %d %s", w.Code, w.Body)
	}
	id := decode[struct{ ID string }](t, w).ID
	if w := ts.do(http.MethodPost, "/v1/staff/areas", body, "Authorization", "Bearer "+kh); w.Code != 409 {
		t.Fatalf("duplicate name: %d", w.Code)
	}
	if w := ts.do(http.MethodGet, "/v1/staff/areas/"+id, nil, "Authorization", "Bearer "+other); w.Code != 404 {
		t.Fatalf("other municipality sees the area: %d", w.Code)
	}
	w = ts.do(http.MethodPatch, "/v1/staff/areas/"+id, map[string]any{"name": "Centrum", "priority": false}, "Authorization", "Bearer "+kh)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"name":"Centrum"`) || !strings.Contains(w.Body.String(), `"priority":false`) {
		t.Fatalf("patch %d %s", w.Code, w.Body)
	}
	w = ts.do(http.MethodGet, "/v1/staff/areas?municipality=1781", nil, "Authorization", "Bearer "+planner)
	if w.Code != 200 || strings.Count(w.Body.String(), `"type":"Feature"`) != 1 {
		t.Fatalf("list %d %s", w.Code, w.Body)
	}
	if w := ts.do(http.MethodGet, "/v1/staff/areas?municipality=1781", nil, "Authorization", "Bearer "+other); w.Code != 403 {
		t.Fatalf("list other municipality: %d", w.Code)
	}
	if w := ts.do(http.MethodDelete, "/v1/staff/areas/"+id, nil, "Authorization", "Bearer "+kh); w.Code != 204 || ts.count("areas") != 0 {
		t.Fatalf("delete %d", w.Code)
	}
}
