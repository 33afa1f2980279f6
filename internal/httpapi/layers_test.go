package httpapi

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/tiles"
)

type tileJSONDoc struct {
	TileJSON     string    `json:"tilejson"`
	Tiles        []string  `json:"tiles"`
	MinZoom      int       `json:"minzoom"`
	MaxZoom      int       `json:"maxzoom"`
	Bounds       []float64 `json:"bounds"`
	VectorLayers []struct {
		ID     string            `json:"id"`
		Fields map[string]string `json:"fields"`
	} `json:"vector_layers"`
}

func TestTileJSON(t *testing.T) {
	ts := newTestServer(t, nil)
	w := ts.do(http.MethodGet, "/tiles/report_cells.json?category=OTR.SOC&status=received&bogus=1", nil, "X-Forwarded-Proto", "https")
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	doc := decode[tileJSONDoc](t, w)
	want := "https://example.com/tiles/report_cells/{z}/{x}/{y}.mvt?category=OTR.SOC&status=received"
	if doc.TileJSON != "3.0.0" || len(doc.Tiles) != 1 || doc.Tiles[0] != want || doc.MinZoom != 0 || doc.MaxZoom != 22 {
		t.Errorf("TileJSON %+v, want tiles %s", doc, want)
	}
	// Sweden lies within 10..25 E, 55..70 N.
	b := doc.Bounds
	if len(b) != 4 || b[0] < 10 || b[0] > 12 || b[2] < 23 || b[2] > 25 || b[1] < 55 || b[1] > 56 || b[3] < 68 || b[3] > 70 {
		t.Errorf("bounds %v", b)
	}
	if len(doc.VectorLayers) != 1 || doc.VectorLayers[0].ID != "report_cells" || doc.VectorLayers[0].Fields["count"] != "Number" {
		t.Errorf("vector_layers %+v", doc.VectorLayers)
	}

	// A configured public URL wins; staff bounds are the token's municipalities.
	ts2 := newTestServer(t, map[string]string{"TRYGG_PUBLIC_URL": "https://karta.example.se/"})
	tok := ts2.token(auth.Analyst, "1781")
	doc = decode[tileJSONDoc](t, ts2.do(http.MethodGet, "/tiles/reports.json", nil, "Authorization", "Bearer "+tok))
	if doc.Tiles[0] != "https://karta.example.se/tiles/reports/{z}/{x}/{y}.mvt" {
		t.Errorf("tiles %v", doc.Tiles)
	}
	// Kristinehamn lies around 14.1 E, 59.3 N.
	if b := doc.Bounds; b[0] < 13.5 || b[2] > 14.8 || b[1] < 58.9 || b[3] > 59.6 {
		t.Errorf("staff bounds %v are not Kristinehamn's", b)
	}
	if w := ts2.do(http.MethodGet, "/tiles/reports.json", nil); w.Code != 401 {
		t.Errorf("staff TileJSON without token: %d", w.Code)
	}
	if w := ts2.do(http.MethodGet, "/tiles/reports", nil); w.Code != 404 {
		t.Errorf("without .json: %d", w.Code)
	}
}

type pagedCollection struct {
	Type     string `json:"type"`
	Features []struct {
		ID         string         `json:"id"`
		Type       string         `json:"type"`
		Properties map[string]any `json:"properties"`
		Geometry   struct {
			Type string `json:"type"`
		} `json:"geometry"`
	} `json:"features"`
	Links []struct {
		Href, Rel, Type string
	} `json:"links"`
	NumberReturned int    `json:"numberReturned"`
	TimeStamp      string `json:"timeStamp"`
}

func (p pagedCollection) link(rel string) string {
	for _, l := range p.Links {
		if l.Rel == rel {
			return l.Href
		}
	}
	return ""
}

// pathOf turns an absolute link back into a path for ts.do.
func pathOf(t *testing.T, href string) string {
	u, err := url.Parse(href)
	if err != nil || u.Host != "example.com" {
		t.Fatalf("link %q", href)
	}
	return u.RequestURI()
}

