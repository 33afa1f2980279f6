package httpapi

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/hotspot"
)

// hotspotFeatures is the response of /v1/hotspots as a client reads it.
type hotspotFeatures struct {
	Type     string         `json:"type"`
	Summary  map[string]any `json:"summary"`
	Features []struct {
		Geometry struct {
			Type        string         `json:"type"`
			Coordinates [][][2]float64 `json:"coordinates"`
		} `json:"geometry"`
		Properties struct {
			I, J      int
			Count     int      `json:"count"`
			Z         float64  `json:"z"`
			P         float64  `json:"p"`
			PAdjusted float64  `json:"p_adjusted"`
			Bin       int      `json:"bin"`
			Density   float64  `json:"density"`
			Pattern   string   `json:"pattern"`
			TrendZ    *float64 `json:"trend_z"`
			Bins      []int    `json:"bins"`
		} `json:"properties"`
	} `json:"features"`
}

// Kristianstad (1290) in SWEREF 99 TM: a point well inside the town, and the
// municipality's bounding box, for planting reports.
var (
	kristianstadTown = hotspot.Point{X: 449_200, Y: 6_209_300}
	kristianstadBox  = hotspot.Box{MinX: 421_500, MinY: 6_179_700, MaxX: 469_000, MaxY: 6_239_700}
)

// plantReports inserts reports at SWEREF 99 TM points in one statement;
// points outside every municipality are left out by the caller's choice of
// points (the trigger refuses them).
func (ts *testServer) plantReports(pts []hotspot.Point, observed []time.Time, category string) {
	ts.t.Helper()
	xs, ys := make([]float64, len(pts)), make([]float64, len(pts))
	for k, p := range pts {
		xs[k], ys[k] = p.X, p.Y
	}
	_, err := ts.db.Pool.Exec(context.Background(), `
INSERT INTO reports (id, reference, kind, category, geom, observed_at, status, follow_up_hash, source)
SELECT gen_random_uuid(), 'HS-' || gen_random_uuid(), c.kind, c.code,
       ST_Transform(ST_SetSRID(ST_MakePoint(x, y), 3006), 4326), t, 'received', '\x00'::bytea, 'demo'
FROM unnest($1::float8[], $2::float8[], $3::timestamptz[]) AS u(x, y, t), categories c WHERE c.code = $4`,
		xs, ys, observed, category)
	if err != nil {
		ts.t.Fatal(err)
	}
}

// insideKristianstad draws n uniform points inside the municipality.
func (ts *testServer) insideKristianstad(rng *rand.Rand, n int) []hotspot.Point {
	ts.t.Helper()
	var out []hotspot.Point
	for len(out) < n {
		xs, ys := make([]float64, n), make([]float64, n)
		for k := range xs {
			xs[k] = kristianstadBox.MinX + rng.Float64()*(kristianstadBox.MaxX-kristianstadBox.MinX)
			ys[k] = kristianstadBox.MinY + rng.Float64()*(kristianstadBox.MaxY-kristianstadBox.MinY)
		}
		rows, err := ts.db.Pool.Query(context.Background(), `
SELECT x, y FROM unnest($1::float8[], $2::float8[]) AS u(x, y)
WHERE ST_Intersects(ST_SetSRID(ST_MakePoint(x, y), 3006),
    (SELECT ST_Transform(geom, 3006) FROM municipalities WHERE code = '1290'))`, xs, ys)
		if err != nil {
			ts.t.Fatal(err)
		}
		for rows.Next() {
			var p hotspot.Point
			if err := rows.Scan(&p.X, &p.Y); err != nil {
				ts.t.Fatal(err)
			}
			if len(out) < n {
				out = append(out, p)
			}
		}
		rows.Close()
	}
	return out
}

// cluster draws n points within radius metres of c.
func cluster(rng *rand.Rand, c hotspot.Point, radius float64, n int) []hotspot.Point {
	out := make([]hotspot.Point, n)
	for k := range out {
		a, r := rng.Float64()*2*math.Pi, radius*math.Sqrt(rng.Float64())
		out[k] = hotspot.Point{X: c.X + r*math.Cos(a), Y: c.Y + r*math.Sin(a)}
	}
	return out
}

func times(t time.Time, n int) []time.Time {
	out := make([]time.Time, n)
	for k := range out {
		out[k] = t
	}
	return out
}

