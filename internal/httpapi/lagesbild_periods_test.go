package httpapi

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"html"
	"io"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/lagesbild"
)

// seedReportUTC writes a report observed and received at an instant given in
// UTC (RFC 3339), so the test says exactly which side of a local midnight or a
// DST change it lies on.
func (ts *testServer) seedReportUTC(category string, at [2]float64, instant, resolved string) {
	ts.t.Helper()
	kind, status := "otrygghet", "received"
	if strings.HasPrefix(category, "FEL") {
		kind = "felanmalan"
	}
	var res *time.Time
	if resolved != "" {
		r, err := time.Parse(time.RFC3339, resolved)
		if err != nil {
			ts.t.Fatal(err)
		}
		res, status = &r, "resolved"
	}
	t0, err := time.Parse(time.RFC3339, instant)
	if err != nil {
		ts.t.Fatal(err)
	}
	id := uuid.New()
	_, err = ts.db.Pool.Exec(context.Background(), `
INSERT INTO reports (id, reference, kind, category, geom, observed_at, received_at, status, visibility, source, follow_up_hash, resolved_at, description)
VALUES ($1, $2, $3, $4, ST_SetSRID(ST_MakePoint($5, $6), 4326), $7, $7, $8, 'published', 'demo', '\x00', $9, 'Greta Gren, 070-123 45 67')`,
		id, id.String()[:9], kind, category, at[0], at[1], t0, status, res)
	if err != nil {
		ts.t.Fatal(err)
	}
}

// periodsFixture places reports, felanmälningar, events and a walk on the
// edges that periods get wrong: the DST changes of 2026 (29 March, 25
// October), local midnights that are the previous day in UTC, and ISO week
// 2020-W53 across the new year.
func periodsFixture(t *testing.T) (*testServer, string, string) {
	ts := newTestServer(t, nil) // now is 2026-11-20 18:00 UTC
	tok := ts.token(auth.Analyst, "1781")
	w := ts.do(http.MethodPost, "/v1/staff/areas", map[string]any{"municipality": "1781", "kind": "centrum", "name": "Centrum", "priority": true, "geometry": square(14.10, 59.30, 0.01)}, "Authorization", "Bearer "+tok)
	if w.Code != 201 {
		t.Fatalf("area %d %s", w.Code, w.Body)
	}
	areaID := decode[struct{ ID string }](t, w).ID
	in, out := [2]float64{14.105, 59.305}, [2]float64{14.13, 59.32}
	for _, r := range []struct {
		cat     string
		at      [2]float64
		instant string
	}{
		{"OTR.SOC.GATHER", in, "2026-03-29T00:30:00Z"},  // 01:30 CET, an hour before summer time
		{"OTR.SOC.GATHER", in, "2026-03-29T01:30:00Z"},  // 03:30 CEST (02:30 does not exist that night)
		{"OTR.FIRE", out, "2026-03-29T22:30:00Z"},       // 00:30 on Monday 30 March: W14
		{"OTR.FIRE", out, "2026-03-31T22:30:00Z"},       // 00:30 on 1 April: Q2
		{"OTR.PLACE.LIGHT", in, "2026-10-25T00:30:00Z"}, // 02:30 CEST, the first of two
		{"OTR.PLACE.LIGHT", in, "2026-10-25T01:30:00Z"}, // 02:30 CET, the second
		{"OTR.PLACE.LIGHT", out, "2026-10-25T23:30:00Z"},
		{"OTR.SOC.GATHER", out, "2026-10-31T23:30:00Z"}, // 00:30 on 1 November
		{"OTR.SOC.GATHER", out, "2026-09-30T22:30:00Z"}, // 00:30 on 1 October: Q4
		{"OTR.SOC.GATHER", in, "2020-12-31T23:30:00Z"},  // 2021-01-01 00:30: 2020-W53, but the year 2021
		{"OTR.SOC.GATHER", in, "2021-01-03T22:59:00Z"},  // 23:59, the last minute of 2020-W53
		{"OTR.SOC.GATHER", in, "2021-01-03T23:00:00Z"},  // 00:00 on 4 January: 2021-W01
		{"OTR.SOC.GATHER", in, "2020-12-21T12:00:00Z"},  // 2020-W52
		{"OTR.SOC.GATHER", in, "2019-12-25T12:00:00Z"},  // 2019-W52
	} {
		ts.seedReportUTC(r.cat, r.at, r.instant, "")
	}
	ts.seedReportUTC("FEL.LIGHT", out, "2026-03-29T01:30:00Z", "2026-03-31T01:30:00Z") // two days
	ts.seedReportUTC("FEL.LIGHT", out, "2026-10-25T00:30:00Z", "")                     // still open
	ts.seedReportUTC("FEL.LIGHT", out, "2026-10-31T23:30:00Z", "2026-11-03T11:30:00Z") // two and a half days
	ctx := context.Background()
	_, err := ts.db.Pool.Exec(ctx, `
INSERT INTO events (source, external_id, occurred_at, type, name, place_name, geom, precision, municipality_code) VALUES
 ('polisen', 'p1', '2026-10-25T01:30:00Z', 'Stöld', 'Stöld, Kristinehamn', 'Kristinehamn', ST_SetSRID(ST_MakePoint(14.105, 59.305), 4326), 'municipality', '1781'),
 ('vaktbolaget', 'v1', '2026-12-31T23:30:00Z', 'Skadegörelse', 'Klotter', 'Torget', ST_SetSRID(ST_MakePoint(14.105, 59.305), 4326), 'exact', '1781')`)
	if err != nil {
		t.Fatal(err)
	}
	walkID := uuid.New()
	if _, err := ts.db.Pool.Exec(ctx, `INSERT INTO walks (id, municipality_code, area_id, title, starts_at, status, created_by) VALUES ($1, '1781', $2, 'Vandring', '2026-03-29T01:30:00Z', 'held', 'test')`, walkID, areaID); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.db.Pool.Exec(ctx, `INSERT INTO measures (id, walk_id, what, horizon, owner, due_date) VALUES ($1, $2, 'Ny belysning', 'short', 'Gatukontoret', '2026-03-30')`, uuid.New(), walkID); err != nil {
		t.Fatal(err)
	}
	return ts, tok, areaID
}

