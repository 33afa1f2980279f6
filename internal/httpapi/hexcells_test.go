package httpapi

import (
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/trygg/trygg/internal/tiles"
)

// TestHexCells decodes report_cells tiles with shape=hex: how many hexagons,
// their counts, that small ones are left out, and that their corners land on
// the pixels of the SWEREF 99 TM hexagon.
func TestHexCells(t *testing.T) {
	ts := newTestServer(t, map[string]string{"TRYGG_MIN_CELL_COUNT": "3"})
	const z = 14
	edge := float64(tiles.CellSizeFor(tiles.Hex, z))
	centre := func(q, r int) (float64, float64) {
		c := tiles.HexCorners(q, r, edge)
		return (c[0][0] + c[3][0]) / 2, (c[0][1] + c[3][1]) / 2
	}
	q, r := tiles.HexCell(kristinehamnX, kristinehamnY, edge)
	cx, cy := centre(q, r)
	lon, lat := ts.lonLat(cx, cy)
	tile := tiles.Containing(z, lon, lat)
	// The neighbour whose centre is nearest the middle of the tile, so that it
	// is in the tile too.
	var nq, nr int
	best := math.Inf(1)
	for _, d := range [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {1, -1}, {-1, 1}} {
		x, y := centre(q+d[0], r+d[1])
		px, py := tile.Pixel(ts.lonLat(x, y))
		if dist := math.Hypot(px-tiles.Extent/2, py-tiles.Extent/2); dist < best {
			best, nq, nr = dist, q+d[0], r+d[1]
		}
	}
	nx, ny := centre(nq, nr)
	for _, d := range []float64{-20, 0, 20} {
		ts.addReport(cx+d, cy+d/2, "OTR.SOC.DRUGS", "published")
	}
	ts.addReport(cx+30, cy, "FEL.LIGHT", "pending") // not counted
	for _, d := range []float64{-20, 20} {
		ts.addReport(nx+d, ny, "FEL.LIGHT", "published")
	}

	hexes := func() []map[string]any {
		t.Helper()
		w, layers := ts.getTile("report_cells", tile, "?shape=hex")
		if w.Code != http.StatusOK || len(layers) != 1 || layers[0].Name != "report_cells" {
			t.Fatalf("hex tile: %d %v", w.Code, layerNames(layers))
		}
		var out []map[string]any
		for _, f := range layers[0].Features {
			poly, ok := f.Geometry.(orb.Polygon)
			if !ok || len(poly) != 1 {
				t.Fatalf("hex geometry %T %v", f.Geometry, f.Geometry)
			}
			props := map[string]any(f.Properties)
			props["ring"] = poly[0]
			out = append(out, props)
		}
		return out
	}
	got := hexes()
	if len(got) != 1 {
		t.Fatalf("%d hexagons, want 1 (the neighbour has 2 reports, below 3)", len(got))
	}
	if got[0]["count"] != 3.0 || got[0]["cell_size_m"] != edge || got[0]["shape"] != "hex" {
		t.Errorf("hexagon properties %v", got[0])
	}
	ring := got[0]["ring"].(orb.Ring)
	corners := tiles.HexCorners(q, r, edge)
	for i, c := range corners {
		px, py := tile.Pixel(ts.lonLat(c[0], c[1]))
		found := false
		for _, p := range ring {
			found = found || near(p, px, py, 1)
		}
		if !found {
			t.Errorf("corner %d of hexagon %d,%d (pixel %.1f,%.1f) is not in %v", i, q, r, px, py, ring)
		}
	}
	distinct := map[orb.Point]bool{}
	for _, p := range ring {
		distinct[p] = true
	}
	if len(distinct) != 6 {
		t.Errorf("ring has %d distinct corners: %v", len(distinct), ring)
	}

	// A third report makes the neighbour count, at once.
	ts.addReport(nx, ny+10, "FEL.ROAD", "published")
	got = hexes()
	counts := []float64{}
	for _, h := range got {
		counts = append(counts, h["count"].(float64))
	}
	if len(got) != 2 || counts[0]+counts[1] != 6 {
		t.Errorf("after a third report next door: counts %v, want 3 and 3", counts)
	}
	// Squares are still the default, and the two shapes are cached apart.
	w, layers := ts.getTile("report_cells", tile, "")
	if w.Header().Get("X-Tile-Cache") != "miss" {
		t.Fatalf("square tile after the hex tile: %d %s", w.Code, w.Header().Get("X-Tile-Cache"))
	}
	for i := range layers { // 204 when no square reaches 3
		for _, f := range layers[i].Features {
			if f.Properties["shape"] != "square" {
				t.Errorf("default cell %v", f.Properties)
			}
		}
	}

	// GeoJSON and OGC give the same hexagons.
	type fc struct {
		Features []struct {
			ID         string         `json:"id"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	for _, path := range []string{"/v1/layers/report_cells.geojson", "/ogc/collections/report_cells/items"} {
		w := ts.do(http.MethodGet, fmt.Sprintf("%s?shape=hex&cell_size=%d", path, int(edge)), nil)
		g := decode[fc](t, w)
		ids := map[string]float64{}
		for _, f := range g.Features {
			ids[f.ID] = f.Properties["count"].(float64)
		}
		want := map[string]float64{fmt.Sprintf("hex:%d:%d:%d", int(edge), q, r): 3, fmt.Sprintf("hex:%d:%d:%d", int(edge), nq, nr): 3}
		if fmt.Sprint(ids) != fmt.Sprint(want) {
			t.Errorf("%s: %v, want %v", path, ids, want)
		}
	}

	// TileJSON carries the shape into the tile URL and describes the field.
	tj := decode[struct {
		Tiles        []string `json:"tiles"`
		VectorLayers []struct {
			Fields map[string]string `json:"fields"`
		} `json:"vector_layers"`
	}](t, ts.do(http.MethodGet, "/tiles/report_cells.json?shape=hex", nil))
	if len(tj.Tiles) != 1 || !strings.Contains(tj.Tiles[0], "shape=hex") || tj.VectorLayers[0].Fields["shape"] != "String" {
		t.Errorf("TileJSON %+v", tj)
	}
	for _, path := range []string{"/tiles/report_cells/14/0/0.mvt?shape=circle", "/tiles/report_cells.json?shape=circle", "/v1/layers/report_cells.geojson?shape=circle", "/v1/layers/report_cells.geojson?shape=hex&cell_size=50"} {
		if w := ts.do(http.MethodGet, path, nil); w.Code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", path, w.Code)
		}
	}
}