// sqlStudyCells lists, independently of the Go code, the grid cells whose
// centre lies in the municipality and the reports in each, with PostGIS's own
// grid functions.
func (ts *testServer) sqlStudyCells(shape string, size float64) map[[2]int]int {
	ts.t.Helper()
	fn := "ST_SquareGrid"
	if shape == "hex" {
		fn = "ST_HexagonGrid"
	}
	rows, err := ts.db.Pool.Query(context.Background(), fmt.Sprintf(`
WITH m AS (SELECT ST_Transform(geom, 3006) AS g FROM municipalities WHERE code = '1290')
SELECT c.i, c.j, (SELECT count(*) FROM reports r WHERE ST_Intersects(r.geom_sweref, c.geom))
FROM m, %s($1, m.g) c WHERE ST_Intersects(ST_Centroid(c.geom), m.g)`, fn), size)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer rows.Close()
	out := map[[2]int]int{}
	for rows.Next() {
		var i, j, n int
		if err := rows.Scan(&i, &j, &n); err != nil {
			ts.t.Fatal(err)
		}
		out[[2]int{i, j}] = n
	}
	return out
}

func (ts *testServer) hotspots(tok, query string) (*hotspotFeatures, int, http.Header) {
	ts.t.Helper()
	w := ts.do(http.MethodGet, "/v1/hotspots"+query, nil, "Authorization", "Bearer "+tok)
	if w.Code != http.StatusOK {
		return nil, w.Code, w.Header()
	}
	f := decode[hotspotFeatures](ts.t, w)
	return &f, w.Code, w.Header()
}

// TestHotspotsFindPlantedCluster plants 60 reports within 250 m of one point
// in Kristianstad over 400 spread over the municipality, and expects the
// cell holding them at bin 3 — for squares and hexagons — with every cell
// of the municipality present, as PostGIS's own grid counts them.
func TestHotspotsFindPlantedCluster(t *testing.T) {
	ts := newTestServer(t, nil)
	rng := rand.New(rand.NewPCG(6, 1))
	obs := time.Date(2026, 10, 10, 12, 0, 0, 0, time.UTC)
	noise := ts.insideKristianstad(rng, 400)
	ts.plantReports(noise, times(obs, len(noise)), "OTR.PLACE.LIGHT")
	ts.plantReports(cluster(rng, kristianstadTown, 250, 60), times(obs, 60), "OTR.SOC.GATHER")
	tok := ts.token(auth.Analyst, "1290")

	for _, tc := range []struct {
		shape string
		size  float64
	}{{"square", 1000}, {"hex", 600}, {"square", 250}} { // 250 m: 22 000 cells, several encoding rounds
		t.Run(fmt.Sprintf("%s %g", tc.shape, tc.size), func(t *testing.T) {
			f, code, hdr := ts.hotspots(tok, fmt.Sprintf("?municipality=1290&cell=%g&shape=%s", tc.size, tc.shape))
			if code != http.StatusOK {
				t.Fatalf("status %d", code)
			}
			if !strings.Contains(hdr.Get("Server-Timing"), "sql;dur=") {
				t.Errorf("Server-Timing %q lacks the SQL share", hdr.Get("Server-Timing"))
			}
			want := ts.sqlStudyCells(tc.shape, tc.size)
			if len(f.Features) != len(want) {
				t.Errorf("%d cells, PostGIS counts %d with their centre in the municipality", len(f.Features), len(want))
			}
			g := hotspot.Grid{Size: tc.size, Shape: hotspot.Shape(tc.shape)}
			town := g.CellOf(kristianstadTown.X, kristianstadTown.Y)
			zero, total, townBin := 0, 0, -9
			for _, ft := range f.Features {
				p := ft.Properties
				if n, ok := want[[2]int{p.I, p.J}]; !ok || n != p.Count {
					t.Errorf("cell (%d, %d): count %d, PostGIS %d (in its study area: %t)", p.I, p.J, p.Count, n, ok)
				}
				if p.Count == 0 {
					zero++
				}
				total += p.Count
				if p.I == town.I && p.J == town.J {
					townBin = p.Bin
				}
				if ring := ft.Geometry.Coordinates[0]; len(ring) != len(g.Corners(town))+1 || ring[0] != ring[len(ring)-1] {
					t.Errorf("cell (%d, %d): ring %v is not closed", p.I, p.J, ring)
				}
			}
			ts.checkOutlines(t, f, tc.shape, tc.size)
			if townBin != 3 {
				t.Errorf("the planted cluster's cell is in bin %d, want 3", townBin)
			}
			if zero == 0 {
				t.Error("no zero-count cells: empty cells of the study area must be analysed")
			}
			outside := int(f.Summary["reports_outside_cells"].(float64))
			if total+outside != 460 || int(f.Summary["reports"].(float64)) != total {
				t.Errorf("counted %d in cells + %d outside, summary %v; planted 460", total, outside, f.Summary["reports"])
			}
			bins := f.Summary["bins"].(map[string]any)
			sum := 0
			for _, n := range bins {
				sum += int(n.(float64))
			}
			if sum != len(f.Features) || f.Summary["fdr"] != true {
				t.Errorf("summary bins %v (sum %d) over %d cells, fdr %v", bins, sum, len(f.Features), f.Summary["fdr"])
			}
		})
	}

	t.Run("kde", func(t *testing.T) {
		f, code, _ := ts.hotspots(tok, "?municipality=1290&cell=1000&method=kde&bandwidth=2000")
		if code != http.StatusOK {
			t.Fatalf("status %d", code)
		}
		g := hotspot.Grid{Size: 1000, Shape: hotspot.Square}
		town := g.CellOf(kristianstadTown.X, kristianstadTown.Y)
		var mass, best float64
		var bestCell [2]int
		for _, ft := range f.Features {
			p := ft.Properties
			mass += p.Density * g.Area() / 1e6
			if p.Density > best {
				best, bestCell = p.Density, [2]int{p.I, p.J}
			}
		}
		if bestCell != [2]int{town.I, town.J} {
			t.Errorf("densest cell %v, want the planted cluster's %v", bestCell, town)
		}
		// Points near the border lose the part of their kernel outside the
		// municipality's cells, so the mass is a little under the count.
		if n := f.Summary["reports"].(float64); mass > n*1.02 || mass < n*0.8 {
			t.Errorf("density integrates to %.1f reports, counted %v", mass, n)
		}
	})

	t.Run("optimized", func(t *testing.T) {
		f, code, _ := ts.hotspots(tok, "?municipality=1290")
		if code != http.StatusOK {
			t.Fatalf("status %d", code)
		}
		opt, ok := f.Summary["optimized"].(map[string]any)
		if !ok || opt["reason"] == "" || opt["cell_m"].(float64) <= 0 {
			t.Fatalf("summary does not say what was chosen: %v", f.Summary)
		}
		if f.Summary["cell_m"] != opt["cell_m"] {
			t.Errorf("analysed at %v m, optimized chose %v", f.Summary["cell_m"], opt["cell_m"])
		}
		hot := 0
		for _, ft := range f.Features {
			if ft.Properties.Bin == 3 {
				hot++
			}
		}
		if hot == 0 {
			t.Error("the optimized analysis finds no 99 % hot spot around the planted cluster")
		}
	})
}

