package httpapi

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/report"
)

type duplicatesBody struct {
	RadiusM       int                         `json:"radius_m"`
	SearchRadiusM int                         `json:"search_radius_m"`
	Candidates    []report.DuplicateCandidate `json:"candidates"`
}

func TestStaffDuplicateSuggestions(t *testing.T) {
	ts := newTestServer(t, nil)
	day := ts.now.Add(-48 * time.Hour)
	target, _ := ts.dupSeed(dupReport{observed: day, description: "Gatlampan är trasig", visibility: report.Pending})
	sameLamp, _ := ts.dupSeed(dupReport{east: 3, north: 4, observed: day.Add(24 * time.Hour), description: "Trasig gatlampa"})
	pothole, _ := ts.dupSeed(dupReport{category: "FEL.ROAD", east: 5, observed: day.Add(24 * time.Hour)})
	hidden, _ := ts.dupSeed(dupReport{east: 20, observed: day, visibility: report.Hidden, status: report.Rejected})
	ts.dupSeed(dupReport{north: 200, observed: day})                           // too far
	ts.dupSeed(dupReport{east: 2, observed: day.Add(-40 * 24 * time.Hour)})    // too long ago
	ts.dupSeed(dupReport{east: 2, observed: day, status: report.Duplicate})    // merged away
	ts.dupSeed(dupReport{category: "OTR.PLACE.LIGHT", observed: day, east: 1}) // other kind
	caseworker := ts.token(auth.Caseworker, "1781")

	w := ts.do(http.MethodGet, "/v1/staff/reports/"+target.String()+"/duplicates", nil, "Authorization", "Bearer "+caseworker)
	if w.Code != http.StatusOK {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	got := decode[duplicatesBody](t, w)
	if got.RadiusM != 30 || got.SearchRadiusM != 60 {
		t.Errorf("radius %d, search %d", got.RadiusM, got.SearchRadiusM)
	}
	var order []uuid.UUID
	for _, c := range got.Candidates {
		order = append(order, c.ID)
	}
	// same lamp 5 m apart next day, then the rejected lamp 20 m away the same
	// day, then the pothole (another category) last.
	want := []uuid.UUID{sameLamp, hidden, pothole}
	if len(order) != len(want) {
		t.Fatalf("candidates %v, want %v", got.Candidates, want)
	}
	for i := range want {
		if order[i] != want[i] {
			t.Fatalf("candidate %d is %v, want %v (%+v)", i, order[i], want[i], got.Candidates)
		}
	}
	best := got.Candidates[0]
	if best.Score < 0.7 || best.CategoryMatch != "same" || best.DistanceM != 5 || best.DaysApart != 1 || best.TextSimilarity == nil {
		t.Errorf("best candidate %+v", best)
	}
	if low := got.Candidates[2]; low.Score > 0.2 || low.CategoryMatch != "other" {
		t.Errorf("pothole scored %+v", low)
	}

	for _, tt := range []struct {
		name  string
		token string
		want  int
	}{
		{"other municipality", ts.token(auth.Caseworker, "1782"), http.StatusNotFound},
		{"analyst may not read reports", ts.token(auth.Analyst, "1781"), http.StatusForbidden},
		{"no token", "", http.StatusUnauthorized},
	} {
		w := ts.do(http.MethodGet, "/v1/staff/reports/"+target.String()+"/duplicates", nil, "Authorization", "Bearer "+tt.token)
		if w.Code != tt.want {
			t.Errorf("%s: %d %s", tt.name, w.Code, w.Body)
		}
	}
}

// confirmAs posts one confirmation from device.
func (ts *testServer) confirmAs(id uuid.UUID, device string) {
	ts.t.Helper()
	w := ts.do(http.MethodPost, confirmPath(id), nil, "Idempotency-Key", "key-"+device+"-"+id.String()[:8], "X-Device-Id", device)
	if w.Code != http.StatusCreated {
		ts.t.Fatalf("confirm %s as %s: %d %s", id, device, w.Code, w.Body)
	}
}

func TestMergeMovesConfirmationsAndUnmergeRestoresThem(t *testing.T) {
	ts := newTestServer(t, nil)
	kept, _ := ts.dupSeed(dupReport{status: report.InProgress})
	dup, _ := ts.dupSeed(dupReport{east: 4, status: report.Triaged})
	ts.confirmAs(kept, "phone-1")
	ts.confirmAs(kept, "phone-2")
	ts.confirmAs(dup, "phone-2") // confirmed both: must count once
	ts.confirmAs(dup, "phone-3")
	tok := ts.token(auth.Caseworker, "1781")
	bearer := "Bearer " + tok

	w := ts.do(http.MethodPost, "/v1/staff/reports/"+dup.String()+"/merge", map[string]any{"into": kept}, "Authorization", bearer)
	if w.Code != http.StatusOK {
		t.Fatalf("merge: %d %s", w.Code, w.Body)
	}
	if count, rows, _ := ts.confirmations(kept); count != 3 || rows != 3 {
		t.Fatalf("kept after merge: count %d rows %d, want 3 (phone-3 moved, phone-2 once)", count, rows)
	}
	if count, rows, _ := ts.confirmations(dup); count != 1 || rows != 1 {
		t.Fatalf("duplicate after merge: count %d rows %d, want phone-2's own left", count, rows)
	}
	// A merged report is no longer confirmable, and not listed nearby.
	w = ts.do(http.MethodPost, confirmPath(dup), nil, "Idempotency-Key", "after-merge-01", "X-Device-Id", "phone-9")
	if w.Code != http.StatusConflict {
		t.Fatalf("confirm a merged report: %d %s", w.Code, w.Body)
	}

	w = ts.do(http.MethodPost, "/v1/staff/reports/"+dup.String()+"/unmerge", nil, "Authorization", bearer)
	if w.Code != http.StatusOK {
		t.Fatalf("unmerge: %d %s", w.Code, w.Body)
	}
	d := decode[report.Detail](t, w)
	if d.Status != report.Triaged || d.DuplicateOf != nil || d.Confirmations != 2 {
		t.Fatalf("after unmerge: status %s duplicate_of %v confirmations %d", d.Status, d.DuplicateOf, d.Confirmations)
	}
	if count, rows, _ := ts.confirmations(kept); count != 2 || rows != 2 {
		t.Fatalf("kept after unmerge: count %d rows %d, want 2", count, rows)
	}
	var events int
	if err := ts.db.Pool.QueryRow(context.Background(),
		`SELECT count(*) FROM report_events WHERE type = 'unmerged' AND report_id IN ($1, $2)`, kept, dup).Scan(&events); err != nil || events != 2 {
		t.Fatalf("%d unmerged events (%v), want one on each report", events, err)
	}
	w = ts.do(http.MethodPost, "/v1/staff/reports/"+dup.String()+"/unmerge", nil, "Authorization", bearer)
	if w.Code != http.StatusConflict {
		t.Fatalf("second unmerge: %d %s", w.Code, w.Body)
	}
	// Merge again and undo again: the counts come back each time.
	if w := ts.do(http.MethodPost, "/v1/staff/reports/"+dup.String()+"/merge", map[string]any{"into": kept}, "Authorization", bearer); w.Code != http.StatusOK {
		t.Fatalf("merge again: %d %s", w.Code, w.Body)
	}
	if w := ts.do(http.MethodPost, "/v1/staff/reports/"+dup.String()+"/unmerge", nil, "Authorization", bearer); w.Code != http.StatusOK {
		t.Fatalf("unmerge again: %d %s", w.Code, w.Body)
	}
	if k, _, _ := ts.confirmations(kept); k != 2 {
		t.Fatalf("kept %d after the second round", k)
	}
	if d, _, _ := ts.confirmations(dup); d != 2 {
		t.Fatalf("duplicate %d after the second round", d)
	}
	analyst := ts.token(auth.Analyst, "1781")
	if w := ts.do(http.MethodPost, "/v1/staff/reports/"+dup.String()+"/unmerge", nil, "Authorization", "Bearer "+analyst); w.Code != http.StatusForbidden {
		t.Fatalf("analyst unmerge: %d", w.Code)
	}
}

// X merged into A, then A into B: un-merging X brings its confirmations back
// from B, and un-merging A then brings A's own back.
func TestUnmergeAfterAChainOfMerges(t *testing.T) {
	ts := newTestServer(t, nil)
	x, _ := ts.dupSeed(dupReport{east: 2})
	a, _ := ts.dupSeed(dupReport{east: 4})
	b, _ := ts.dupSeed(dupReport{east: 6})
	ts.confirmAs(x, "phone-x1")
	ts.confirmAs(x, "phone-x2")
	ts.confirmAs(a, "phone-a1")
	ts.confirmAs(b, "phone-b1")
	bearer := "Bearer " + ts.token(auth.Caseworker, "1781")
	step := func(path string, body any) {
		t.Helper()
		if w := ts.do(http.MethodPost, path, body, "Authorization", bearer); w.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", path, w.Code, w.Body)
		}
	}
	counts := func() [3]int {
		var c [3]int
		for i, id := range []uuid.UUID{x, a, b} {
			count, rows, _ := ts.confirmations(id)
			if count != rows {
				t.Fatalf("report %d: count %d but %d rows", i, count, rows)
			}
			c[i] = count
		}
		return c
	}
	step("/v1/staff/reports/"+x.String()+"/merge", map[string]any{"into": a})
	if got := counts(); got != [3]int{0, 3, 1} {
		t.Fatalf("after x→a: %v", got)
	}
	step("/v1/staff/reports/"+a.String()+"/merge", map[string]any{"into": b})
	if got := counts(); got != [3]int{0, 0, 4} {
		t.Fatalf("after a→b: %v", got)
	}
	step("/v1/staff/reports/"+x.String()+"/unmerge", nil)
	if got := counts(); got != [3]int{2, 0, 2} {
		t.Fatalf("after un-merging x: %v", got)
	}
	step("/v1/staff/reports/"+a.String()+"/unmerge", nil)
	if got := counts(); got != [3]int{2, 1, 1} {
		t.Fatalf("after un-merging a: %v", got)
	}
	if w := ts.do(http.MethodPost, "/v1/staff/reports/"+x.String()+"/unmerge", nil, "Authorization", "Bearer "+ts.token(auth.Caseworker, "1782")); w.Code != http.StatusNotFound {
		t.Fatalf("unmerge from another municipality: %d", w.Code)
	}
}