func TestGeoJSONPagingAndCSV(t *testing.T) {
	ts := newTestServer(t, nil)
	for i := 0; i < 5; i++ {
		ts.addReport(kristinehamnX+float64(i)*30, kristinehamnY, "FEL.LIGHT", "published")
	}
	ts.addReport(kristinehamnX, kristinehamnY+40, "OTR.SOC.GATHER", "published")
	var ids []string
	path := "/v1/layers/reports_public.geojson?limit=2&kind=felanmalan"
	for pages := 0; path != ""; pages++ {
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		w := ts.do(http.MethodGet, path, nil)
		if w.Code != 200 || w.Header().Get("Content-Type") != "application/geo+json" {
			t.Fatalf("%s: %d %s", path, w.Code, w.Body)
		}
		page := decode[pagedCollection](t, w)
		if page.Type != "FeatureCollection" || page.NumberReturned != len(page.Features) || page.link("self") == "" {
			t.Fatalf("page %+v", page)
		}
		for _, f := range page.Features {
			if f.Type != "Feature" || f.Geometry.Type != "Point" || f.Properties["kind"] != "felanmalan" {
				t.Errorf("feature %+v", f)
			}
			ids = append(ids, f.ID)
		}
		path = ""
		if next := page.link("next"); next != "" {
			path = pathOf(t, next)
			if !strings.Contains(path, "kind=felanmalan") {
				t.Errorf("next link lost the filter: %s", path)
			}
		}
	}
	if len(ids) != 5 {
		t.Errorf("paged through %d features, want 5", len(ids))
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Errorf("feature %s on two pages", id)
		}
		seen[id] = true
	}

	w := ts.do(http.MethodGet, "/v1/layers/reports_public.csv?limit=4", nil)
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/csv") || !strings.Contains(w.Header().Get("Link"), `rel="next"`) {
		t.Fatalf("csv %d %v", w.Code, w.Header())
	}
	rows, err := csv.NewReader(w.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "id,lon,lat,kind,category,status,observed_on,coarsened" || len(rows) != 5 {
		t.Errorf("csv rows %v", rows)
	}
	for _, bad := range []string{"/v1/layers/reports_public.geojson?bbox=1,2,3", "/v1/layers/reports_public.geojson?limit=0", "/v1/layers/report_cells.geojson?cell_size=50"} {
		if w := ts.do(http.MethodGet, bad, nil); w.Code != 400 {
			t.Errorf("%s: %d", bad, w.Code)
		}
	}
	if w := ts.do(http.MethodGet, "/v1/layers/reports_public.kml", nil); w.Code != 404 {
		t.Errorf("unknown format: %d", w.Code)
	}
}

func TestAreasLayer(t *testing.T) {
	ts := newTestServer(t, nil)
	var id string
	err := ts.db.Pool.QueryRow(context.Background(), `
INSERT INTO areas (id, municipality_code, kind, name, priority, geom)
VALUES (gen_random_uuid(), '1781', 'centrum', 'Centrum', true,
        ST_Multi(ST_Transform(ST_MakeEnvelope($1::float8, $2::float8, $1::float8 + 1000, $2::float8 + 1000, 3006), 4326)))
RETURNING id::text`, kristinehamnX-500, kristinehamnY-500).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	lon, lat := ts.lonLat(kristinehamnX, kristinehamnY)
	w, layers := ts.getTile("areas", tiles.Containing(14, lon, lat), "")
	if w.Code != 200 || len(layers) != 1 || layers[0].Name != "areas" || len(layers[0].Features) != 1 {
		t.Fatalf("areas tile %d %v", w.Code, layerNames(layers))
	}
	if p := layers[0].Features[0].Properties; p["name"] != "Centrum" || p["kind"] != "centrum" || p["priority"] != true || p["id"] != id {
		t.Errorf("area properties %v", p)
	}
	if _, ok := layers[0].Features[0].Geometry.(orb.Polygon); !ok {
		t.Errorf("area geometry %T", layers[0].Features[0].Geometry)
	}
	if w := ts.do(http.MethodGet, "/ogc/collections/areas/items/"+id, nil); w.Code != 200 {
		t.Errorf("OGC area item: %d", w.Code)
	}
}
