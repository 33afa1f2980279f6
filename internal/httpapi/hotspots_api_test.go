package httpapi

import (
	"context"
	"math"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/hotspot"
)

// TestHotspotsRefuse checks who may ask, for where, and with which
// parameters — on a database with too few reports for the optimized mode.
func TestHotspotsRefuse(t *testing.T) {
	ts := newTestServer(t, nil)
	rng := rand.New(rand.NewPCG(6, 2))
	obs := time.Date(2026, 10, 10, 12, 0, 0, 0, time.UTC)
	ts.plantReports(cluster(rng, kristianstadTown, 2000, 29), times(obs, 29), "OTR.PLACE.LIGHT")
	analyst := ts.token(auth.Analyst, "1290")
	police := ts.token(auth.Police, "1290", "1781")
	elsewhere := ts.token(auth.Planner, "1781")
	caseworker := ts.token(auth.Caseworker, "1290")

	for _, tc := range []struct {
		name, token, query string
		status             int
		code, message      string
	}{
		{"no token", "", "?municipality=1290&cell=500", 401, "unauthorized", ""},
		{"caseworker", caseworker, "?municipality=1290&cell=500", 403, "forbidden", ""},
		{"other municipality", elsewhere, "?municipality=1290&cell=500", 403, "forbidden", "1290"},
		{"bbox outside scope", elsewhere, "?bbox=14.0,55.9,14.4,56.2&cell=500", 403, "forbidden", "bbox"},
		{"no area, two municipalities", police, "?cell=500", 400, "invalid", "municipality, area or bbox"},
		{"optimized under 30 reports", analyst, "?municipality=1290", 422, "unprocessable", "30"},
		{"cell too small", analyst, "?municipality=1290&cell=5", 400, "invalid", "cell"},
		{"too many cells", analyst, "?municipality=1290&cell=10", 400, "invalid", "larger cell"},
		{"queen on hexagons", analyst, "?municipality=1290&cell=500&shape=hex&neighbours=queen", 400, "invalid", "neighbours"},
		{"bad shape", analyst, "?municipality=1290&cell=500&shape=triangle", 400, "invalid", "shape"},
		{"bad bbox", analyst, "?bbox=14,56,13,55&cell=500", 400, "invalid", "bbox"},
		{"two areas", analyst, "?municipality=1290&bbox=14.0,55.9,14.4,56.2&cell=500", 400, "invalid", "one study area"},
		{"from after to", analyst, "?municipality=1290&cell=500&from=2026-10-02&to=2026-10-01", 400, "invalid", "before"},
		{"bad method", analyst, "?municipality=1290&cell=500&method=idw", 400, "invalid", "method"},
		{"unknown area", analyst, "?area=6f1c1c52-5f4e-4d4e-9a43-3b1c0e6b2a11&cell=500", 404, "not_found", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var hdr []string
			if tc.token != "" {
				hdr = []string{"Authorization", "Bearer " + tc.token}
			}
			w := ts.do(http.MethodGet, "/v1/hotspots"+tc.query, nil, hdr...)
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.status, w.Body)
			}
			body := decode[ErrorBody](t, w)
			if body.Error.Code != tc.code || !strings.Contains(body.Error.Message, tc.message) {
				t.Errorf("error %+v, want code %s mentioning %q", body.Error, tc.code, tc.message)
			}
		})
	}

	// The same 29 reports are fine with a cell size given; the bbox is cut
	// to the token's municipalities.
	for _, q := range []string{"?municipality=1290&cell=2000", "?bbox=14.0,55.9,14.4,56.2&cell=1000", "?cell=2000"} {
		f, code, _ := ts.hotspots(analyst, q)
		if code != http.StatusOK || f.Summary["reports"].(float64) != 29 {
			t.Errorf("%s: status %d, summary %v", q, code, f)
		}
	}
}

