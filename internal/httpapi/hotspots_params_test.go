package httpapi

import (
	"context"
	"math"
	"math/rand/v2"
	"net/http"
	"testing"
	"time"

	"github.com/trygg/trygg/internal/auth"
)

// TestHotspotsFiltersAndNeighbours checks that every parameter of
// /v1/hotspots reaches the analysis and is echoed in the summary: kind,
// category (a group includes its codes), from/to (Swedish days), rejected and
// duplicate reports left out, neighbourhoods (a distance band just over the
// diagonal of a square cell is queen contiguity, just over its side is rook),
// and fdr (off: the adjusted p is the raw p).
func TestHotspotsFiltersAndNeighbours(t *testing.T) {
	ts := newTestServer(t, nil)
	rng := rand.New(rand.NewPCG(6, 9))
	sep := time.Date(2026, 9, 15, 12, 0, 0, 0, time.UTC)
	oct := time.Date(2026, 10, 15, 12, 0, 0, 0, time.UTC)
	// 23:30 Swedish time on 30 September is 21:30 UTC: a September day.
	lateSep := time.Date(2026, 9, 30, 21, 30, 0, 0, time.UTC)
	ts.plantReports(ts.insideKristianstad(rng, 50), times(oct, 50), "OTR.PLACE.LIGHT")
	ts.plantReports(cluster(rng, kristianstadTown, 3000, 30), times(oct, 30), "FEL.LIGHT")
	ts.plantReports(cluster(rng, kristianstadTown, 3000, 20), times(sep, 20), "OTR.SOC.GATHER")
	ts.plantReports(cluster(rng, kristianstadTown, 3000, 4), times(lateSep, 4), "OTR.SOC.GATHER")
	// Five more that must never count.
	ts.plantReports(cluster(rng, kristianstadTown, 3000, 5), times(oct, 5), "OTR.PLACE.LIGHT")
	if _, err := ts.db.Pool.Exec(context.Background(), `
UPDATE reports SET status = CASE WHEN n % 2 = 0 THEN 'rejected' ELSE 'duplicate' END,
       duplicate_of = CASE WHEN n % 2 = 0 THEN NULL ELSE (SELECT id FROM reports WHERE category = 'FEL.LIGHT' LIMIT 1) END
FROM (SELECT id, row_number() OVER () AS n FROM reports WHERE category = 'OTR.PLACE.LIGHT' ORDER BY id LIMIT 5) r
WHERE reports.id = r.id`); err != nil {
		t.Fatal(err)
	}
	tok := ts.token(auth.Analyst, "1290")

	for _, tc := range []struct {
		query   string
		reports float64
		echo    map[string]any
	}{
		{"", 104, nil},
		{"&kind=otrygghet", 74, map[string]any{"kind": "otrygghet"}},
		{"&kind=felanmalan", 30, map[string]any{"kind": "felanmalan"}},
		{"&category=OTR.SOC", 24, map[string]any{"category": "OTR.SOC"}},
		{"&category=OTR.SOC.GATHER", 24, nil},
		{"&category=FEL.LIGHT&kind=otrygghet", 0, nil},
		{"&from=2026-10-01", 80, nil},
		{"&to=2026-09-30", 24, nil},
		{"&from=2026-09-30&to=2026-09-30", 4, nil},
		{"&from=2026-10-15T12:00:00Z", 80, nil},
		{"&from=2026-10-15T12:00:01Z", 0, nil},
	} {
		f, code, _ := ts.hotspots(tok, "?municipality=1290&cell=2000"+tc.query)
		if code != http.StatusOK {
			t.Errorf("%s: status %d", tc.query, code)
			continue
		}
		if got := f.Summary["reports"].(float64) + f.Summary["reports_outside_cells"].(float64); got != tc.reports {
			t.Errorf("%s: %v reports counted, want %v", tc.query, got, tc.reports)
		}
		for k, v := range tc.echo {
			if f.Summary[k] != v {
				t.Errorf("%s: summary %s = %v, want %v", tc.query, k, f.Summary[k], v)
			}
		}
	}

	// Neighbourhoods on 1 km squares.
	zOf := func(query string) (map[[2]int]float64, map[string]any) {
		t.Helper()
		f, code, _ := ts.hotspots(tok, "?municipality=1290&cell=1000"+query)
		if code != http.StatusOK {
			t.Fatalf("%s: status %d", query, code)
		}
		z := map[[2]int]float64{}
		for _, ft := range f.Features {
			z[[2]int{ft.Properties.I, ft.Properties.J}] = ft.Properties.Z
		}
		return z, f.Summary
	}
	same := func(a, b map[[2]int]float64) bool {
		for k, v := range a {
			if math.Abs(v-b[k]) > 1e-5*max(1, math.Abs(v)) {
				return false
			}
		}
		return len(a) == len(b)
	}
	queen, qs := zOf("")
	rook, rs := zOf("&neighbours=rook")
	band15, bs := zOf("&neighbours=distance:1500")
	band11, _ := zOf("&neighbours=distance:1100")
	if qs["neighbours"] != "queen" || rs["neighbours"] != "rook" || bs["neighbours"] != "distance:1500" {
		t.Errorf("summary neighbours %v, %v, %v", qs["neighbours"], rs["neighbours"], bs["neighbours"])
	}
	if !same(queen, band15) {
		t.Error("distance:1500 on 1 km squares (√2 km diagonals) differs from queen contiguity")
	}
	if !same(rook, band11) {
		t.Error("distance:1100 on 1 km squares differs from rook contiguity")
	}
	if same(queen, rook) {
		t.Error("queen and rook give the same z everywhere: the neighbourhood is not applied")
	}

	for _, fdr := range []bool{false, true} {
		q := "?municipality=1290&cell=1000&fdr=false"
		if fdr {
			q = "?municipality=1290&cell=1000&fdr=true"
		}
		f, _, _ := ts.hotspots(tok, q)
		if f.Summary["fdr"] != fdr {
			t.Errorf("fdr=%t: summary fdr %v", fdr, f.Summary["fdr"])
		}
		raised := 0
		for _, ft := range f.Features {
			p := ft.Properties
			switch {
			case !fdr && p.PAdjusted != p.P:
				t.Fatalf("fdr=false: cell (%d, %d) p %v but p_adjusted %v", p.I, p.J, p.P, p.PAdjusted)
			case fdr && p.PAdjusted < p.P-1e-12:
				t.Fatalf("fdr=true: cell (%d, %d) p_adjusted %v below p %v", p.I, p.J, p.PAdjusted, p.P)
			case p.PAdjusted > p.P:
				raised++
			}
		}
		if fdr && raised == 0 {
			t.Error("fdr=true raised no p-value")
		}
	}
}