type lbFull struct {
	lbBody
	Walks lbWalks
}

// TestLagesbildEverySectionByPeriod checks every section of the lägesbild for
// weeks, months, quarters, years and custom ranges on the fixture's edges.
func TestLagesbildEverySectionByPeriod(t *testing.T) {
	ts, tok, areaID := periodsFixture(t)
	const none = -1.0
	type sections struct {
		otr, fel, prevOtr, lyOtr, area int
		cats                           map[string]int
		opened, resolved, openAtEnd    int
		openAge, toResolve             float64 // days; none when there is no median
		events                         map[string]int
		walks                          lbWalks
	}
	noWalks := lbWalks{Available: true}
	// The measure due 30 March stays overdue in every later period.
	overdue := lbWalks{Available: true, MeasuresOverdue: 1}
	cases := []struct {
		period string
		want   sections
	}{
		// The spring-forward week: 167 hours. The felanmälan opened at 03:30
		// CEST Sunday is 20.5 hours old when Monday begins.
		{"2026-W13", sections{2, 1, 0, 0, 2, map[string]int{"OTR": 2, "OTR.SOC": 2, "OTR.SOC.GATHER": 2, "FEL.LIGHT": 1},
			1, 0, 1, 20.5 / 24, none, nil, lbWalks{true, 1, 0, 1, 0, 0}}},
		{"2026-W14", sections{2, 0, 2, 0, 0, map[string]int{"OTR": 2, "OTR.FIRE": 2, "OTR.SOC": 0},
			0, 1, 0, none, 2, nil, overdue}},
		// The measure due 30 March is overdue when March ends.
		{"2026-03", sections{3, 1, 0, 0, 2, map[string]int{"OTR.FIRE": 1, "OTR.SOC.GATHER": 2},
			1, 1, 0, none, 2, nil, lbWalks{true, 1, 0, 1, 0, 1}}},
		{"2026-04", sections{1, 0, 3, 0, 0, map[string]int{"OTR.FIRE": 1}, 0, 0, 0, none, none, nil, lbWalks{true, 0, 0, 0, 0, 1}}},
		{"2026-Q1", sections{3, 1, 0, 0, 2, map[string]int{"OTR": 3}, 1, 1, 0, none, 2, nil, lbWalks{true, 1, 0, 1, 0, 1}}},
		{"2026-03-29..2026-03-29", sections{2, 1, 0, 0, 2, map[string]int{"OTR.SOC.GATHER": 2},
			1, 0, 1, 20.5 / 24, none, nil, lbWalks{true, 1, 0, 1, 0, 0}}},
		// The fall-back week: 169 hours, both 02:30s in it.
		{"2026-W43", sections{2, 1, 0, 0, 2, map[string]int{"OTR.PLACE": 2, "OTR.PLACE.LIGHT": 2},
			1, 0, 1, 22.5 / 24, none, map[string]int{"Stöld/municipality": 1}, overdue}},
		{"2026-W44", sections{2, 1, 2, 0, 0, map[string]int{"OTR.PLACE.LIGHT": 1, "OTR.SOC.GATHER": 1},
			1, 0, 2, (7.9375 + 23.5/24) / 2, none, nil, overdue}},
		{"2026-10", sections{4, 1, 0, 0, 2, map[string]int{"OTR.PLACE.LIGHT": 3, "OTR.SOC.GATHER": 1},
			1, 0, 1, 6.9375, none, map[string]int{"Stöld/municipality": 1}, overdue}},
		// November is running: the open felanmälan is aged at the clock.
		{"2026-11", sections{1, 1, 4, 0, 0, map[string]int{"OTR.SOC.GATHER": 1},
			1, 1, 1, 26 + 17.5/24, 2.5, nil, overdue}},
		{"2026-Q3", sections{0, 0, 1, 0, 0, map[string]int{}, 0, 0, 0, none, none, nil, overdue}},
		{"2026-Q4", sections{5, 2, 0, 0, 2, map[string]int{"OTR": 5}, 2, 1, 1, 26 + 17.5/24, 2.5, map[string]int{"Stöld/municipality": 1}, overdue}},
		// The security company's event at 00:30 on New Year's Day 2027.
		{"2026-W53", sections{0, 0, 0, 0, 0, map[string]int{}, 0, 0, 1, 26 + 17.5/24, none, map[string]int{"Skadegörelse/exact": 1}, overdue}},
		{"2027-01", sections{0, 0, 0, 0, 0, map[string]int{}, 0, 0, 1, 26 + 17.5/24, none, map[string]int{"Skadegörelse/exact": 1}, overdue}},
		{"2026", sections{9, 3, 0, 0, 4, map[string]int{"OTR": 9, "FEL": 3}, 3, 2, 1, 26 + 17.5/24, 2.25, map[string]int{"Stöld/municipality": 1}, lbWalks{true, 1, 0, 1, 0, 1}}},
		// 2020 has 53 ISO weeks; W53 runs into 2021 and is compared with W52 and 2019-W52.
		{"2020-W53", sections{2, 0, 1, 1, 2, map[string]int{"OTR.SOC.GATHER": 2}, 0, 0, 0, none, none, nil, noWalks}},
		{"2021-W01", sections{1, 0, 2, 0, 1, map[string]int{"OTR.SOC.GATHER": 1}, 0, 0, 0, none, none, nil, noWalks}},
		{"2020-12-28..2021-01-03", sections{2, 0, 1, 0, 2, map[string]int{"OTR.SOC.GATHER": 2}, 0, 0, 0, none, none, nil, noWalks}},
		{"2020", sections{1, 0, 1, 1, 1, map[string]int{"OTR.SOC.GATHER": 1}, 0, 0, 0, none, none, nil, noWalks}},
		{"2021-01", sections{3, 0, 1, 0, 3, map[string]int{"OTR.SOC.GATHER": 3}, 0, 0, 0, none, none, nil, noWalks}},
		{"2020-Q4", sections{1, 0, 0, 1, 1, map[string]int{"OTR.SOC.GATHER": 1}, 0, 0, 0, none, none, nil, noWalks}},
	}
	median := func(got *float64, want float64) bool {
		if want == none {
			return got == nil
		}
		return got != nil && math.Abs(*got-want) < 1e-3
	}
	for _, c := range cases {
		t.Run(c.period, func(t *testing.T) {
			w := ts.do(http.MethodGet, "/v1/lagesbild?municipality=1781&period="+c.period, nil, "Authorization", "Bearer "+tok)
			if w.Code != 200 {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			b := decode[lbFull](t, w)
			o, f := total(b.lbBody, "otrygghet"), total(b.lbBody, "felanmalan")
			if o.Count != c.want.otr || f.Count != c.want.fel || o.Previous.Before != c.want.prevOtr || o.LastYear.Before != c.want.lyOtr {
				t.Errorf("totals: otrygghet %d (previous %d, last year %d), felanmälan %d", o.Count, o.Previous.Before, o.LastYear.Before, f.Count)
			}
			cats := map[string]int{}
			for _, r := range b.Categories {
				cats[r.Key] = r.Count
			}
			for k, n := range c.want.cats {
				if cats[k] != n {
					t.Errorf("category %s: %d, want %d (all %v)", k, cats[k], n, cats)
				}
			}
			if len(b.Areas) != 1 || b.Areas[0].Key != areaID || b.Areas[0].Count != c.want.area {
				t.Errorf("areas %+v, want %d in Centrum", b.Areas, c.want.area)
			}
			fe := b.Felanmalan
			if fe.Opened != c.want.opened || fe.Resolved != c.want.resolved || fe.OpenAtEnd != c.want.openAtEnd ||
				!median(fe.MedianOpenAgeDays, c.want.openAge) || !median(fe.MedianDaysToResolve, c.want.toResolve) {
				t.Errorf("felanmälan %+v (ages %v, %v)", fe, deref(fe.MedianOpenAgeDays), deref(fe.MedianDaysToResolve))
			}
			evs := map[string]int{}
			for _, e := range b.Events {
				evs[e.Type+"/"+e.Precision] += e.Count
			}
			if len(evs) != len(c.want.events) {
				t.Errorf("events %v, want %v", evs, c.want.events)
			}
			for k, n := range c.want.events {
				if evs[k] != n {
					t.Errorf("events %v, want %v", evs, c.want.events)
				}
			}
			if b.Walks != c.want.walks {
				t.Errorf("walks %+v, want %+v", b.Walks, c.want.walks)
			}
			// Hotspots rank the period's counted reports, never events: the
			// cells hold exactly the reports of the totals.
			h := b.Hotspots
			cells := 0
			for _, cell := range h.Cells {
				cells += cell.Count
			}
			if h == nil || h.Method != "densest_cells" || h.Reports != c.want.otr+c.want.fel || cells != h.Reports {
				t.Errorf("hotspots %+v, %d reports in cells", h, cells)
			}
		})
	}
}

func deref(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

// TestLagesbildChanges checks period-over-period and year-earlier changes in
// counts and per cent, a rise from nothing (no per cent) and a fall to nothing.
func TestLagesbildChanges(t *testing.T) {
	ts, tok, areaID := periodsFixture(t)
	pct := func(f float64) *float64 { return &f }
	cases := []struct {
		period, key       string
		prevDiff, lyDiff  int
		prevPct, lyPct    *float64
		prevLabel, lyLabe string
	}{
		{"2020-W53", "otrygghet", 1, 1, pct(100), pct(100), "2020-W52", "2019-W52"},
		{"2021-W01", "otrygghet", -1, 1, pct(-50), nil, "2020-W53", "2020-W01"},
		{"2021-01", "otrygghet", 2, 3, pct(200), nil, "2020-12", "2020-01"},
		{"2026-W14", "otrygghet", 0, 2, pct(0), nil, "2026-W13", "2025-W14"},
		{"2026-04", "otrygghet", -2, 1, pct(-66.7), nil, "2026-03", "2025-04"},
		{"2026-Q3", "otrygghet", -1, 0, pct(-100), nil, "2026-Q2", "2025-Q3"},
		{"2026-W13", "felanmalan", 1, 1, nil, nil, "2026-W12", "2025-W13"},
		{"2026-W14", "felanmalan", -1, 0, pct(-100), nil, "2026-W13", "2025-W14"},
		{"2021-01-04..2021-01-10", "otrygghet", -1, 1, pct(-50), nil, "2020-12-28..2021-01-03", "2020-01-04..2020-01-10"},
		{"2021-12-27..2022-01-02", "otrygghet", 0, -1, nil, pct(-100), "2021-12-20..2021-12-26", "2020-12-27..2021-01-02"},
	}
	for _, c := range cases {
		t.Run(c.period+" "+c.key, func(t *testing.T) {
			b := decode[struct {
				lbBody
				Prev string `json:"previous_period"`
				LY   string `json:"last_year_period"`
			}](t, ts.do(http.MethodGet, "/v1/lagesbild?municipality=1781&period="+c.period, nil, "Authorization", "Bearer "+tok))
			r := total(b.lbBody, c.key)
			eq := func(a, b *float64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
			if r.Previous == nil || r.LastYear == nil || r.Previous.Diff != c.prevDiff || r.LastYear.Diff != c.lyDiff ||
				!eq(r.Previous.Percent, c.prevPct) || !eq(r.LastYear.Percent, c.lyPct) || b.Prev != c.prevLabel || b.LY != c.lyLabe {
				t.Errorf("%+v previous %+v (%v) last year %+v (%v); labels %s %s", r, r.Previous, deref(r.Previous.Percent), r.LastYear, deref(r.LastYear.Percent), b.Prev, b.LY)
			}
		})
	}
	// The area's row carries its own changes: Centrum had one report in
	// 2020-W52 and two in 2020-W53.
	b := decode[lbBody](t, ts.do(http.MethodGet, "/v1/lagesbild?municipality=1781&period=2020-W53&area="+areaID, nil, "Authorization", "Bearer "+tok))
	if a := b.Areas; len(a) != 1 || a[0].Previous.Diff != 1 || *a[0].Previous.Percent != 100 || total(b, "otrygghet").Count != 2 {
		t.Errorf("area changes %+v", a)
	}
}

// TestLagesbildOutputsParsed reads every export format back and checks it
// says what the JSON says: each CSV section (alone and in the zip), the areas
// as GeoJSON polygons with their counts, and the printed page's tables,
// comparison columns and SVG map.
func TestLagesbildOutputsParsed(t *testing.T) {
	ts, tok, areaID := periodsFixture(t)
	// A second area, around the fixture's reports outside Centrum.
	w := ts.do(http.MethodPost, "/v1/staff/areas", map[string]any{"municipality": "1781", "kind": "stadsdel", "name": "Norr <Nord>", "geometry": square(14.125, 59.315, 0.01)}, "Authorization", "Bearer "+tok)
	if w.Code != 201 {
		t.Fatalf("area %d %s", w.Code, w.Body)
	}
	get := func(q string) *httpBody {
		w := ts.do(http.MethodGet, "/v1/lagesbild?municipality=1781&period=2026-10"+q, nil, "Authorization", "Bearer "+tok)
		if w.Code != 200 {
			t.Fatalf("%s: %d %s", q, w.Code, w.Body)
		}
		return &httpBody{w.Header().Get("Content-Type"), w.Body.Bytes()}
	}
	j := get("")
	l := fromJSON[lbFull](t, j.body)
	// Norr holds two October reports and a felanmälan, Centrum two reports.
	if len(l.Areas) != 2 || l.Areas[0].Name != "Norr <Nord>" || l.Areas[0].Count != 3 || l.Areas[1].Count != 2 {
		t.Fatalf("areas %+v", l.Areas)
	}

	// CSV: the zip holds every section in order, each the same bytes as the
	// section asked for alone, with the JSON's figures.
	z := get("&format=csv")
	if z.ctype != "application/zip" {
		t.Errorf("zip content type %q", z.ctype)
	}
	zr, err := zip.NewReader(bytes.NewReader(z.body), int64(len(z.body)))
	if err != nil || len(zr.File) != len(lagesbild.Sections) {
		t.Fatalf("zip %v, %d files", err, len(zr.File))
	}
	tables := map[string][][]string{}
	for i, f := range zr.File {
		sec := lagesbild.Sections[i]
		if f.Name != sec+".csv" {
			t.Errorf("zip file %d is %s, want %s.csv", i, f.Name, sec)
		}
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		alone := get("&format=csv&section=" + sec)
		if !bytes.Equal(alone.body, data) || !strings.HasPrefix(alone.ctype, "text/csv") {
			t.Errorf("section %s alone differs from the zip's", sec)
		}
		recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", sec, err)
		}
		tables[sec] = recs
	}
	col := func(sec, name string, row int) string {
		for i, h := range tables[sec][0] {
			if h == name && row < len(tables[sec]) {
				return tables[sec][row][i]
			}
		}
		t.Errorf("%s has no column %s or row %d", sec, name, row)
		return ""
	}
	if len(tables["totals"]) != 3 || col("totals", "kind", 1) != "otrygghet" || col("totals", "count", 1) != "4" ||
		col("totals", "previous_count", 1) != "0" || col("totals", "previous_change_pct", 1) != "" || col("totals", "count", 2) != "1" {
		t.Errorf("totals %v", tables["totals"])
	}
	if len(tables["categories"]) != len(l.Categories)+1 {
		t.Errorf("categories %d rows, JSON %d", len(tables["categories"])-1, len(l.Categories))
	}
	for i, r := range l.Categories {
		if col("categories", "code", i+1) != r.Key || col("categories", "count", i+1) != strconv.Itoa(r.Count) {
			t.Errorf("category row %d %v, JSON %+v", i+1, tables["categories"][i+1], r)
		}
	}
	if len(tables["areas"]) != 3 || col("areas", "id", 2) != areaID || col("areas", "count", 2) != "2" || col("areas", "priority", 2) != "true" ||
		col("areas", "name", 1) != "Norr <Nord>" || col("areas", "count", 1) != "3" || col("areas", "priority", 1) != "false" {
		t.Errorf("areas %v", tables["areas"])
	}
	if col("felanmalan", "opened", 1) != "1" || col("felanmalan", "open_at_end", 1) != "1" || col("felanmalan", "median_open_age_days", 1) != "6.9" {
		t.Errorf("felanmalan %v", tables["felanmalan"])
	}
	if len(tables["events"]) != 2 || strings.Join(tables["events"][1], ",") != "polisen,Stöld,municipality,1" {
		t.Errorf("events %v", tables["events"])
	}
	if len(tables["hotspots"]) != len(l.Hotspots.Cells)+1 || col("hotspots", "method", 1) != "densest_cells" {
		t.Errorf("hotspots %v", tables["hotspots"])
	}
	if w := ts.do(http.MethodGet, "/v1/lagesbild?municipality=1781&period=2026-10&format=csv&section=secrets", nil, "Authorization", "Bearer "+tok); w.Code != 400 || !strings.Contains(w.Body.String(), "section") {
		t.Errorf("unknown section %d %s", w.Code, w.Body)
	}

	// GeoJSON: one polygon feature per area, with the lägesbild's counts.
	g := get("&format=geojson")
	fc := fromJSON[struct {
		Type     string
		Features []struct {
			ID       string
			Geometry struct {
				Type        string
				Coordinates [][][][2]float64
			}
			Properties struct {
				ID, Name, Kind, Period string
				Priority               bool
				Count                  int
				Previous               *struct{ Before, Diff int }
				LastYear               *struct{ Before, Diff int } `json:"last_year"`
			}
		}
	}](t, g.body)
	if g.ctype != "application/geo+json" || fc.Type != "FeatureCollection" || len(fc.Features) != 2 {
		t.Fatalf("geojson %s %s", g.ctype, g.body)
	}
	for _, f := range fc.Features {
		p := f.Properties
		want := map[string]int{"Centrum": 2, "Norr <Nord>": 3}[p.Name]
		// Areas are stored as multipolygons: one polygon of one ring here.
		if len(f.Geometry.Coordinates) != 1 {
			t.Fatalf("feature %+v", f)
		}
		ring := f.Geometry.Coordinates[0]
		if f.Geometry.Type != "MultiPolygon" || len(ring) != 1 || len(ring[0]) != 5 || ring[0][0] != ring[0][4] || p.Count != want ||
			p.Period != "2026-10" || p.Previous == nil || p.Previous.Before != 0 || p.Previous.Diff != want || f.ID != p.ID {
			t.Errorf("feature %+v", f)
		}
		if p.Name == "Centrum" && (p.ID != areaID || !p.Priority || p.Kind != "centrum" || math.Abs(ring[0][0][0]-14.10) > 1e-9) {
			t.Errorf("Centrum %+v", f)
		}
	}

	// HTML: the tables hold the figures and the comparison with the previous
	// period and last year; the map has one path per area, darker for more.
	page := string(get("&format=html").body)
	sections := map[string]string{}
	for _, part := range strings.Split(page, "<h2>")[1:] {
		title, rest, _ := strings.Cut(part, "</h2>")
		sections[title] = rest
	}
	cellRe := regexp.MustCompile(`<t[dh][^>]*>(.*?)</t[dh]>`)
	rows := func(section string) [][]string {
		var out [][]string
		for _, tr := range regexp.MustCompile(`(?s)<tr[^>]*>(.*?)</tr>`).FindAllStringSubmatch(sections[section], -1) {
			var cells []string
			for _, m := range cellRe.FindAllStringSubmatch(tr[1], -1) {
				cells = append(cells, html.UnescapeString(m[1]))
			}
			out = append(out, cells)
		}
		return out
	}
	if tr := rows("Anmälningar per typ"); len(tr) != 3 || strings.Join(tr[0], "|") != "Typ|Antal|2026-09|Förändring|2025-10|Förändring" ||
		strings.Join(tr[1], "|") != "otrygghet|4|0|+4|0|+4" || strings.Join(tr[2], "|") != "felanmalan|1|0|+1|0|+1" {
		t.Errorf("totals table %q", tr)
	}
	// Against a non-zero earlier count the change has a per cent.
	if tr := rows("Anmälningar per typ"); true {
		p := string(ts.do(http.MethodGet, "/v1/lagesbild?municipality=1781&period=2026-11&format=html", nil, "Authorization", "Bearer "+tok).Body.Bytes())
		if !strings.Contains(p, `<td>otrygghet</td><td class="n">1</td><td class="n">4</td><td class="n">-3 (-75.0 %)</td>`) {
			t.Errorf("November's comparison missing (October's table %q)", tr)
		}
	}
	if tr := rows("Områden"); len(tr) != 3 || strings.Join(tr[2], "|") != "Centrum (prioriterat)|centrum|2|+2|+2" || strings.Join(tr[1], "|") != "Norr <Nord>|stadsdel|3|+3|+3" {
		t.Errorf("areas table %q", tr)
	}
	if tr := rows("Felanmälningar"); len(tr) != 2 || strings.Join(tr[1], "|") != "1|0|1|6.9|–" {
		t.Errorf("felanmälan table %q", tr)
	}
	if tr := rows("Händelser från andra källor"); len(tr) != 2 || strings.Join(tr[1], "|") != "polisen|Stöld|municipality|1" {
		t.Errorf("events table %q", tr)
	}
	if !strings.Contains(sections["Trygghetsvandringar och åtgärder"], "0 vandringar genomförda, 0 planerade; 0 åtgärder beslutade, 0 klara, 1 försenade.") {
		t.Errorf("walks %q", sections["Trygghetsvandringar och åtgärder"])
	}
	paths := regexp.MustCompile(`<path d="(M[^"]+Z)" fill="rgb\((\d+),(\d+),255\)"( stroke-width="2")?><title>([^<]*)</title></path>`).FindAllStringSubmatch(sections["Områden"], -1)
	if len(paths) != 2 || !strings.Contains(page, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 420"`) {
		t.Fatalf("svg paths %q", paths)
	}
	shade := map[string]int{}
	for _, p := range paths {
		n, _ := strconv.Atoi(p[2])
		shade[p[5]] = n
		if strings.Count(p[1], "L") != 4 || (p[4] != "") != (p[5] == "Centrum: 2") {
			t.Errorf("path %q", p[0])
		}
		for _, xy := range regexp.MustCompile(`[ML]([\d.]+) ([\d.]+)`).FindAllStringSubmatch(p[1], -1) {
			x, _ := strconv.ParseFloat(xy[1], 64)
			y, _ := strconv.ParseFloat(xy[2], 64)
			if x < 0 || x > 640 || y < 0 || y > 420 {
				t.Errorf("point %v outside the map", xy[0])
			}
		}
	}
	if shade["Centrum: 2"] != 122 || shade["Norr &lt;Nord&gt;: 3"] != 55 {
		t.Errorf("fills %v", shade)
	}
	if strings.Contains(page, "Greta") || strings.Contains(page, "070-") {
		t.Error("the printed lägesbild carries report text")
	}
}

func fromJSON[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v: %.300s", err, b)
	}
	return v
}

type httpBody struct {
	ctype string
	body  []byte
}