// TestHotspotsCache checks that a repeated request is served from the cache
// with the same answer, answers 304 to its ETag, and that one new report in
// the municipality makes the next answer fresh.
func TestHotspotsCache(t *testing.T) {
	ts := newTestServer(t, nil)
	rng := rand.New(rand.NewPCG(6, 3))
	obs := time.Date(2026, 10, 10, 12, 0, 0, 0, time.UTC)
	ts.plantReports(cluster(rng, kristianstadTown, 3000, 100), times(obs, 100), "OTR.PLACE.LIGHT")
	tok := ts.token(auth.Analyst, "1290")
	const q = "?municipality=1290&cell=1000&from=2026-10-01&to=2026-10-31"

	first, _, h1 := ts.hotspots(tok, q)
	second, _, h2 := ts.hotspots(tok, q)
	if !strings.Contains(h1.Get("Server-Timing"), "sql;") || !strings.Contains(h2.Get("Server-Timing"), "cache;desc=hit") {
		t.Fatalf("Server-Timing %q then %q: want a computation, then a cache hit", h1.Get("Server-Timing"), h2.Get("Server-Timing"))
	}
	if h1.Get("ETag") == "" || h1.Get("ETag") != h2.Get("ETag") || first.Summary["reports"] != second.Summary["reports"] {
		t.Errorf("cached answer differs: ETag %q/%q, reports %v/%v", h1.Get("ETag"), h2.Get("ETag"), first.Summary["reports"], second.Summary["reports"])
	}
	w := ts.do(http.MethodGet, "/v1/hotspots"+q, nil, "Authorization", "Bearer "+tok, "If-None-Match", h1.Get("ETag"))
	if w.Code != http.StatusNotModified {
		t.Errorf("If-None-Match with the current ETag: %d, want 304", w.Code)
	}
	// nocache computes afresh but answers the same.
	if _, _, h := ts.hotspots(tok, q+"&nocache=true"); !strings.Contains(h.Get("Server-Timing"), "sql;") {
		t.Errorf("nocache served from cache: %q", h.Get("Server-Timing"))
	}

	ts.plantReports([]hotspot.Point{kristianstadTown}, times(obs, 1), "OTR.PLACE.LIGHT")
	third, _, h3 := ts.hotspots(tok, q)
	if strings.Contains(h3.Get("Server-Timing"), "cache") || h3.Get("ETag") == h1.Get("ETag") {
		t.Errorf("after a new report: Server-Timing %q, ETag %q (was %q)", h3.Get("Server-Timing"), h3.Get("ETag"), h1.Get("ETag"))
	}
	if got, was := third.Summary["reports"].(float64), first.Summary["reports"].(float64); got != was+1 {
		t.Errorf("after a new report the analysis counts %v, was %v", got, was)
	}
	// A report changed in place (its point moved) also invalidates.
	if _, err := ts.db.Pool.Exec(context.Background(), `
UPDATE reports SET geom = ST_Translate(geom, 0.001, 0) WHERE id = (SELECT id FROM reports LIMIT 1)`); err != nil {
		t.Fatal(err)
	}
	if _, _, h := ts.hotspots(tok, q); strings.Contains(h.Get("Server-Timing"), "cache") {
		t.Error("a moved report did not invalidate the cached result")
	}
}

