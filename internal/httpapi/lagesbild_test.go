package httpapi

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/lagesbild"
)

// seedReport writes a report straight into the table, as of local Stockholm time.
func (ts *testServer) seedReport(category string, lon, lat float64, local string, status string, resolvedLocal string) {
	ts.t.Helper()
	at, err := time.ParseInLocation("2006-01-02 15:04", local, lagesbild.Stockholm)
	if err != nil {
		ts.t.Fatal(err)
	}
	var resolved *time.Time
	if resolvedLocal != "" {
		r, _ := time.ParseInLocation("2006-01-02 15:04", resolvedLocal, lagesbild.Stockholm)
		resolved = &r
	}
	kind := "otrygghet"
	if strings.HasPrefix(category, "FEL") {
		kind = "felanmalan"
	}
	id := uuid.New()
	_, err = ts.db.Pool.Exec(context.Background(), `
INSERT INTO reports (id, reference, kind, category, geom, observed_at, received_at, status, visibility, source, follow_up_hash, resolved_at, description)
VALUES ($1, $2, $3, $4, ST_SetSRID(ST_MakePoint($5, $6), 4326), $7, $7, $8, 'published', 'demo', '\x00', $9, 'Namn Namnsson ringde')`,
		id, id.String()[:9], kind, category, lon, lat, at, status, resolved)
	if err != nil {
		ts.t.Fatal(err)
	}
}

type lbRow struct {
	Key, Name  string
	Count      int
	Suppressed bool
	Previous   *struct {
		Before, Diff int
		Percent      *float64
	}
	LastYear *struct {
		Before, Diff int
		Percent      *float64
	} `json:"last_year"`
}

type lbBody struct {
	Municipality string
	Public       bool
	Period       struct{ Label string }
	Totals       []lbRow
	Categories   []lbRow
	Areas        []lbRow
	Felanmalan   struct {
		Opened, Resolved    int
		OpenAtEnd           int      `json:"open_at_end"`
		MedianOpenAgeDays   *float64 `json:"median_open_age_days"`
		MedianDaysToResolve *float64 `json:"median_days_to_resolve"`
	}
	Events []struct {
		Type, Precision string
		Count           int
	}
	Hotspots *lbHotspots
	Walks    struct{ Available bool }
}

// lagesbildFixture is one area in central Kristinehamn and reports placed on
// the edges of weeks, months and the changes of summer time.
func lagesbildFixture(t *testing.T) (*testServer, string, string) {
	ts := newTestServer(t, nil)
	tok := ts.token(auth.Analyst, "1781")
	w := ts.do(http.MethodPost, "/v1/staff/areas", map[string]any{"municipality": "1781", "kind": "centrum", "name": "Centrum", "priority": true, "geometry": square(14.10, 59.30, 0.01)}, "Authorization", "Bearer "+tok)
	if w.Code != 201 {
		t.Fatalf("area %d %s", w.Code, w.Body)
	}
	areaID := decode[struct{ ID string }](t, w).ID
	in, out := [2]float64{14.105, 59.305}, [2]float64{14.13, 59.32}
	rows := []struct {
		cat       string
		at        [2]float64
		local     string
		status    string
		resolvedL string
	}{
		{"OTR.SOC.GATHER", in, "2026-12-28 00:30", "received", ""},   // W53, though 27 Dec in UTC
		{"FEL.LIGHT", out, "2027-01-03 23:30", "received", ""},       // W53's last hour
		{"OTR.SOC.GATHER", in, "2027-01-04 00:10", "received", ""},   // 2027-W01
		{"OTR.PLACE.LIGHT", out, "2026-12-27 23:59", "received", ""}, // W52
		{"OTR.SOC.GATHER", in, "2025-12-23 12:00", "received", ""},   // 2025-W52
		{"FEL.LIGHT", out, "2025-12-28 12:00", "resolved", "2026-01-10 12:00"},
		{"OTR.FIRE", out, "2026-03-29 23:30", "received", ""}, // W13, summer time begun
		{"OTR.FIRE", out, "2026-03-30 00:30", "received", ""}, // W14
		{"FEL.LIGHT", in, "2026-10-31 23:30", "resolved", "2026-11-02 23:30"},
		{"FEL.LIGHT", in, "2026-11-01 00:30", "in_progress", ""},
		{"FEL.LIGHT", in, "2026-11-05 10:00", "duplicate", ""}, // never counted
	}
	for _, r := range rows {
		ts.seedReport(r.cat, r.at[0], r.at[1], r.local, r.status, r.resolvedL)
	}
	_, err := ts.db.Pool.Exec(context.Background(), `
INSERT INTO events (source, external_id, occurred_at, type, name, place_name, geom, precision, municipality_code)
VALUES ('polisen', '1', '2026-11-10 12:00+01', 'Stöld', 'Stöld, Kristinehamn', 'Kristinehamn', ST_SetSRID(ST_MakePoint(14.1, 59.3), 4326), 'municipality', '1781')`)
	if err != nil {
		t.Fatal(err)
	}
	return ts, tok, areaID
}

