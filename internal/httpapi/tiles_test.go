package httpapi

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/tiles"
)

// Places in SWEREF 99 TM metres: central Kristinehamn (1781) and Kristianstad (1290).
const (
	kristinehamnX, kristinehamnY = 450000.0, 6570000.0
	kristianstadX, kristianstadY = 448500.0, 6209500.0
)

// placed is a report the tests put on the map.
type placed struct {
	id       string
	lon, lat float64
}

// addReport inserts a report of category at a SWEREF 99 TM point, observed 24
// hours and received 12 hours before the test server's clock.
func (ts *testServer) addReport(x, y float64, category, visibility string) placed {
	ts.t.Helper()
	var p placed
	err := ts.db.Pool.QueryRow(context.Background(), `
INSERT INTO reports (id, reference, kind, category, geom, observed_at, received_at, status, visibility, follow_up_hash)
SELECT gen_random_uuid(), 'T-' || substr(md5(random()::text), 1, 12), c.kind, c.code,
       ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 3006), 4326), $3::timestamptz, $3::timestamptz + interval '12 hours', 'received', $4, '\x00'
FROM categories c WHERE c.code = $5
RETURNING id::text, ST_X(geom), ST_Y(geom)`, x, y, ts.now.Add(-24*time.Hour), visibility, category).Scan(&p.id, &p.lon, &p.lat)
	if err != nil {
		ts.t.Fatalf("add report: %v", err)
	}
	return p
}

// lonLat converts a SWEREF 99 TM point with PostGIS, the same transformation the
// layers use.
func (ts *testServer) lonLat(x, y float64) (lon, lat float64) {
	ts.t.Helper()
	err := ts.db.Pool.QueryRow(context.Background(),
		`SELECT ST_X(g), ST_Y(g) FROM ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 3006), 4326) g`, x, y).Scan(&lon, &lat)
	if err != nil {
		ts.t.Fatal(err)
	}
	return lon, lat
}

// getTile fetches a tile and decodes it when there is one.
func (ts *testServer) getTile(layer string, t tiles.Tile, query string, headers ...string) (*httptest.ResponseRecorder, mvt.Layers) {
	ts.t.Helper()
	w := ts.do(http.MethodGet, fmt.Sprintf("/tiles/%s/%d/%d/%d.mvt%s", layer, t.Z, t.X, t.Y, query), nil, headers...)
	if w.Code != http.StatusOK {
		return w, nil
	}
	body := w.Body.Bytes()
	if w.Header().Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			ts.t.Fatal(err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			ts.t.Fatal(err)
		}
	}
	layers, err := mvt.Unmarshal(body)
	if err != nil {
		ts.t.Fatalf("tile does not decode: %v", err)
	}
	return w, layers
}

// features returns the features of the one layer in a tile (none for no tile).
func features(t *testing.T, layers mvt.Layers, name string) []orb.Point {
	t.Helper()
	if layers == nil {
		return nil
	}
	if len(layers) != 1 || layers[0].Name != name || layers[0].Extent != tiles.Extent {
		t.Fatalf("tile layers %v, want one layer %q with extent 4096", layerNames(layers), name)
	}
	var pts []orb.Point
	for _, f := range layers[0].Features {
		if p, ok := f.Geometry.(orb.Point); ok {
			pts = append(pts, p)
		}
	}
	return pts
}

func layerNames(ls mvt.Layers) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.Name)
	}
	return out
}

func near(p orb.Point, x, y, tol float64) bool {
	return math.Abs(p[0]-x) <= tol && math.Abs(p[1]-y) <= tol
}

