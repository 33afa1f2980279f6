package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/postgres"
	"github.com/trygg/trygg/internal/postgres/pgtest"
	"github.com/trygg/trygg/internal/tiles"
)

// metric reads one unlabelled series from /metrics.
func (ts *testServer) metric(name string) float64 {
	ts.t.Helper()
	w := ts.do(http.MethodGet, "/metrics", nil)
	for _, line := range strings.Split(w.Body.String(), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				ts.t.Fatalf("%s: %v", line, err)
			}
			return f
		}
	}
	ts.t.Fatalf("/metrics has no %s", name)
	return 0
}

// acquires is how many times the server's pool handed out a connection.
func (ts *testServer) acquires() int64 { return ts.db.Pool.Stat().AcquireCount() }

func (ts *testServer) cacheState(layer string, tile tiles.Tile, query string) string {
	ts.t.Helper()
	w, _ := ts.getTile(layer, tile, query)
	if w.Code != http.StatusOK && w.Code != http.StatusNoContent {
		ts.t.Fatalf("tile %v: %d %s", tile, w.Code, w.Body)
	}
	return w.Header().Get("X-Tile-Cache")
}

// TestWarmTilesDoNotTouchTheDatabase: a cold tile takes one connection (its
// query); once it is cached, serving it again takes none, and a report written by this process is in
// the very next tile.
func TestWarmTilesDoNotTouchTheDatabase(t *testing.T) {
	ts := newTestServer(t, map[string]string{"TRYGG_MIN_CELL_COUNT": "1"})
	if !ts.db.TileVersionsLive() {
		t.Fatal("tile versions are not followed after postgres.Open")
	}
	a := ts.addReport(kristinehamnX, kristinehamnY, "FEL.LIGHT", "published")
	for _, layer := range []string{"reports_public", "report_cells"} {
		tile := tiles.Containing(15, a.lon, a.lat)
		before := ts.acquires()
		if got := ts.cacheState(layer, tile, ""); got != "miss" {
			t.Fatalf("%s: first request %s", layer, got)
		}
		// A cold tile is its own query and nothing else: the version comes
		// from memory.
		if n := ts.acquires() - before; n != 1 {
			t.Errorf("%s: a cold tile took %d connections, want 1", layer, n)
		}
		before = ts.acquires()
		for range 5 {
			if got := ts.cacheState(layer, tile, ""); got != "hit" {
				t.Fatalf("%s: repeated request %s", layer, got)
			}
		}
		if after := ts.acquires(); after != before {
			t.Errorf("%s: 5 cached tiles took %d connections", layer, after-before)
		}
	}

	// Written through this process's pool: visible at once, in both layers.
	tile := tiles.Containing(15, a.lon, a.lat)
	ts.addReport(kristinehamnX+20, kristinehamnY+20, "FEL.ROAD", "published")
	w, layers := ts.getTile("reports_public", tile, "")
	if w.Header().Get("X-Tile-Cache") != "miss" || len(features(t, layers, "reports_public")) != 2 {
		t.Errorf("after a second report: %s with %d points", w.Header().Get("X-Tile-Cache"), len(features(t, layers, "reports_public")))
	}
	_, layers = ts.getTile("report_cells", tile, "")
	total := 0
	for _, f := range layers[0].Features {
		total += int(f.Properties["count"].(float64))
	}
	if total != 2 {
		t.Errorf("cells count %d reports, want 2", total)
	}
}

// TestReportPostedThroughTheAPIIsOnTheMapAtOnce posts a report and reads the
// staff tile right after the 201, with no wait in between.
func TestReportPostedThroughTheAPIIsOnTheMapAtOnce(t *testing.T) {
	ts := newTestServer(t, nil)
	bearer := "Bearer " + ts.token(auth.Analyst, "1781")
	lon, lat := ts.lonLat(kristinehamnX, kristinehamnY)
	tile := tiles.Containing(14, lon, lat)
	if w, _ := ts.getTile("reports", tile, "", "Authorization", bearer); w.Code != http.StatusNoContent {
		t.Fatalf("empty map: %d", w.Code)
	}
	for i := range 3 {
		body := map[string]any{"kind": "felanmalan", "category": "FEL.LIGHT",
			"location": map[string]any{"lat": lat + float64(i)*0.0001, "lon": lon, "accuracy_m": 5}}
		if w := ts.do(http.MethodPost, "/v1/reports", body, "Idempotency-Key", fmt.Sprintf("map-at-once-%04d", i)); w.Code != http.StatusCreated {
			t.Fatalf("post: %d %s", w.Code, w.Body)
		}
		w, layers := ts.getTile("reports", tile, "", "Authorization", bearer)
		if w.Code != http.StatusOK || len(features(t, layers, "reports")) != i+1 {
			t.Fatalf("after report %d the tile has %d points (%d)", i+1, len(features(t, layers, "reports")), w.Code)
		}
		if w, _ := ts.getTile("reports", tile, "", "Authorization", bearer); w.Header().Get("X-Tile-Cache") != "hit" {
			t.Errorf("the unchanged tile was not cached")
		}
	}
}