type lbHotspots struct {
	Method              string
	CellM               float64 `json:"cell_m"`
	FDR                 bool
	Reports             int
	SignificantHotCells int `json:"significant_hot_cells"`
	Note                string
	Cells               []struct {
		Lon, Lat  float64
		Count     int
		Z, P      *float64
		PAdjusted *float64 `json:"p_adjusted"`
		Bin       int
	}
}

func total(b lbBody, kind string) lbRow {
	for _, r := range b.Totals {
		if r.Key == kind {
			return r
		}
	}
	return lbRow{}
}

func TestLagesbildPeriods(t *testing.T) {
	ts, tok, areaID := lagesbildFixture(t)
	cases := []struct {
		period                   string
		otr, fel, prevOtr, lyOtr int
		prevFel, lyFel           int
		inArea                   int
	}{
		{"2026-W53", 1, 1, 1, 1, 0, 1, 1},
		{"2027-W01", 1, 0, 1, 0, 1, 0, 1},
		{"2026-W13", 1, 0, 0, 0, 0, 0, 0},
		{"2026-W14", 1, 0, 1, 0, 0, 0, 0},
		{"2026-10", 0, 1, 0, 0, 0, 0, 1},
		{"2026-11", 0, 1, 0, 0, 1, 0, 1},
		{"2026-12", 2, 0, 0, 1, 1, 1, 1},
		{"2026-Q1", 2, 0, 1, 0, 1, 0, 0},
		{"2026-01-01..2026-03-31", 2, 0, 1, 0, 1, 0, 0},
		{"2026", 4, 2, 1, 1, 1, 1, 3},
	}
	for _, c := range cases {
		t.Run(c.period, func(t *testing.T) {
			w := ts.do(http.MethodGet, "/v1/lagesbild?municipality=1781&period="+c.period, nil, "Authorization", "Bearer "+tok)
			if w.Code != 200 {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			b := decode[lbBody](t, w)
			o, f := total(b, "otrygghet"), total(b, "felanmalan")
			if o.Count != c.otr || f.Count != c.fel || o.Previous.Before != c.prevOtr || o.LastYear.Before != c.lyOtr ||
				f.Previous.Before != c.prevFel || f.LastYear.Before != c.lyFel {
				t.Errorf("otrygghet %d (prev %d, last year %d), felanmälan %d (prev %d, last year %d)",
					o.Count, o.Previous.Before, o.LastYear.Before, f.Count, f.Previous.Before, f.LastYear.Before)
			}
			if len(b.Areas) != 1 || b.Areas[0].Key != areaID || b.Areas[0].Count != c.inArea {
				t.Errorf("areas %+v, want %d in Centrum", b.Areas, c.inArea)
			}
		})
	}
}

func TestLagesbildSections(t *testing.T) {
	ts, tok, areaID := lagesbildFixture(t)
	b := decode[lbBody](t, ts.do(http.MethodGet, "/v1/lagesbild?municipality=1781&period=2026-11", nil, "Authorization", "Bearer "+tok))
	f := b.Felanmalan
	// Opened 1 Nov 00:30 and still in progress: November is running, so its
	// age is taken now (20 Nov 18:00 UTC), 19.77 days, not at 1 Dec.
	// Resolved in November after exactly two days.
	if f.Opened != 1 || f.Resolved != 1 || f.OpenAtEnd != 1 || f.MedianOpenAgeDays == nil || math.Abs(*f.MedianOpenAgeDays-19.771) > 0.001 ||
		f.MedianDaysToResolve == nil || *f.MedianDaysToResolve != 2 {
		t.Errorf("felanmalan %+v %v %v", f, *f.MedianOpenAgeDays, f.MedianDaysToResolve)
	}
	if len(b.Events) != 1 || b.Events[0].Type != "Stöld" || b.Events[0].Precision != "municipality" {
		t.Errorf("events %+v", b.Events)
	}
	// One counted report observed in November: too few for Gi*, so the densest cells, said so.
	if h := b.Hotspots; h == nil || h.Method != "densest_cells" || h.Reports != 1 || !strings.Contains(h.Note, "at least 30") ||
		len(h.Cells) != 1 || h.Cells[0].Count != 1 || h.Cells[0].Z != nil {
		t.Errorf("hotspots %+v", b.Hotspots)
	}
	// Categories roll up: in December OTR.SOC holds one report, OTR two.
	b = decode[lbBody](t, ts.do(http.MethodGet, "/v1/lagesbild?municipality=1781&period=2026-12", nil, "Authorization", "Bearer "+tok))
	got := map[string]int{}
	for _, c := range b.Categories {
		got[c.Key] = c.Count
	}
	if got["OTR"] != 2 || got["OTR.SOC"] != 1 || got["OTR.SOC.GATHER"] != 1 || got["OTR.PLACE"] != 1 {
		t.Errorf("categories %v", got)
	}
	// Period-over-period: felanmälan 0 against 1 in November is -100 %.
	if p := total(b, "felanmalan").Previous; p.Diff != -1 || p.Percent == nil || *p.Percent != -100 {
		t.Errorf("change %+v", p)
	}
	// Restricted to the area, the report outside it is gone.
	b = decode[lbBody](t, ts.do(http.MethodGet, "/v1/lagesbild?municipality=1781&period=2026-12&area="+areaID, nil, "Authorization", "Bearer "+tok))
	if total(b, "otrygghet").Count != 1 {
		t.Errorf("area lägesbild %+v", b.Totals)
	}
}

func TestLagesbildFormats(t *testing.T) {
	ts, tok, _ := lagesbildFixture(t)
	get := func(q string) *bytes.Buffer {
		w := ts.do(http.MethodGet, "/v1/lagesbild?municipality=1781&period=2026-W53"+q, nil, "Authorization", "Bearer "+tok)
		if w.Code != 200 {
			t.Fatalf("%s: %d %s", q, w.Code, w.Body)
		}
		return w.Body
	}
	recs, err := csv.NewReader(get("&format=csv&section=totals")).ReadAll()
	if err != nil || len(recs) != 3 || recs[0][0] != "kind" || recs[1][0] != "otrygghet" || recs[1][1] != "1" || recs[1][2] != "1" || recs[1][4] != "0.0" {
		t.Errorf("totals csv %v %v", recs, err)
	}
	z := get("&format=csv").Bytes()
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil || len(zr.File) != 8 || zr.File[1].Name != "categories.csv" || zr.File[6].Name != "hotspots.csv" || zr.File[7].Name != "promises.csv" {
		t.Fatalf("zip: %v", err)
	}
	gj := get("&format=geojson").String()
	if !strings.Contains(gj, `"type":"FeatureCollection"`) || !strings.Contains(gj, `"count":1`) || !strings.Contains(gj, `"name":"Centrum"`) {
		t.Errorf("geojson %s", gj)
	}
	html := get("&format=html").String()
	for _, want := range []string{"<svg", "<path d=\"M", "Centrum (prioriterat)", "2026-W53", "2026-W52", "2025-W52", "OTR.SOC.GATHER"} {
		if !strings.Contains(html, want) {
			t.Errorf("html lacks %q", want)
		}
	}
	if w := ts.do(http.MethodGet, "/v1/lagesbild?municipality=1781&period=2026-W53&format=pdf", nil, "Authorization", "Bearer "+tok); w.Code != 400 {
		t.Errorf("unknown format %d", w.Code)
	}
}

func TestLagesbildScopingAndPublic(t *testing.T) {
	ts, _, _ := lagesbildFixture(t)
	cases := []struct {
		name, auth string
		want       int
	}{
		{"no token", "", 401},
		{"planner", "Bearer " + ts.token(auth.Planner, "1781"), 403},
		{"other municipality", "Bearer " + ts.token(auth.Analyst, "1782"), 403},
		{"police", "Bearer " + ts.token(auth.Police, "1781"), 200},
		{"caseworker", "Bearer " + ts.token(auth.Caseworker, "1781", "1782"), 200},
	}
	for _, c := range cases {
		w := ts.do(http.MethodGet, "/v1/lagesbild?municipality=1781&period=2026-12", nil, "Authorization", c.auth)
		if w.Code != c.want {
			t.Errorf("%s: %d, want %d", c.name, w.Code, c.want)
		}
	}
	if w := ts.do(http.MethodGet, "/v1/lagesbild?municipality=1781&period=2021-W53", nil, "Authorization", cases[3].auth); w.Code != 400 {
		t.Errorf("2021-W53 %d", w.Code)
	}
	w := ts.do(http.MethodGet, "/v1/public/lagesbild?municipality=1781&period=2026", nil)
	if w.Code != 200 {
		t.Fatalf("public %d %s", w.Code, w.Body)
	}
	body := w.Body.String()
	// The second request is answered from the cache, identically.
	if w2 := ts.do(http.MethodGet, "/v1/public/lagesbild?municipality=1781&period=2026", nil); w.Header().Get("X-Cache") != "miss" || w2.Header().Get("X-Cache") != "hit" || w2.Body.String() != body {
		t.Errorf("public cache: first %q, second %q, same body %v", w.Header().Get("X-Cache"), w2.Header().Get("X-Cache"), w2.Body.String() == body)
	}
	for _, leak := range []string{"Namnsson", "hotspots", "Stöld", "lon"} {
		if strings.Contains(body, leak) {
			t.Errorf("public lägesbild contains %q", leak)
		}
	}
	b := decode[lbBody](t, w)
	// 2026 has four otrygghet reports and two felanmälningar: the two are hidden.
	if fel := total(b, "felanmalan"); !b.Public || total(b, "otrygghet").Count != 4 || !fel.Suppressed || fel.Count != 0 {
		t.Errorf("public totals %+v", b.Totals)
	}
	// The felanmälan section counts the same two: hidden as well, with their medians.
	if f := b.Felanmalan; f.Opened != 0 || f.Resolved != 0 || f.OpenAtEnd != 0 || f.MedianDaysToResolve != nil || f.MedianOpenAgeDays != nil ||
		!strings.Contains(body, `"suppressed":["opened","resolved","median_days_to_resolve","open_at_end","median_open_age_days"]`) {
		t.Errorf("public felanmälan %+v", f)
	}
	for _, c := range b.Categories {
		if c.Count > 0 && c.Count < 3 || (c.Key == "OTR.FIRE" && !c.Suppressed) {
			t.Errorf("public shows a small count: %+v", c)
		}
	}
}

// TestLagesbildHotspotsGiStar checks the lägesbild's hotspots come from the
// hotspot engine: a planted cluster is the top significant hot cell, with the
// very z, p and bin that GET /v1/hotspots gives for the same period and grid.
func TestLagesbildHotspotsGiStar(t *testing.T) {
	ts, tok, _ := lagesbildFixture(t)
	// 40 reports within a few metres in one cell, 30 spread over Kristinehamn
	// (and the fixture's one November report).
	for k := 0; k < 40; k++ {
		ts.seedReport("OTR.SOC.GATHER", 14.1100+float64(k%5)*0.00004, 59.3100+float64(k/5)*0.00002, "2026-11-1"+string(rune('0'+k%9))+" 21:00", "received", "")
	}
	for k := 0; k < 30; k++ {
		ts.seedReport("OTR.PLACE.LIGHT", 14.06+float64(k%6)*0.02, 59.28+float64(k/6)*0.015, "2026-11-20 12:00", "received", "")
	}
	b := decode[lbBody](t, ts.do(http.MethodGet, "/v1/lagesbild?municipality=1781&period=2026-11", nil, "Authorization", "Bearer "+tok))
	h := b.Hotspots
	if h == nil || h.Method != "gistar" || !h.FDR || h.CellM != 250 || h.Note != "" || h.Reports != 71 {
		t.Fatalf("hotspots %+v", h)
	}
	if h.SignificantHotCells < 1 || len(h.Cells) < 1 || len(h.Cells) > 10 {
		t.Fatalf("significant cells %d, listed %d", h.SignificantHotCells, len(h.Cells))
	}
	top := h.Cells[0]
	if top.Count != 40 || top.Bin != 3 || top.Z == nil || *top.Z <= 2.58 || top.PAdjusted == nil || *top.PAdjusted < *top.P || math.Abs(top.Lon-14.111) > 0.005 || math.Abs(top.Lat-59.311) > 0.003 {
		t.Errorf("top cell %+v (z %v p %v)", top, top.Z, top.P)
	}
	for k, c := range h.Cells {
		if c.Bin < 1 || c.Bin > 3 || k > 0 && (c.Bin > h.Cells[k-1].Bin || c.Bin == h.Cells[k-1].Bin && c.Count > h.Cells[k-1].Count) {
			t.Errorf("cell %d %+v is not significant or out of order", k, c)
		}
	}
	// The same analysis through the hotspot API.
	w := ts.do(http.MethodGet, "/v1/hotspots?municipality=1781&from=2026-11-01&to=2026-11-30&cell=250&method=gistar&fdr=true", nil, "Authorization", "Bearer "+tok)
	if w.Code != 200 {
		t.Fatalf("hotspots %d %s", w.Code, w.Body)
	}
	fc := decode[struct {
		Features []struct {
			Properties struct {
				Count int
				Z     float64
				Bin   int
			}
		}
	}](t, w)
	best := 0.0
	hot := 0
	for _, f := range fc.Features {
		if f.Properties.Count == 40 {
			best = f.Properties.Z
		}
		if f.Properties.Bin > 0 {
			hot++
		}
	}
	if math.Abs(best-*top.Z) > 1e-3*math.Abs(best) || hot != h.SignificantHotCells {
		t.Errorf("hotspot API: cluster z %v, %d hot cells; lägesbild z %v, %d hot cells", best, hot, *top.Z, h.SignificantHotCells)
	}
	// CSV and print carry the same cells.
	recs, err := csv.NewReader(ts.do(http.MethodGet, "/v1/lagesbild?municipality=1781&period=2026-11&format=csv&section=hotspots", nil, "Authorization", "Bearer "+tok).Body).ReadAll()
	if err != nil || len(recs) != len(h.Cells)+1 || recs[1][0] != "gistar" || recs[1][3] != "40" || recs[1][7] != "3" {
		t.Errorf("hotspots csv %v %v", recs, err)
	}
	if html := ts.do(http.MethodGet, "/v1/lagesbild?municipality=1781&period=2026-11&format=html", nil, "Authorization", "Bearer "+tok).Body.String(); !strings.Contains(html, "Getis-Ord Gi*") || !strings.Contains(html, "99 %") {
		t.Errorf("html hotspots section missing")
	}
}