func TestPublicTileDecodes(t *testing.T) {
	ts := newTestServer(t, nil)
	a := ts.addReport(kristinehamnX, kristinehamnY, "FEL.LIGHT", "published")
	b := ts.addReport(kristinehamnX+200, kristinehamnY+150, "OTR.PLACE.LIGHT", "published")
	ts.addReport(kristinehamnX+100, kristinehamnY+100, "FEL.ROAD", "pending")
	ts.addReport(kristinehamnX+120, kristinehamnY+100, "FEL.ROAD", "hidden")

	tile := tiles.Containing(13, a.lon, a.lat)
	w, layers := ts.getTile("reports_public", tile, "")
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/vnd.mapbox-vector-tile" {
		t.Fatalf("status %d type %q", w.Code, w.Header().Get("Content-Type"))
	}
	if cc := w.Header().Get("Cache-Control"); cc != "public, max-age=60" {
		t.Errorf("Cache-Control %q", cc)
	}
	pts := features(t, layers, "reports_public")
	if len(pts) != 2 {
		t.Fatalf("%d features, want the 2 published reports", len(pts))
	}
	byCategory := map[string]orb.Point{}
	for _, f := range layers[0].Features {
		byCategory[f.Properties.MustString("category")] = f.Geometry.(orb.Point)
		if f.Properties["coarsened"] != false || f.Properties["observed_on"] != "2026-11-19" {
			t.Errorf("properties %v", f.Properties)
		}
		for _, secret := range []string{"id", "reference", "description"} {
			if _, ok := f.Properties[secret]; ok {
				t.Errorf("public tile carries %s", secret)
			}
		}
	}
	for cat, r := range map[string]placed{"FEL.LIGHT": a, "OTR.PLACE.LIGHT": b} {
		px, py := tile.Pixel(r.lon, r.lat)
		if p, ok := byCategory[cat]; !ok || !near(p, px, py, 1) {
			t.Errorf("%s at %v, want pixel %.1f,%.1f", cat, p, px, py)
		}
	}

	// .pbf is the same tile.
	if w2 := ts.do(http.MethodGet, fmt.Sprintf("/tiles/reports_public/%d/%d/%d.pbf", tile.Z, tile.X, tile.Y), nil); !bytes.Equal(w2.Body.Bytes(), w.Body.Bytes()) {
		t.Error(".pbf differs from .mvt")
	}
}

func TestTileHTTPSemantics(t *testing.T) {
	ts := newTestServer(t, nil)
	a := ts.addReport(kristinehamnX, kristinehamnY, "FEL.LIGHT", "published")
	tile := tiles.Containing(12, a.lon, a.lat)

	plain, _ := ts.getTile("reports_public", tile, "")
	etag := plain.Header().Get("ETag")
	if len(etag) < 10 || etag[0] != '"' || plain.Header().Get("Vary") != "Accept-Encoding" || plain.Header().Get("Content-Encoding") != "" {
		t.Fatalf("plain headers %v", plain.Header())
	}
	zipped, layers := ts.getTile("reports_public", tile, "", "Accept-Encoding", "br, gzip;q=0.8")
	if zipped.Header().Get("Content-Encoding") != "gzip" || zipped.Header().Get("Vary") != "Accept-Encoding" {
		t.Fatalf("gzip headers %v", zipped.Header())
	}
	if zipped.Header().Get("ETag") == etag {
		t.Error("the gzip bytes carry the identity ETag")
	}
	if len(features(t, layers, "reports_public")) != 1 {
		t.Error("gzipped tile lost its feature")
	}
	if w, _ := ts.getTile("reports_public", tile, "", "Accept-Encoding", "gzip;q=0"); w.Header().Get("Content-Encoding") != "" {
		t.Error("gzip;q=0 got gzip")
	}

	for _, inm := range []string{etag, `"x", ` + etag, "W/" + etag, "*"} {
		w, _ := ts.getTile("reports_public", tile, "", "If-None-Match", inm)
		if w.Code != http.StatusNotModified || w.Body.Len() != 0 || w.Header().Get("ETag") != etag {
			t.Errorf("If-None-Match %s: %d", inm, w.Code)
		}
	}
	if w, _ := ts.getTile("reports_public", tile, "", "If-None-Match", `"other"`); w.Code != 200 {
		t.Errorf("stale ETag: %d", w.Code)
	}

	// Open sea west of Norway: nothing there.
	empty, _ := ts.getTile("reports_public", tiles.Containing(12, 0, 60), "")
	if empty.Code != http.StatusNoContent || empty.Body.Len() != 0 {
		t.Errorf("empty tile: %d, %d bytes", empty.Code, empty.Body.Len())
	}

	for _, path := range []string{
		"/tiles/reports_public/23/0/0.mvt", "/tiles/reports_public/2/4/0.mvt", "/tiles/reports_public/2/0/4.mvt",
		"/tiles/reports_public/2/0/1.png", "/tiles/reports_public/a/0/0.mvt", "/tiles/reports_public/2/0/1.mvt?kind=x",
	} {
		if w := ts.do(http.MethodGet, path, nil); w.Code != 400 || errorCode(t, w) != "invalid" {
			t.Errorf("%s: %d", path, w.Code)
		}
	}
	if w := ts.do(http.MethodGet, "/tiles/nosuch/1/0/0.mvt", nil); w.Code != 404 {
		t.Errorf("unknown layer: %d", w.Code)
	}
}

