package httpapi

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/trygg/trygg/internal/auth"
)

type ogcLinks struct {
	Links []struct {
		Href, Rel, Type string
	} `json:"links"`
}

func (l ogcLinks) has(rel, typ string) bool {
	for _, k := range l.Links {
		if k.Rel == rel && k.Type == typ && k.Href != "" {
			return true
		}
	}
	return false
}

// TestOGCCore checks the requirements of OGC API – Features Part 1 classes core
// and geojson that the server declares (OGC 17-069r4, /req/core/* and
// /req/geojson/*).
func TestOGCCore(t *testing.T) {
	ts := newTestServer(t, nil)
	for i := 0; i < 3; i++ {
		ts.addReport(kristinehamnX+float64(i)*40, kristinehamnY, "FEL.LIGHT", "published")
	}

	// /req/core/root-success: links to itself, the API definition, conformance and data.
	landing := decode[ogcLinks](t, ts.do(http.MethodGet, "/ogc", nil))
	for _, rel := range [][2]string{{"self", "application/json"}, {"service-desc", "application/vnd.oai.openapi;version=3.0"}, {"conformance", "application/json"}, {"data", "application/json"}} {
		if !landing.has(rel[0], rel[1]) {
			t.Errorf("landing page lacks %s (%s)", rel[0], rel[1])
		}
	}
	// /req/core/conformance-success
	conf := decode[struct{ ConformsTo []string }](t, ts.do(http.MethodGet, "/ogc/conformance", nil))
	for _, c := range []string{"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core", "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"} {
		if !slices.Contains(conf.ConformsTo, c) {
			t.Errorf("conformance lacks %s", c)
		}
	}

	// /req/core/fc-md-success and fc-md-items: every collection has an id, an
	// extent and links to itself and its items; the staff layer only with a token.
	type collection struct {
		ogcLinks
		ID     string `json:"id"`
		Extent struct {
			Spatial struct{ BBox [][]float64 } `json:"spatial"`
		} `json:"extent"`
	}
	cols := decode[struct {
		ogcLinks
		Collections []collection `json:"collections"`
	}](t, ts.do(http.MethodGet, "/ogc/collections", nil))
	var names []string
	for _, c := range cols.Collections {
		names = append(names, c.ID)
		if !c.has("self", "application/json") || !c.has("items", "application/geo+json") || len(c.Extent.Spatial.BBox) != 1 {
			t.Errorf("collection %s lacks links or extent: %+v", c.ID, c)
		}
	}
	if !cols.has("self", "application/json") || slices.Contains(names, "reports") || !slices.Contains(names, "reports_public") || !slices.Contains(names, "municipalities") {
		t.Errorf("public collections %v", names)
	}
	tok := ts.token(auth.Caseworker, "1781")
	staffCols := decode[struct{ Collections []collection }](t, ts.do(http.MethodGet, "/ogc/collections", nil, "Authorization", "Bearer "+tok))
	if len(staffCols.Collections) != len(cols.Collections)+1 {
		t.Errorf("a staff token sees %d collections, the public %d", len(staffCols.Collections), len(cols.Collections))
	}
	one := decode[collection](t, ts.do(http.MethodGet, "/ogc/collections/reports_public", nil))
	if one.ID != "reports_public" || !one.has("items", "application/geo+json") {
		t.Errorf("collection %+v", one)
	}
	if w := ts.do(http.MethodGet, "/ogc/collections/nosuch", nil); w.Code != 404 {
		t.Errorf("unknown collection: %d", w.Code)
	}

	// /req/core/fc-response, fc-limit-response, fc-links, fc-timeStamp, fc-numberReturned.
	w := ts.do(http.MethodGet, "/ogc/collections/reports_public/items?limit=2", nil)
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/geo+json" {
		t.Fatalf("items %d %q", w.Code, w.Header().Get("Content-Type"))
	}
	page := decode[pagedCollection](t, w)
	if page.Type != "FeatureCollection" || len(page.Features) != 2 || page.NumberReturned != 2 || page.link("self") == "" || page.link("next") == "" {
		t.Errorf("first page %+v", page)
	}
	if _, err := time.Parse(time.RFC3339, page.TimeStamp); err != nil {
		t.Errorf("timeStamp %q", page.TimeStamp)
	}
	last := decode[pagedCollection](t, ts.do(http.MethodGet, pathOf(t, page.link("next")), nil))
	if len(last.Features) != 1 || last.link("next") != "" || last.link("prev") == "" {
		t.Errorf("last page %+v", last)
	}
	// A limit above the maximum is clamped, not refused (/req/core/fc-limit-definition).
	if w := ts.do(http.MethodGet, "/ogc/collections/reports_public/items?limit=1000000", nil); w.Code != 200 {
		t.Errorf("huge limit: %d", w.Code)
	}

	// datetime: the reports were observed on 2026-11-19 18:00 UTC.
	for dt, want := range map[string]int{
		"2026-11-19T00:00:00Z/..": 3, "../2026-11-19T00:00:00Z": 0,
		"2026-11-19T18:00:00Z": 3, "2026-11-19T00:00:00Z/2026-11-19T18:00:00Z": 3,
	} {
		got := decode[pagedCollection](t, ts.do(http.MethodGet, "/ogc/collections/reports_public/items?datetime="+dt, nil))
		if len(got.Features) != want {
			t.Errorf("datetime %s: %d features, want %d", dt, len(got.Features), want)
		}
	}
	if w := ts.do(http.MethodGet, "/ogc/collections/reports_public/items?datetime=yesterday", nil); w.Code != 400 {
		t.Errorf("bad datetime: %d", w.Code)
	}

	// properties keeps only the named ones.
	props := decode[pagedCollection](t, ts.do(http.MethodGet, "/ogc/collections/reports_public/items?properties=category", nil))
	if len(props.Features) == 0 || len(props.Features[0].Properties) != 1 || props.Features[0].Properties["category"] != "FEL.LIGHT" {
		t.Errorf("properties=category: %+v", props.Features)
	}

	// /req/core/f-success: an item has links to itself and its collection.
	id := page.Features[0].ID
	item := decode[struct {
		ogcLinks
		Type string `json:"type"`
		ID   string `json:"id"`
	}](t, ts.do(http.MethodGet, "/ogc/collections/reports_public/items/"+id, nil))
	if item.Type != "Feature" || item.ID != id || !item.has("self", "application/geo+json") || !item.has("collection", "application/json") {
		t.Errorf("item %+v", item)
	}
	if w := ts.do(http.MethodGet, "/ogc/collections/reports_public/items/00000000-0000-0000-0000-000000000000", nil); w.Code != 404 {
		t.Errorf("missing item: %d", w.Code)
	}
	if w := ts.do(http.MethodGet, "/ogc/collections/municipalities/items/1781", nil); w.Code != 200 {
		t.Errorf("municipality item: %d", w.Code)
	}
	if w := ts.do(http.MethodGet, "/ogc/collections/reports/items", nil); w.Code != 401 {
		t.Errorf("staff items without token: %d", w.Code)
	}
	if w := ts.do(http.MethodGet, "/ogc?f=html", nil); w.Code != 400 {
		t.Errorf("f=html: %d", w.Code)
	}
}
