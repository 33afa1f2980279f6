package httpapi

import (
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/trygg/trygg/internal/auth"
)

type lbWalks struct {
	Available       bool
	Held, Planned   int
	MeasuresAgreed  int `json:"measures_agreed"`
	MeasuresDone    int `json:"measures_completed"`
	MeasuresOverdue int `json:"measures_overdue"`
}

// TestLagesbildWalksAndMeasures records walks and measures through the walk
// API and checks the lägesbild's walk section per period, by area, and that
// "overdue" is judged at the period's end, or at the clock (2026-11-20 18:00
// UTC) while the period runs.
func TestLagesbildWalksAndMeasures(t *testing.T) {
	ts, tok, areaID := lagesbildFixture(t)
	ctx := context.Background()
	planner := []string{"Authorization", "Bearer " + ts.token(auth.Planner, "1781")}
	newWalk := func(auth []string, body map[string]any, held bool) string {
		t.Helper()
		w := ts.do(http.MethodPost, "/v1/walks", body, auth...)
		if w.Code != 201 {
			t.Fatalf("walk %d %s", w.Code, w.Body)
		}
		id := decode[struct{ ID string }](t, w).ID
		if held {
			if w := ts.do(http.MethodPatch, "/v1/walks/"+id, map[string]any{"status": "held"}, auth...); w.Code != 200 {
				t.Fatalf("held %d %s", w.Code, w.Body)
			}
		}
		return id
	}
	// measure is agreed at a walk; status "" leaves it open, doneAt is when it
	// was marked done (the clock of the database is not the test's).
	measure := func(auth []string, walkID, due, status, doneAt string) string {
		t.Helper()
		body := map[string]any{"what": "Åtgärd", "horizon": "short", "owner": "Gatukontoret"}
		if due != "" {
			body["due_date"] = due
		}
		w := ts.do(http.MethodPost, "/v1/walks/"+walkID+"/measures", body, auth...)
		if w.Code != 201 {
			t.Fatalf("measure %d %s", w.Code, w.Body)
		}
		id := decode[struct{ ID string }](t, w).ID
		if status == "" {
			return id
		}
		if w := ts.do(http.MethodPatch, "/v1/walks/"+walkID+"/measures/"+id, map[string]any{"status": status}, auth...); w.Code != 200 {
			t.Fatalf("measure status %d %s", w.Code, w.Body)
		}
		if doneAt != "" {
			if _, err := ts.db.Pool.Exec(ctx, `UPDATE measures SET updated_at = $2, done_at = $2 WHERE id = $1`, id, doneAt); err != nil {
				t.Fatal(err)
			}
		}
		return id
	}
	// doneAt reads when a measure was marked done ("" while it is not).
	doneAt := func(id string) string {
		t.Helper()
		var at string
		if err := ts.db.Pool.QueryRow(ctx, `SELECT coalesce(to_char(done_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI'), '') FROM measures WHERE id = $1`, id).Scan(&at); err != nil {
			t.Fatal(err)
		}
		return at
	}
	patchMeasure := func(auth []string, walkID, id string, body map[string]any) {
		t.Helper()
		if w := ts.do(http.MethodPatch, "/v1/walks/"+walkID+"/measures/"+id, body, auth...); w.Code != 200 {
			t.Fatalf("measure patch %d %s", w.Code, w.Body)
		}
	}
	// October: a walk recorded for Centrum, five measures.
	oct := newWalk(planner, map[string]any{"municipality": "1781", "area_id": areaID, "title": "Oktobervandring", "starts_at": "2026-10-14T18:00:00+02:00"}, true)
	measure(planner, oct, "2026-10-31", "done", "2026-11-05T10:00:00+01:00") // overdue at October's end, done in November
	measure(planner, oct, "2026-11-10", "", "")                              // overdue from 11 November
	measure(planner, oct, "2026-10-20", "in_progress", "")                   // overdue from 21 October
	measure(planner, oct, "", "", "")                                        // no due date: never overdue
	measure(planner, oct, "2026-10-25", "cancelled", "")                     // cancelled: never overdue
	// Done in October, its owner changed in November: still completed
	// in October, not moved to the period of its last change.
	edited := measure(planner, oct, "", "done", "2026-10-20T09:00:00+02:00")
	patchMeasure(planner, oct, edited, map[string]any{"owner": "Tekniska förvaltningen"})
	if _, err := ts.db.Pool.Exec(ctx, `UPDATE measures SET updated_at = '2026-11-15T10:00:00+01:00' WHERE id = $1`, edited); err != nil {
		t.Fatal(err)
	}
	if got := doneAt(edited); got != "2026-10-20T07:00" {
		t.Errorf("done_at after an edit %q, want 2026-10-20T07:00", got)
	}
	// November: a walk outside Centrum with two measures, one held 00:30 on
	// 1 November (23:30 UTC on 31 October) whose route crosses Centrum, one
	// still planned.
	nov := newWalk(planner, map[string]any{"municipality": "1781", "title": "Novembervandring", "starts_at": "2026-11-18T18:00:00+01:00"}, true)
	measure(planner, nov, "2026-11-25", "", "")                              // due after the clock: not overdue yet
	measure(planner, nov, "2026-11-19", "done", "2026-11-19T12:00:00+01:00") // done before its due date
	newWalk(planner, map[string]any{"municipality": "1781", "title": "Nattvandring", "starts_at": "2026-10-31T23:30:00Z",
		"route": []map[string]float64{{"lat": 59.305, "lon": 14.095}, {"lat": 59.305, "lon": 14.115}}}, true)
	newWalk(planner, map[string]any{"municipality": "1781", "title": "Decembervandring", "starts_at": "2026-11-26T18:00:00+01:00"}, false)
	// Filipstad's walk and overdue measure never count for Kristinehamn.
	fp := []string{"Authorization", "Bearer " + ts.token(auth.Planner, "1782")}
	fpWalk := newWalk(fp, map[string]any{"municipality": "1782", "title": "Filipstad", "starts_at": "2026-11-02T18:00:00+01:00"}, true)
	measure(fp, fpWalk, "2026-11-03", "", "")
	// Reopening forgets when a measure was done; done again, it is done now.
	reopened := measure(fp, fpWalk, "", "done", "2026-11-04T12:00:00+01:00")
	patchMeasure(fp, fpWalk, reopened, map[string]any{"status": "in_progress"})
	if got := doneAt(reopened); got != "" {
		t.Errorf("done_at of a reopened measure %q, want none", got)
	}
	patchMeasure(fp, fpWalk, reopened, map[string]any{"status": "done"})
	if got := doneAt(reopened); got == "" || got == "2026-11-04T11:00" {
		t.Errorf("done_at of a measure done again %q, want the time of the change", got)
	}

	cases := []struct {
		period, area string
		want         lbWalks
	}{
		// At October's end (1 November 00:00): the one done later and the one in progress were overdue.
		{"2026-10", "", lbWalks{true, 1, 0, 6, 1, 2}},
		// November is running: judged at 20 November, the measure due 25 November is not overdue.
		{"2026-11", "", lbWalks{true, 2, 1, 2, 2, 2}},
		{"2026-W47", "", lbWalks{true, 1, 0, 2, 1, 2}},
		{"2026-W44", "", lbWalks{true, 1, 0, 0, 0, 2}}, // 26 Oct–1 Nov: the night walk, overdue at its end
		{"2026-Q4", "", lbWalks{true, 3, 1, 8, 3, 2}},
		{"2026-10-01..2026-10-31", "", lbWalks{true, 1, 0, 6, 1, 2}},
		{"2025-Q4", "", lbWalks{true, 0, 0, 0, 0, 0}},
		// Centrum: October's walk is recorded for it, the night walk's route enters it.
		{"2026-10", areaID, lbWalks{true, 1, 0, 6, 1, 2}},
		{"2026-11", areaID, lbWalks{true, 1, 0, 0, 1, 2}},
	}
	for _, c := range cases {
		t.Run(c.period+c.area, func(t *testing.T) {
			q := "/v1/lagesbild?municipality=1781&period=" + c.period
			if c.area != "" {
				q += "&area=" + c.area
			}
			w := ts.do(http.MethodGet, q, nil, "Authorization", "Bearer "+tok)
			if w.Code != 200 {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			if got := decode[struct{ Walks lbWalks }](t, w).Walks; got != c.want {
				t.Errorf("walks %+v, want %+v", got, c.want)
			}
		})
	}
	// The CSV section and the printed page carry the same figures.
	w := ts.do(http.MethodGet, "/v1/lagesbild?municipality=1781&period=2026-11&format=csv&section=walks", nil, "Authorization", "Bearer "+tok)
	recs, err := csv.NewReader(w.Body).ReadAll()
	if err != nil || len(recs) != 2 || strings.Join(recs[1], ",") != "true,2,1,2,2,2" {
		t.Errorf("walks csv %d %v %v", w.Code, recs, err)
	}
}