// TestHotspotsEmerging plants a cluster that appears in the last three of
// six months over a steady background and expects its cell to be a hot spot
// pattern that the earlier months did not have.
func TestHotspotsEmerging(t *testing.T) {
	ts := newTestServer(t, nil)
	rng := rand.New(rand.NewPCG(6, 4))
	tok := ts.token(auth.Planner, "1290")
	for m := 0; m < 6; m++ {
		obs := time.Date(2026, time.Month(5+m), 12, 12, 0, 0, 0, time.UTC)
		noise := ts.insideKristianstad(rng, 80)
		ts.plantReports(noise, times(obs, len(noise)), "OTR.PLACE.LIGHT")
		if m >= 3 {
			ts.plantReports(cluster(rng, kristianstadTown, 300, 25), times(obs, 25), "OTR.SOC.GATHER")
		}
	}
	w := ts.do(http.MethodGet, "/v1/hotspots/emerging?municipality=1290&cell=2000&step=month&steps=6&to=2026-10-31", nil, "Authorization", "Bearer "+tok)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	f := decode[hotspotFeatures](t, w)
	if steps := f.Summary["steps"].([]any); len(steps) != 6 || steps[0] != "2026-05-01" || steps[5] != "2026-10-01" {
		t.Errorf("steps %v, want the months May to October 2026", steps)
	}
	g := hotspot.Grid{Size: 2000, Shape: hotspot.Square}
	town := g.CellOf(kristianstadTown.X, kristianstadTown.Y)
	patterns := map[string]int{}
	for _, ft := range f.Features {
		p := ft.Properties
		patterns[p.Pattern]++
		if len(p.Bins) != 6 || p.TrendZ == nil || math.IsNaN(*p.TrendZ) {
			t.Fatalf("cell (%d, %d): bins %v, trend %v", p.I, p.J, p.Bins, p.TrendZ)
		}
		if p.I == town.I && p.J == town.J {
			if !strings.HasSuffix(p.Pattern, "_hot_spot") || p.Bins[0] > 0 || p.Bins[5] < 2 {
				t.Errorf("the emerging cluster's cell: pattern %s, bins %v", p.Pattern, p.Bins)
			}
		}
	}
	// Hexagons bin the same reports (over time steps, in SQL).
	hw := ts.do(http.MethodGet, "/v1/hotspots/emerging?municipality=1290&cell=1200&shape=hex&step=month&steps=6&to=2026-10-31", nil, "Authorization", "Bearer "+tok)
	if hw.Code != http.StatusOK {
		t.Fatalf("hexagons: status %d: %s", hw.Code, hw.Body)
	}
	hex := decode[hotspotFeatures](t, hw)
	want := ts.sqlStudyCells("hex", 1200) // every planted report is in the six months
	for _, ft := range hex.Features {
		if p := ft.Properties; want[[2]int{p.I, p.J}] != p.Count {
			t.Errorf("hexagon (%d, %d): %d reports, PostGIS %d", p.I, p.J, p.Count, want[[2]int{p.I, p.J}])
		}
	}
	if hex.Summary["shape"] != "hex" || len(hex.Features) != len(want) {
		t.Errorf("hexagons: shape %v, %d cells, PostGIS %d", hex.Summary["shape"], len(hex.Features), len(want))
	}
	// Without "to" the cube ends with the current month (the test clock is in
	// November 2026) and a repeat is served from the cache.
	q := "/v1/hotspots/emerging?municipality=1290&cell=2000&step=month&steps=6"
	ts.do(http.MethodGet, q, nil, "Authorization", "Bearer "+tok)
	w = ts.do(http.MethodGet, q, nil, "Authorization", "Bearer "+tok)
	now := decode[hotspotFeatures](t, w)
	if steps := now.Summary["steps"].([]any); w.Code != http.StatusOK || steps[5] != "2026-11-01" || !strings.Contains(w.Header().Get("Server-Timing"), "cache") {
		t.Errorf("without to: status %d, steps %v, Server-Timing %q", w.Code, now.Summary["steps"], w.Header().Get("Server-Timing"))
	}
	// One new report in the municipality: the cube is built afresh.
	ts.plantReports([]hotspot.Point{kristianstadTown}, times(time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC), 1), "OTR.PLACE.LIGHT")
	w = ts.do(http.MethodGet, q, nil, "Authorization", "Bearer "+tok)
	if after := decode[hotspotFeatures](t, w); strings.Contains(w.Header().Get("Server-Timing"), "cache") || after.Summary["reports"] == now.Summary["reports"] {
		t.Errorf("after a new report: Server-Timing %q, reports %v (were %v)", w.Header().Get("Server-Timing"), after.Summary["reports"], now.Summary["reports"])
	}
	summary := f.Summary["patterns"].(map[string]any)
	for name, n := range patterns {
		if summary[name].(float64) != float64(n) {
			t.Errorf("summary says %v cells are %s, features %d", summary[name], name, n)
		}
	}
}