func TestStaffTilesAreScoped(t *testing.T) {
	ts := newTestServer(t, nil)
	home := ts.addReport(kristinehamnX, kristinehamnY, "OTR.SOC.DRUGS", "pending")
	away := ts.addReport(kristianstadX, kristianstadY, "FEL.LIGHT", "published")
	tok := ts.token(auth.Analyst, "1781")
	bearer := "Bearer " + tok

	homeTile := tiles.Containing(15, home.lon, home.lat)
	if w, _ := ts.getTile("reports", homeTile, ""); w.Code != 401 {
		t.Errorf("no token: %d", w.Code)
	}
	if w, _ := ts.getTile("reports", homeTile, "", "Authorization", "Bearer trg_nope"); w.Code != 401 {
		t.Errorf("bad token: %d", w.Code)
	}
	w, layers := ts.getTile("reports", homeTile, "", "Authorization", bearer)
	if w.Code != 200 || w.Header().Get("Cache-Control") != "private, no-cache" {
		t.Fatalf("own municipality: %d %q", w.Code, w.Header().Get("Cache-Control"))
	}
	pts := features(t, layers, "reports")
	px, py := homeTile.Pixel(home.lon, home.lat)
	if len(pts) != 1 || !near(pts[0], px, py, 1) {
		t.Fatalf("staff tile points %v, want the exact point at %.1f,%.1f", pts, px, py)
	}
	props := layers[0].Features[0].Properties
	if props["id"] != home.id || props["municipality"] != "1781" || props["category"] != "OTR.SOC.DRUGS" || props["age_days"] != 0.0 || props["observed_at"] != "2026-11-19T18:00:00Z" {
		t.Errorf("staff properties %v", props)
	}
	// The other municipality's tile is empty for this token, at every zoom.
	for z := 6; z <= 16; z += 5 {
		if w, _ := ts.getTile("reports", tiles.Containing(z, away.lon, away.lat), "", "Authorization", bearer); w.Code != http.StatusNoContent {
			t.Errorf("z %d: a 1781 token got %d for Kristianstad", z, w.Code)
		}
	}
	// The same through GeoJSON and OGC.
	fc := decode[struct {
		Features []struct{ ID string } `json:"features"`
	}](t, ts.do(http.MethodGet, "/v1/layers/reports.geojson", nil, "Authorization", bearer))
	if len(fc.Features) != 1 || fc.Features[0].ID != home.id {
		t.Errorf("GeoJSON for a 1781 token: %+v", fc.Features)
	}
	if w := ts.do(http.MethodGet, "/ogc/collections/reports/items/"+away.id, nil, "Authorization", bearer); w.Code != 404 {
		t.Errorf("OGC item of another municipality: %d", w.Code)
	}
}