// TestOtherProcessesWritesReachTheCache writes from a connection that is not the
// server's (as another server or an import would) and waits for the tile to
// change: the notification must arrive without any request asking the database.
func TestOtherProcessesWritesReachTheCache(t *testing.T) {
	pool, url := pgtest.NewWithURL(t)
	pool.Close()
	db, err := postgres.Open(context.Background(), url, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	ts := newTestServerOn(t, db, nil, Options{})
	lon, lat := ts.lonLat(kristinehamnX, kristinehamnY)
	tile := tiles.Containing(14, lon, lat)
	if got := ts.cacheState("reports_public", tile, ""); got != "miss" {
		t.Fatal(got)
	}
	v0 := db.TileVersions.Of(tile.Squares())
	other, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(context.Background())
	if _, err := other.Exec(context.Background(), `
INSERT INTO reports (id, reference, kind, category, geom, observed_at, status, visibility, follow_up_hash)
VALUES (gen_random_uuid(), 'OTHER-1', 'felanmalan', 'FEL.LIGHT', ST_SetSRID(ST_MakePoint($1, $2), 4326), now(), 'received', 'published', '\x00')`,
		lon, lat); err != nil {
		t.Fatal(err)
	}
	before := ts.acquires()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if db.TileVersions.Of(tile.Squares()) > v0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the other connection's report never reached the tile versions")
		}
	}
	if ts.acquires() != before {
		t.Error("waiting for the notification used the pool")
	}
	w, layers := ts.getTile("reports_public", tile, "")
	if w.Header().Get("X-Tile-Cache") != "miss" || len(features(t, layers, "reports_public")) != 1 {
		t.Errorf("after another process's report: %s, %d points", w.Header().Get("X-Tile-Cache"), len(features(t, layers, "reports_public")))
	}
}

// TestTileVersionsSurviveALostListener: when the listening connection dies,
// tiles are checked against the database (so nothing stale is served), and
// once it listens again cache hits need no query.
func TestTileVersionsSurviveALostListener(t *testing.T) {
	ts := newTestServer(t, nil)
	a := ts.addReport(kristinehamnX, kristinehamnY, "FEL.LIGHT", "published")
	tile := tiles.Containing(14, a.lon, a.lat)
	ts.cacheState("reports_public", tile, "")

	var killed bool
	if err := ts.db.Pool.QueryRow(context.Background(),
		`SELECT coalesce(bool_and(pg_terminate_backend(pid)), false) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`,
		postgres.TileWatchApplication).Scan(&killed); err != nil || !killed {
		t.Fatalf("terminate the listener: %v %v", killed, err)
	}
	for deadline := time.Now().Add(10 * time.Second); ts.db.TileVersionsLive(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the listener's death went unnoticed")
		}
	}
	// Not live: the cached tile is checked against the database, and a change
	// is seen even though nobody tells the versions about it.
	if got := ts.cacheState("reports_public", tile, ""); got != "miss" {
		t.Errorf("first request after losing the listener: %s (the cache cannot know what it missed)", got)
	}
	if got := ts.cacheState("reports_public", tile, ""); got != "hit" {
		t.Errorf("unchanged tile while not live: %s", got)
	}
	ts.addReport(kristinehamnX+30, kristinehamnY, "FEL.ROAD", "published")
	if w, layers := ts.getTile("reports_public", tile, ""); len(features(t, layers, "reports_public")) != 2 {
		t.Errorf("while not live a new report is missing (%s)", w.Header().Get("X-Tile-Cache"))
	}
	for deadline := time.Now().Add(15 * time.Second); !ts.db.TileVersionsLive(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the listener did not come back")
		}
	}
	ts.cacheState("reports_public", tile, "")
	before := ts.acquires()
	if got := ts.cacheState("reports_public", tile, ""); got != "hit" || ts.acquires() != before {
		t.Errorf("live again: %s, %d connections", got, ts.acquires()-before)
	}
}

// TestTileCacheWithoutListener: a server on a pool that does not listen (as
// postgres.New gives) checks cached tiles against the database's versions.
func TestTileCacheWithoutListener(t *testing.T) {
	ts := newTestServerOn(t, postgres.New(pgtest.New(t)), nil, Options{})
	if ts.db.TileVersionsLive() {
		t.Fatal("versions live without a listener")
	}
	a := ts.addReport(kristinehamnX, kristinehamnY, "FEL.LIGHT", "published")
	tile := tiles.Containing(14, a.lon, a.lat)
	if ts.cacheState("reports_public", tile, "") != "miss" || ts.cacheState("reports_public", tile, "") != "hit" {
		t.Fatal("no miss then hit")
	}
	ts.addReport(kristinehamnX+30, kristinehamnY, "FEL.ROAD", "published")
	w, layers := ts.getTile("reports_public", tile, "")
	if w.Header().Get("X-Tile-Cache") != "miss" || len(features(t, layers, "reports_public")) != 2 {
		t.Errorf("after a report: %s with %d points", w.Header().Get("X-Tile-Cache"), len(features(t, layers, "reports_public")))
	}
}