// TestSwerefToWGS84 compares the Gauss–Krüger formulas with PostGIS over
// Sweden's whole extent, to a millionth of a metre's worth of degrees.
func TestSwerefToWGS84(t *testing.T) {
	ts := newTestServer(t, nil)
	for _, p := range []hotspot.Point{{X: 449_200, Y: 6_209_300}, {X: 265_000, Y: 6_130_000}, {X: 920_000, Y: 7_600_000}, {X: 500_000, Y: 6_600_000}, {X: 740_000, Y: 7_350_000}} {
		var lon, lat float64
		if err := ts.db.Pool.QueryRow(context.Background(),
			`SELECT ST_X(g), ST_Y(g) FROM ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 3006), 4326) g`, p.X, p.Y).Scan(&lon, &lat); err != nil {
			t.Fatal(err)
		}
		gotLon, gotLat := swerefToWGS84(p.X, p.Y)
		if math.Abs(gotLon-lon) > 1e-8 || math.Abs(gotLat-lat) > 1e-8 {
			t.Errorf("(%v, %v): got %.10f %.10f, PostGIS %.10f %.10f", p.X, p.Y, gotLon, gotLat, lon, lat)
		}
	}
}

// TestHotspotsArea analyses a stadsdel polygon: its cells are those of
// PostGIS's grid with their centre in the polygon, and only tokens of its
// municipality may ask.
func TestHotspotsArea(t *testing.T) {
	ts := newTestServer(t, nil)
	rng := rand.New(rand.NewPCG(6, 5))
	obs := time.Date(2026, 10, 10, 12, 0, 0, 0, time.UTC)
	ts.plantReports(cluster(rng, kristianstadTown, 2500, 200), times(obs, 200), "OTR.PLACE.LIGHT")
	var id string
	if err := ts.db.Pool.QueryRow(context.Background(), `
INSERT INTO areas (id, municipality_code, kind, name, geom)
VALUES (gen_random_uuid(), '1290', 'stadsdel', 'Centrum',
        ST_Multi(ST_Transform(ST_Buffer(ST_SetSRID(ST_MakePoint($1, $2), 3006), 1500), 4326)))
RETURNING id::text`, kristianstadTown.X, kristianstadTown.Y).Scan(&id); err != nil {
		t.Fatal(err)
	}
	var wantCells, wantReports int
	if err := ts.db.Pool.QueryRow(context.Background(), `
WITH a AS (SELECT ST_Transform(geom, 3006) AS g FROM areas WHERE id = $1),
c AS (SELECT s.geom FROM a, ST_SquareGrid(250, a.g) s WHERE ST_Intersects(ST_Centroid(s.geom), a.g))
SELECT (SELECT count(*) FROM c), (SELECT count(*) FROM reports r, c WHERE ST_Intersects(r.geom_sweref, c.geom))`,
		id).Scan(&wantCells, &wantReports); err != nil {
		t.Fatal(err)
	}
	f, code, _ := ts.hotspots(ts.token(auth.Analyst, "1290"), "?area="+id+"&cell=250")
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	if len(f.Features) != wantCells || int(f.Summary["reports"].(float64)) != wantReports {
		t.Errorf("%d cells with %v reports, PostGIS: %d cells with %d", len(f.Features), f.Summary["reports"], wantCells, wantReports)
	}
	if _, code, _ := ts.hotspots(ts.token(auth.Analyst, "1781"), "?area="+id+"&cell=250"); code != http.StatusForbidden {
		t.Errorf("a token of another municipality got %d for the area, want 403", code)
	}
}
