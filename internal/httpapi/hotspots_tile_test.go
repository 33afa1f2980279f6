package httpapi

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/hotspot"
	"github.com/trygg/trygg/internal/tiles"
)

// TestHotspotTiles draws the hotspot map of a planted cluster as vector tiles
// and checks them against GET /v1/hotspots for the same parameters: every
// cell that reaches into the tile is there, with its count, bin and z, at the
// pixels its SWEREF 99 TM corners project to; plus the HTTP semantics of the
// other tile layers, the tile cache and its invalidation, and scoping.
func TestHotspotTiles(t *testing.T) {
	ts := newTestServer(t, nil)
	rng := rand.New(rand.NewPCG(6, 7))
	obs := time.Date(2026, 10, 10, 12, 0, 0, 0, time.UTC)
	noise := ts.insideKristianstad(rng, 400)
	ts.plantReports(noise, times(obs, len(noise)), "OTR.PLACE.LIGHT")
	ts.plantReports(cluster(rng, kristianstadTown, 250, 60), times(obs, 60), "OTR.SOC.GATHER")
	tok := ts.token(auth.Analyst, "1290")
	const params = "?municipality=1290&cell=1000"
	g := hotspot.Grid{Size: 1000, Shape: hotspot.Square}

	f, code, _ := ts.hotspots(tok, params)
	if code != http.StatusOK {
		t.Fatalf("/v1/hotspots: %d", code)
	}
	type props struct {
		count, bin int
		z          float64
	}
	want := map[[2]int]props{}
	for _, ft := range f.Features {
		p := ft.Properties
		want[[2]int{p.I, p.J}] = props{p.Count, p.Bin, p.Z}
	}
	townCell := g.CellOf(kristianstadTown.X, kristianstadTown.Y)
	if want[[2]int{townCell.I, townCell.J}].bin != 3 {
		t.Fatalf("the planted cluster is not at bin 3 in /v1/hotspots: %+v", want[[2]int{townCell.I, townCell.J}])
	}

	// pixelBox is where a cell's corners land in tile tl.
	pixelBox := func(tl tiles.Tile, c hotspot.Index) (corners []orb.Point, box orb.Bound) {
		for k, p := range g.Corners(c) {
			lon, lat := swerefToWGS84(p.X, p.Y)
			px, py := tl.Pixel(lon, lat)
			corners = append(corners, orb.Point{px, py})
			if k == 0 {
				box = orb.Bound{Min: orb.Point{px, py}, Max: orb.Point{px, py}}
			}
			box = box.Extend(orb.Point{px, py})
		}
		return corners, box
	}

	// z 12 around the town: 1 km cells are 400–700 pixels wide, about five
	// by nine of them touch the tile. z 9 holds most of the municipality.
	lon, lat := swerefToWGS84(kristianstadTown.X, kristianstadTown.Y)
	for _, z := range []int{12, 9} {
		tl := tiles.Containing(z, lon, lat)
		w, layers := ts.getTile("hotspots", tl, params, bearer(tok)...)
		if w.Code != http.StatusOK {
			t.Fatalf("z %d: status %d %s", z, w.Code, w.Body)
		}
		if len(layers) != 1 || layers[0].Name != "hotspots" || layers[0].Extent != tiles.Extent {
			t.Fatalf("z %d: layers %v, want one layer hotspots with extent 4096", z, layerNames(layers))
		}
		got := map[[2]int]bool{}
		for _, ft := range layers[0].Features {
			i, j := int(ft.Properties["i"].(float64)), int(ft.Properties["j"].(float64))
			key := [2]int{i, j}
			got[key] = true
			w, ok := want[key]
			if !ok {
				t.Errorf("z %d: tile cell (%d, %d) is not a cell of the analysis", z, i, j)
				continue
			}
			if c, b, zz := ft.Properties["count"].(float64), ft.Properties["bin"].(float64), ft.Properties["z"].(float64); int(c) != w.count || int(b) != w.bin || math.Abs(zz-w.z) > 1e-5*max(1, math.Abs(w.z)) {
				t.Errorf("z %d: cell (%d, %d) in the tile count %v bin %v z %v; /v1/hotspots %+v", z, i, j, c, b, zz, w)
			}
			poly, ok := ft.Geometry.(orb.Polygon)
			if !ok || len(poly) != 1 {
				t.Errorf("z %d: cell (%d, %d) is a %T, want a polygon with one ring", z, i, j, ft.Geometry)
				continue
			}
			corners, box := pixelBox(tl, hotspot.Index{I: i, J: j})
			// A cell wholly inside the tile keeps its four corners, each within a
			// pixel of where it projects; a clipped one stays within the cell's box.
			inside := box.Min[0] > 0 && box.Min[1] > 0 && box.Max[0] < tiles.Extent && box.Max[1] < tiles.Extent
			for _, v := range poly[0] {
				if inside {
					nearest := math.Inf(1)
					for _, c := range corners {
						nearest = min(nearest, math.Hypot(v[0]-c[0], v[1]-c[1]))
					}
					if nearest > 1 {
						t.Errorf("z %d: cell (%d, %d) vertex %v is %.1f px from every projected corner %v", z, i, j, v, nearest, corners)
					}
				} else if v[0] < box.Min[0]-1 || v[0] > box.Max[0]+1 || v[1] < box.Min[1]-1 || v[1] > box.Max[1]+1 {
					t.Errorf("z %d: clipped cell (%d, %d) vertex %v lies outside its box %v", z, i, j, v, box)
				}
			}
		}
		// Every cell of the analysis that reaches a pixel into the tile is drawn.
		for key := range want {
			_, box := pixelBox(tl, hotspot.Index{I: key[0], J: key[1]})
			if box.Max[0] > 1 && box.Min[0] < tiles.Extent-1 && box.Max[1] > 1 && box.Min[1] < tiles.Extent-1 && !got[key] {
				t.Errorf("z %d: cell %v overlaps the tile (pixels %v) but is missing", z, key, box)
			}
		}
		if !got[[2]int{townCell.I, townCell.J}] || len(got) < 4 {
			t.Errorf("z %d: %d cells, the planted cluster's among them: %t", z, len(got), got[[2]int{townCell.I, townCell.J}])
		}
	}

	tl := tiles.Containing(12, lon, lat)
	path := func(tl tiles.Tile, ext string) string {
		return "/tiles/hotspots/" + strconv.Itoa(tl.Z) + "/" + strconv.Itoa(tl.X) + "/" + strconv.Itoa(tl.Y) + "." + ext + params
	}
	t.Run("http", func(t *testing.T) {
		first := ts.do(http.MethodGet, path(tl, "mvt"), nil, bearer(tok)...)
		etag := first.Header().Get("ETag")
		if first.Code != 200 || etag == "" || first.Header().Get("Content-Type") != "application/vnd.mapbox-vector-tile" ||
			first.Header().Get("Cache-Control") != "private, no-cache" || first.Header().Get("X-Tile-Cache") != "hit" {
			t.Errorf("repeat tile: %d, headers %v (the tile above is cached)", first.Code, first.Header())
		}
		pbf := ts.do(http.MethodGet, path(tl, "pbf"), nil, bearer(tok)...)
		if pbf.Code != 200 || !bytes.Equal(pbf.Body.Bytes(), first.Body.Bytes()) || pbf.Header().Get("ETag") != etag {
			t.Errorf(".pbf: %d, %d bytes, ETag %q; .mvt %d bytes, ETag %q", pbf.Code, pbf.Body.Len(), pbf.Header().Get("ETag"), first.Body.Len(), etag)
		}
		if w := ts.do(http.MethodGet, path(tl, "mvt"), nil, append(bearer(tok), "If-None-Match", etag)...); w.Code != http.StatusNotModified || w.Body.Len() != 0 {
			t.Errorf("If-None-Match: %d with %d bytes, want 304", w.Code, w.Body.Len())
		}
		gz := ts.do(http.MethodGet, path(tl, "mvt"), nil, append(bearer(tok), "Accept-Encoding", "gzip")...)
		if gz.Code != 200 || gz.Header().Get("Content-Encoding") != "gzip" || gz.Header().Get("ETag") == etag || gz.Body.Len() >= first.Body.Len() {
			t.Errorf("gzip: %d, encoding %q, ETag %q (identity %q), %d bytes (identity %d)", gz.Code,
				gz.Header().Get("Content-Encoding"), gz.Header().Get("ETag"), etag, gz.Body.Len(), first.Body.Len())
		}
		// Other parameters are another analysis and another tile.
		hex := ts.do(http.MethodGet, "/tiles/hotspots/12/"+strconv.Itoa(tl.X)+"/"+strconv.Itoa(tl.Y)+".mvt?municipality=1290&cell=600&shape=hex", nil, bearer(tok)...)
		if hex.Code != 200 || hex.Header().Get("ETag") == etag {
			t.Errorf("hexagons: %d, ETag %q (squares %q)", hex.Code, hex.Header().Get("ETag"), etag)
		}
		// At z 6 a 1 km cell is still some 7 pixels wide.
		if w, layers := ts.getTile("hotspots", tiles.Containing(6, lon, lat), params, bearer(tok)...); w.Code != 200 || len(layers[0].Features) < 1000 {
			t.Errorf("z 6: %d, want 200 with every cell of the municipality", w.Code)
		}
		// Far from Kristianstad; outside the region any study area covers; and
		// z 0, where a 1 km cell is less than a pixel and ST_AsMVTGeom drops it.
		for _, empty := range []tiles.Tile{tiles.Containing(12, 20.2, 67.85), {Z: 1, X: 0, Y: 1}, {Z: 0, X: 0, Y: 0}} {
			w := ts.do(http.MethodGet, path(empty, "mvt"), nil, bearer(tok)...)
			if w.Code != http.StatusNoContent || w.Body.Len() != 0 || w.Header().Get("ETag") == "" {
				t.Errorf("empty tile %v: %d, %d bytes, ETag %q; want 204", empty, w.Code, w.Body.Len(), w.Header().Get("ETag"))
			}
		}
		for _, bad := range []string{
			"/tiles/hotspots/12/" + strconv.Itoa(tl.X) + "/" + strconv.Itoa(tl.Y) + params, // no .mvt
			"/tiles/hotspots/3/9/1.mvt" + params,                                           // x outside the zoom
			"/tiles/hotspots/12/" + strconv.Itoa(tl.X) + "/" + strconv.Itoa(tl.Y) + ".mvt?municipality=1290&cell=5",
			"/tiles/hotspots/12/" + strconv.Itoa(tl.X) + "/" + strconv.Itoa(tl.Y) + ".mvt?municipality=1290&shape=round",
		} {
			if w := ts.do(http.MethodGet, bad, nil, bearer(tok)...); w.Code != http.StatusBadRequest || errorCode(t, w) == "" {
				t.Errorf("%s: %d %s, want 400", bad, w.Code, w.Body)
			}
		}
	})

	// The static hotspot routes sit beside /tiles/{layer}: other paths fall through to it.
	for _, p := range []string{"/tiles/hotspots", "/tiles/hotspots/12/1/2/3.mvt"} {
		if w := ts.do(http.MethodGet, p+params, nil, bearer(tok)...); w.Code != http.StatusNotFound {
			t.Errorf("%s: %d %s, want 404", p, w.Code, w.Body)
		}
	}
	if w := ts.do(http.MethodGet, "/tiles/reports_public.json", nil); w.Code != http.StatusOK {
		t.Errorf("/tiles/reports_public.json beside the hotspot routes: %d", w.Code)
	}

	t.Run("scope", func(t *testing.T) {
		w := ts.do(http.MethodGet, path(tl, "mvt"), nil)
		if w.Code != http.StatusUnauthorized || w.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("no token: %d, want 401 with WWW-Authenticate", w.Code)
		}
		for _, role := range auth.Roles {
			w := ts.do(http.MethodGet, path(tl, "mvt"), nil, bearer(ts.token(role, "1290"))...)
			permitted := role != auth.Caseworker
			if permitted && w.Code != http.StatusOK || !permitted && (w.Code != http.StatusForbidden || errorCode(t, w) != "forbidden") {
				t.Errorf("%s of 1290: %d %s", role, w.Code, w.Body)
			}
		}
		other := ts.token(auth.Analyst, "1781")
		if w := ts.do(http.MethodGet, path(tl, "mvt"), nil, bearer(other)...); w.Code != http.StatusForbidden {
			t.Errorf("a token of another municipality: %d %s, want 403", w.Code, w.Body)
		}
		// A bbox over Kristianstad is cut to the token's municipalities: nothing.
		bbox := "/tiles/hotspots/12/" + strconv.Itoa(tl.X) + "/" + strconv.Itoa(tl.Y) + ".mvt?bbox=13.9,55.9,14.4,56.2&cell=500"
		if w := ts.do(http.MethodGet, bbox, nil, bearer(other)...); w.Code != http.StatusForbidden {
			t.Errorf("a bbox outside the token's municipalities: %d %s, want 403", w.Code, w.Body)
		}
		if w := ts.do(http.MethodGet, bbox, nil, bearer(tok)...); w.Code != http.StatusOK {
			t.Errorf("a bbox in the token's municipality: %d %s", w.Code, w.Body)
		}
	})

	t.Run("new report", func(t *testing.T) {
		before := ts.do(http.MethodGet, path(tl, "mvt"), nil, bearer(tok)...)
		ts.plantReports([]hotspot.Point{kristianstadTown}, times(obs, 1), "OTR.PLACE.LIGHT")
		w, layers := ts.getTile("hotspots", tl, params, bearer(tok)...)
		if w.Code != 200 || w.Header().Get("ETag") == before.Header().Get("ETag") || w.Header().Get("X-Tile-Cache") != "miss" {
			t.Fatalf("after a new report: %d, ETag %q (was %q), X-Tile-Cache %q", w.Code, w.Header().Get("ETag"), before.Header().Get("ETag"), w.Header().Get("X-Tile-Cache"))
		}
		for _, ft := range layers[0].Features {
			if int(ft.Properties["i"].(float64)) == townCell.I && int(ft.Properties["j"].(float64)) == townCell.J {
				if n := int(ft.Properties["count"].(float64)); n != want[[2]int{townCell.I, townCell.J}].count+1 {
					t.Errorf("the town cell counts %d after one more report, was %d", n, want[[2]int{townCell.I, townCell.J}].count)
				}
				return
			}
		}
		t.Error("the town cell is gone from the tile")
	})

	t.Run("tilejson", func(t *testing.T) {
		w := ts.do(http.MethodGet, "/tiles/hotspots.json"+params+"&nocache=true", nil, bearer(tok)...)
		if w.Code != http.StatusOK {
			t.Fatalf("TileJSON: %d %s", w.Code, w.Body)
		}
		var tj struct {
			TileJSON     string     `json:"tilejson"`
			Tiles        []string   `json:"tiles"`
			Bounds       [4]float64 `json:"bounds"`
			VectorLayers []struct {
				ID     string            `json:"id"`
				Fields map[string]string `json:"fields"`
			} `json:"vector_layers"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &tj); err != nil {
			t.Fatal(err)
		}
		if tj.TileJSON != "3.0.0" || len(tj.Tiles) != 1 || !strings.Contains(tj.Tiles[0], "/tiles/hotspots/{z}/{x}/{y}.mvt?") ||
			!strings.Contains(tj.Tiles[0], "cell=1000") || !strings.Contains(tj.Tiles[0], "municipality=1290") || strings.Contains(tj.Tiles[0], "nocache") {
			t.Errorf("TileJSON tiles %v", tj.Tiles)
		}
		if len(tj.VectorLayers) != 1 || tj.VectorLayers[0].ID != "hotspots" || tj.VectorLayers[0].Fields["bin"] == "" {
			t.Errorf("vector_layers %+v", tj.VectorLayers)
		}
		if lon < tj.Bounds[0] || lon > tj.Bounds[2] || lat < tj.Bounds[1] || lat > tj.Bounds[3] {
			t.Errorf("bounds %v do not hold Kristianstad (%.3f, %.3f)", tj.Bounds, lon, lat)
		}
		// The legend's figures: the summary of /v1/hotspots and each field's range.
		for _, method := range []string{"gistar", "kde"} {
			q := params + "&method=" + method
			w := ts.do(http.MethodGet, "/tiles/hotspots.json"+q, nil, bearer(tok)...)
			var meta struct {
				Summary   map[string]any `json:"summary"`
				Tilestats struct {
					Layers []struct {
						Layer      string `json:"layer"`
						Count      int    `json:"count"`
						Attributes []struct {
							Attribute string  `json:"attribute"`
							Min       float64 `json:"min"`
							Max       float64 `json:"max"`
						} `json:"attributes"`
					} `json:"layers"`
				} `json:"tilestats"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &meta); err != nil || w.Code != http.StatusOK {
				t.Fatalf("%s TileJSON: %d %v", method, w.Code, err)
			}
			f, code, _ := ts.hotspots(tok, q)
			if code != http.StatusOK {
				t.Fatalf("/v1/hotspots%s: %d", q, code)
			}
			if !reflect.DeepEqual(meta.Summary, f.Summary) {
				t.Errorf("%s: TileJSON summary %v, /v1/hotspots %v", method, meta.Summary, f.Summary)
			}
			want := map[string][2]float64{}
			widen := func(name string, v float64) {
				r, ok := want[name]
				if !ok {
					r = [2]float64{v, v}
				}
				want[name] = [2]float64{min(r[0], v), max(r[1], v)}
			}
			for _, ft := range f.Features {
				widen("count", float64(ft.Properties.Count))
				widen("bin", float64(ft.Properties.Bin))
				widen("density", ft.Properties.Density)
			}
			if ls := meta.Tilestats.Layers; len(ls) != 1 || ls[0].Layer != "hotspots" || ls[0].Count != len(f.Features) {
				t.Fatalf("%s tilestats %+v, want one layer of %d cells", method, ls, len(f.Features))
			}
			got := map[string][2]float64{}
			for _, a := range meta.Tilestats.Layers[0].Attributes {
				got[a.Attribute] = [2]float64{a.Min, a.Max}
			}
			for name, r := range want {
				g := got[name]
				// The GeoJSON rounds to 6 significant figures.
				if math.Abs(g[0]-r[0]) > 1e-5*math.Max(1, math.Abs(r[0])) || math.Abs(g[1]-r[1]) > 1e-5*math.Max(1, math.Abs(r[1])) {
					t.Errorf("%s tilestats %s = %v, the features range over %v", method, name, g, r)
				}
			}
			if method == "gistar" && got["bin"][1] != 3 || method == "kde" && got["density"][1] <= 0 {
				t.Errorf("%s tilestats %v: the planted cluster is missing", method, got)
			}
		}
		for _, c := range []struct {
			tok, query string
			code       int
		}{
			{"", params, 401},
			{ts.token(auth.Caseworker, "1290"), params, 403},
			{ts.token(auth.Analyst, "1781"), params, 403},
			{tok, "?municipality=1290&cell=1&shape=square", 400},
		} {
			var h []string
			if c.tok != "" {
				h = bearer(c.tok)
			}
			if w := ts.do(http.MethodGet, "/tiles/hotspots.json"+c.query, nil, h...); w.Code != c.code {
				t.Errorf("TileJSON %s: %d %s, want %d", c.query, w.Code, w.Body, c.code)
			}
		}
	})
}