// TestSensitivePointsCannotBeRecovered checks every public layer at every zoom
// from 10 to 22: a sensitive report shows only at the centre of its 100 m
// square, and a restricted one never as a point.
func TestSensitivePointsCannotBeRecovered(t *testing.T) {
	ts := newTestServer(t, nil)
	// 54 m from its square's centre (450050, 6570050).
	exactX, exactY := kristinehamnX+12, kristinehamnY+88
	sens := ts.addReport(exactX, exactY, "OTR.SOC.GATHER", "published")
	restricted := ts.addReport(kristinehamnX+130, kristinehamnY+40, "OTR.SOC.HARASS", "published")
	cLon, cLat := ts.lonLat(kristinehamnX+50, kristinehamnY+50)

	farTiles := 0
	for z := 10; z <= 22; z++ {
		seen := 0
		for _, tile := range []tiles.Tile{tiles.Containing(z, sens.lon, sens.lat), tiles.Containing(z, cLon, cLat), tiles.Containing(z, restricted.lon, restricted.lat)} {
			w, layers := ts.getTile("reports_public", tile, "")
			if w.Code != 200 && w.Code != 204 {
				t.Fatalf("z %d: %d", z, w.Code)
			}
			cx, cy := tile.Pixel(cLon, cLat)
			ex, ey := tile.Pixel(sens.lon, sens.lat)
			for i, p := range features(t, layers, "reports_public") {
				props := layers[0].Features[i].Properties
				if props["category"] == "OTR.SOC.HARASS" {
					t.Errorf("z %d: a restricted report is a point", z)
				}
				if !near(p, cx, cy, 1) || near(p, ex, ey, 2) || props["coarsened"] != true {
					t.Errorf("z %d tile %v: sensitive point at %v, square centre %.1f,%.1f, exact %.1f,%.1f", z, tile, p, cx, cy, ex, ey)
				}
				seen++
			}
			// One report is below the minimum cell count: no cell at any zoom.
			if w, _ := ts.getTile("report_cells", tile, ""); w.Code != http.StatusNoContent {
				t.Errorf("z %d: a cell of 2 reports was shown", z)
			}
		}
		if seen == 0 {
			t.Errorf("z %d: the coarsened point is missing", z)
		}
		// Once the exact point's tile (with its buffer) no longer holds the square
		// centre, that tile must be empty: its presence would place the point.
		et := tiles.Containing(z, sens.lon, sens.lat)
		if cx, cy := et.Pixel(cLon, cLat); cx < -tiles.Buffer || cy < -tiles.Buffer || cx > tiles.Extent+tiles.Buffer || cy > tiles.Extent+tiles.Buffer {
			if w, _ := ts.getTile("reports_public", et, ""); w.Code != http.StatusNoContent {
				t.Errorf("z %d: the tile of the exact point is not empty (%d)", z, w.Code)
			}
			farTiles++
		}
	}

	if farTiles < 3 {
		t.Errorf("only %d zooms separate the exact point from its square centre", farTiles)
	}

	// A bbox of a few metres around the exact point finds nothing; one around
	// the square centre finds the coarsened point and never the restricted one.
	box := func(lon, lat float64) string {
		return fmt.Sprintf("%f,%f,%f,%f", lon-0.0001, lat-0.0001, lon+0.0001, lat+0.0001)
	}
	type fc struct {
		Features []struct {
			Geometry struct{ Coordinates []float64 } `json:"geometry"`
		} `json:"features"`
	}
	if got := decode[fc](t, ts.do(http.MethodGet, "/v1/layers/reports_public.geojson?bbox="+box(sens.lon, sens.lat), nil)); len(got.Features) != 0 {
		t.Errorf("bbox around the exact point found %d features", len(got.Features))
	}
	got := decode[fc](t, ts.do(http.MethodGet, "/ogc/collections/reports_public/items?bbox="+box(cLon, cLat), nil))
	if len(got.Features) != 1 || math.Abs(got.Features[0].Geometry.Coordinates[0]-cLon) > 1e-7 || math.Abs(got.Features[0].Geometry.Coordinates[1]-cLat) > 1e-7 {
		t.Errorf("bbox around the square centre: %+v", got.Features)
	}
	all := decode[fc](t, ts.do(http.MethodGet, "/v1/layers/reports_public.geojson", nil))
	if len(all.Features) != 1 {
		t.Errorf("public GeoJSON has %d features, want only the coarsened one", len(all.Features))
	}
}