// TestTileCacheMetrics reads hits, misses, evictions, entries and bytes from
// /metrics with a cache that holds only a couple of tiles.
func TestTileCacheMetrics(t *testing.T) {
	ts := newTestServerWith(t, nil, Options{TileCacheBytes: 1500})
	a := ts.addReport(kristinehamnX, kristinehamnY, "FEL.LIGHT", "published")
	if ts.metric("trygg_tile_versions_live") != 1 {
		t.Error("trygg_tile_versions_live is not 1")
	}
	for _, name := range []string{"trygg_tile_cache_hits_total", "trygg_tile_cache_misses_total", "trygg_tile_cache_evictions_total", "trygg_tile_cache_entries", "trygg_tile_cache_bytes"} {
		if v := ts.metric(name); v != 0 {
			t.Errorf("%s = %v before any tile", name, v)
		}
	}
	t13 := tiles.Containing(13, a.lon, a.lat)
	ts.cacheState("reports_public", t13, "") // miss
	ts.cacheState("reports_public", t13, "") // hit
	ts.cacheState("reports_public", t13, "") // hit
	if h, m, n := ts.metric("trygg_tile_cache_hits_total"), ts.metric("trygg_tile_cache_misses_total"), ts.metric("trygg_tile_cache_entries"); h != 2 || m != 1 || n != 1 {
		t.Errorf("hits %v misses %v entries %v, want 2 1 1", h, m, n)
	}
	one := ts.metric("trygg_tile_cache_bytes")
	if one <= 200 {
		t.Errorf("one tile takes %v bytes", one)
	}
	// Empty tiles of other zooms: each costs its key and the bookkeeping, so
	// the 1500-byte cache must let tiles go.
	for z := 5; z <= 12; z++ {
		ts.cacheState("reports_public", tiles.Containing(z, 0, 60), "")
	}
	ev, n, b := ts.metric("trygg_tile_cache_evictions_total"), ts.metric("trygg_tile_cache_entries"), ts.metric("trygg_tile_cache_bytes")
	if ev < 1 || n+ev != 9 || b > 1500 {
		t.Errorf("evictions %v entries %v bytes %v: want evictions, 9 tiles in all, at most 1500 bytes", ev, n, b)
	}
	if m := ts.metric("trygg_tile_cache_misses_total"); m != 9 {
		t.Errorf("misses %v, want 9", m)
	}
	// A change makes the cached tile stale: a miss, not a hit.
	ts.cacheState("reports_public", t13, "")
	ts.addReport(kristinehamnX+10, kristinehamnY, "FEL.ROAD", "published")
	hits := ts.metric("trygg_tile_cache_hits_total")
	if got := ts.cacheState("reports_public", t13, ""); got != "miss" || ts.metric("trygg_tile_cache_hits_total") != hits {
		t.Errorf("stale tile counted as a hit (%s)", got)
	}
}

// TestCategoriesCachedUntilChanged: the taxonomy is read once, then from memory,
// and a change to the categories table is seen by the next request.
func TestCategoriesCachedUntilChanged(t *testing.T) {
	ts := newTestServer(t, nil)
	ctx := context.Background()
	if _, err := ts.db.Categories(ctx); err != nil {
		t.Fatal(err)
	}
	before := ts.acquires()
	if _, err := ts.db.Categories(ctx); err != nil || ts.acquires() != before {
		t.Fatalf("second read took %d connections (%v)", ts.acquires()-before, err)
	}
	if _, err := ts.db.Pool.Exec(ctx, `UPDATE categories SET name_en = 'Broken lamp' WHERE code = 'FEL.LIGHT'`); err != nil {
		t.Fatal(err)
	}
	w := ts.do(http.MethodGet, "/v1/categories?kind=felanmalan", nil, "Accept-Language", "en")
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Broken lamp") {
		t.Errorf("renamed category not seen: %d %s", w.Code, w.Body)
	}
	// Deactivated: a report in it is refused at once.
	if _, err := ts.db.Pool.Exec(ctx, `UPDATE categories SET active = false WHERE code = 'FEL.LIGHT'`); err != nil {
		t.Fatal(err)
	}
	if w := ts.do(http.MethodPost, "/v1/reports", felanmalan(nil), "Idempotency-Key", "inactive-category-1"); w.Code < 400 || w.Code >= 500 {
		t.Errorf("report in a deactivated category: %d", w.Code)
	}
}