// checkOutlines compares every cell polygon with PostGIS's own cell
// (ST_Square/ST_Hexagon transformed to WGS 84), vertex by vertex, to the
// six decimals the response carries.
func (ts *testServer) checkOutlines(t *testing.T, f *hotspotFeatures, shape string, size float64) {
	t.Helper()
	is, js := make([]int32, len(f.Features)), make([]int32, len(f.Features))
	for k, ft := range f.Features {
		is[k], js[k] = int32(ft.Properties.I), int32(ft.Properties.J)
	}
	fn := "ST_Square"
	if shape == "hex" {
		fn = "ST_Hexagon"
	}
	rows, err := ts.db.Pool.Query(context.Background(), fmt.Sprintf(`
SELECT array_agg(ST_X(d.geom) ORDER BY d.path), array_agg(ST_Y(d.geom) ORDER BY d.path)
FROM unnest($2::int[], $3::int[]) WITH ORDINALITY AS u(i, j, n),
     ST_DumpPoints(ST_Transform(ST_SetSRID(%s($1, u.i, u.j), 3006), 4326)) d
GROUP BY u.n ORDER BY u.n`, fn), size, is, js)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	k := 0
	for ; rows.Next(); k++ {
		var xs, ys []float64
		if err := rows.Scan(&xs, &ys); err != nil {
			t.Fatal(err)
		}
		ring := f.Features[k].Geometry.Coordinates[0]
		// A cell is convex and RFC 7946 wants it counter-clockwise: every turn
		// is to the left. A corner in the wrong place makes a bow tie.
		for v := 1; v+1 < len(ring)+1; v++ {
			a, b, c := ring[v-1], ring[v%len(ring)], ring[(v+1)%(len(ring)-1)]
			if cross := (b[0]-a[0])*(c[1]-b[1]) - (b[1]-a[1])*(c[0]-b[0]); cross <= 0 {
				t.Fatalf("cell (%d, %d): ring %v turns right at vertex %d", is[k], js[k], ring, v)
			}
		}
		for _, v := range ring {
			found := false
			for m := range xs {
				if math.Abs(v[0]-xs[m]) < 1e-6 && math.Abs(v[1]-ys[m]) < 1e-6 {
					found = true
				}
			}
			if !found {
				t.Fatalf("cell (%d, %d): vertex %v is not a corner of PostGIS's cell %v %v", is[k], js[k], v, xs, ys)
			}
		}
	}
	if k != len(f.Features) {
		t.Fatalf("PostGIS built %d cells of %d", k, len(f.Features))
	}
}