func TestReportCellsSuppressSmallCounts(t *testing.T) {
	ts := newTestServer(t, map[string]string{"TRYGG_MIN_CELL_COUNT": "3"})
	// z 14 cells are 125 m: three reports in the square at 450000, 6570000 and two
	// in the square east of it.
	for _, dx := range []float64{10, 60, 110} {
		ts.addReport(kristinehamnX+dx, kristinehamnY+20, "OTR.SOC.DRUGS", "published")
	}
	for _, dx := range []float64{140, 200} {
		ts.addReport(kristinehamnX+dx, kristinehamnY+20, "FEL.LIGHT", "published")
	}
	ts.addReport(kristinehamnX+150, kristinehamnY+20, "FEL.LIGHT", "pending")
	lon, lat := ts.lonLat(kristinehamnX+60, kristinehamnY+60)
	tile := tiles.Containing(14, lon, lat)
	w, layers := ts.getTile("report_cells", tile, "")
	if w.Code != 200 || len(layers) != 1 || len(layers[0].Features) != 1 {
		t.Fatalf("%d, layers %v", w.Code, layerNames(layers))
	}
	f := layers[0].Features[0]
	if f.Properties["count"] != 3.0 || f.Properties["cell_size_m"] != 125.0 {
		t.Errorf("cell properties %v", f.Properties)
	}
	// The square's corners land where its SWEREF 99 TM corners project.
	poly, ok := f.Geometry.(orb.Polygon)
	if !ok {
		t.Fatalf("cell geometry %T", f.Geometry)
	}
	wLon, sLat := ts.lonLat(kristinehamnX, kristinehamnY)
	px, py := tile.Pixel(wLon, sLat)
	found := false
	for _, p := range poly[0] {
		found = found || near(p, px, py, 1)
	}
	if !found {
		t.Errorf("no corner of %v at the square's south-west corner %.1f,%.1f", poly[0], px, py)
	}
	// With a lower threshold the second square appears; the pending report is not counted.
	ts2 := newTestServer(t, map[string]string{"TRYGG_MIN_CELL_COUNT": "1"})
	for _, dx := range []float64{140, 200} {
		ts2.addReport(kristinehamnX+dx, kristinehamnY+20, "FEL.LIGHT", "published")
	}
	ts2.addReport(kristinehamnX+150, kristinehamnY+20, "FEL.LIGHT", "pending")
	_, layers = ts2.getTile("report_cells", tile, "")
	if len(layers) != 1 || len(layers[0].Features) != 1 || layers[0].Features[0].Properties["count"] != 2.0 {
		t.Errorf("threshold 1: %v", layers)
	}
}

func TestNewReportChangesOnlyItsTiles(t *testing.T) {
	ts := newTestServer(t, nil)
	a := ts.addReport(kristinehamnX, kristinehamnY, "FEL.LIGHT", "published")
	b := ts.addReport(kristianstadX, kristianstadY, "FEL.LIGHT", "published")
	tileA, tileB := tiles.Containing(14, a.lon, a.lat), tiles.Containing(14, b.lon, b.lat)
	for _, tl := range []tiles.Tile{tileA, tileB} {
		if w, _ := ts.getTile("reports_public", tl, ""); w.Header().Get("X-Tile-Cache") != "miss" {
			t.Fatal("first request was not a miss")
		}
		if w, _ := ts.getTile("reports_public", tl, ""); w.Header().Get("X-Tile-Cache") != "hit" {
			t.Fatal("second request was not a hit")
		}
	}
	// A filter is part of the key.
	if w, _ := ts.getTile("reports_public", tileA, "?kind=felanmalan"); w.Header().Get("X-Tile-Cache") != "miss" {
		t.Error("a filtered tile was served from the unfiltered entry")
	}

	ts.addReport(kristinehamnX+30, kristinehamnY+30, "FEL.ROAD", "published")
	w, layers := ts.getTile("reports_public", tileA, "")
	if w.Header().Get("X-Tile-Cache") != "miss" || len(features(t, layers, "reports_public")) != 2 {
		t.Errorf("after a new report tile A: %s with %d features", w.Header().Get("X-Tile-Cache"), len(features(t, layers, "reports_public")))
	}
	if w, _ := ts.getTile("reports_public", tileB, ""); w.Header().Get("X-Tile-Cache") != "hit" {
		t.Error("a report in Kristinehamn invalidated a Kristianstad tile")
	}
	// Publishing (an update) is seen at once too.
	if _, err := ts.db.Pool.Exec(context.Background(), `UPDATE reports SET visibility = 'hidden' WHERE id = $1`, b.id); err != nil {
		t.Fatal(err)
	}
	if w, _ := ts.getTile("reports_public", tileB, ""); w.Code != http.StatusNoContent {
		t.Errorf("hidden report still shown: %d", w.Code)
	}
}

func TestFiltersAndClusters(t *testing.T) {
	ts := newTestServer(t, nil)
	ts.addReport(kristinehamnX, kristinehamnY, "OTR.PLACE.LIGHT", "published")
	ts.addReport(kristinehamnX+20, kristinehamnY, "OTR.PLACE.VEG", "published")
	ts.addReport(kristinehamnX+40, kristinehamnY, "FEL.LIGHT", "published")
	lon, lat := ts.lonLat(kristinehamnX, kristinehamnY)
	tile := tiles.Containing(13, lon, lat)
	for query, want := range map[string]int{
		"": 3, "?category=OTR.PLACE": 2, "?category=OTR.PLACE.VEG,FEL.LIGHT": 2, "?kind=felanmalan": 1,
		"?status=resolved": 0, "?from=2026-11-19&to=2026-11-19": 3, "?from=2026-11-20": 0,
	} {
		_, layers := ts.getTile("reports_public", tile, query)
		if got := len(features(t, layers, "reports_public")); got != want {
			t.Errorf("%q: %d features, want %d", query, got, want)
		}
	}

	// More points than a tile may carry: clusters that add up to all of them.
	dense := newTestServer(t, nil)
	w, s, e, nn := tile.Bounds()
	n := tiles.MaxPoints + 1
	if _, err := dense.db.Pool.Exec(context.Background(), `
INSERT INTO reports (id, reference, kind, category, geom, observed_at, status, visibility, follow_up_hash)
SELECT gen_random_uuid(), 'B-' || i, 'felanmalan', 'FEL.ROAD',
       ST_SetSRID(ST_MakePoint($1::float8 + (i % 100) * $3::float8, $2::float8 + (i / 100) * $4::float8), 4326), now(), 'received', 'published', '\x00'
FROM generate_series(0, $5 - 1) i`, w, s, (e-w)/100, (nn-s)/100, n); err != nil {
		t.Fatal(err)
	}
	dw, layers := dense.getTile("reports_public", tile, "")
	if dw.Code != 200 {
		t.Fatalf("dense tile: %d %s", dw.Code, dw.Body)
	}
	total := 0
	for _, f := range layers[0].Features {
		if f.Properties["cluster"] != true {
			t.Fatalf("a dense tile shipped a single point: %v", f.Properties)
		}
		total += int(f.Properties["point_count"].(float64))
	}
	if total != n || len(layers[0].Features) > 4096 {
		t.Errorf("clusters stand for %d reports in %d features, want %d", total, len(layers[0].Features), n)
	}
}

// TestEveryZoomAnswers asks every layer for the tile over Kristinehamn at every
// zoom: low zooms span far beyond SWEREF 99 TM's domain and must still work.
func TestEveryZoomAnswers(t *testing.T) {
	ts := newTestServer(t, map[string]string{"TRYGG_MIN_CELL_COUNT": "1"})
	a := ts.addReport(kristinehamnX, kristinehamnY, "FEL.LIGHT", "published")
	ts.addReport(kristinehamnX+60, kristinehamnY+60, "OTR.SOC.DRUGS", "published")
	for z := 0; z <= tiles.MaxZoom; z++ {
		tile := tiles.Containing(z, a.lon, a.lat)
		if _, layers := ts.getTile("reports_public", tile, ""); len(features(t, layers, "reports_public")) != 1 {
			t.Errorf("z %d: reports_public lacks the published point", z)
		}
		w, layers := ts.getTile("report_cells", tile, "")
		total := 0
		if w.Code == 200 {
			for _, f := range layers[0].Features {
				total += int(f.Properties["count"].(float64))
			}
		}
		// The restricted report counts in cells; below z 14 both share a cell.
		if (z < 14 && total != 2) || total < 1 {
			t.Errorf("z %d: report_cells %d counts %d", z, w.Code, total)
		}
		w, layers = ts.getTile("municipalities", tile, "")
		found := false
		if w.Code == 200 {
			for _, f := range layers[0].Features {
				found = found || f.Properties["code"] == "1781"
			}
		}
		if !found {
			t.Errorf("z %d: municipalities %d without Kristinehamn", z, w.Code)
		}
	}
}
