package httpapi

import (
	"context"
	"net/http"
	"testing"

	"github.com/trygg/trygg/internal/auth"
)

type promiseBody struct {
	ID          string
	Title       string
	SignedOn    *string `json:"signed_on"`
	ValidTo     string  `json:"valid_to"`
	Version     int
	Commitments []struct {
		ID, Text, Responsible string
		Indicators            []struct{ ID, Kind, Label string }
	}
}

func TestPromiseUpdate(t *testing.T) {
	ts := newTestServer(t, nil)
	tok := ts.token(auth.Analyst, "1781")
	auth_ := []string{"Authorization", "Bearer " + tok}
	with := func(etag string) []string { return append([]string{"If-Match", etag}, auth_...) }
	w := ts.do(http.MethodPost, "/v1/staff/promises", map[string]any{
		"municipality": "1781", "title": "Medborgarlöfte 2026", "signatories": []string{"Anna Andersson"}, "signed_on": "2026-01-10",
		"valid_from": "2026-01-01", "valid_to": "2026-12-31",
		"commitments": []any{
			map[string]any{"text": "Trygghetsvandringar", "responsible": "kommunen", "indicators": []any{
				map[string]any{"kind": "activity_count", "label": "Vandringar", "params": map[string]any{"activity_type": "trygghetsvandring", "per_year": 2}}}},
			map[string]any{"text": "Grannsamverkan", "responsible": "both"},
		}}, auth_...)
	if w.Code != 201 || w.Header().Get("ETag") != `"1"` {
		t.Fatalf("create %d %q %s", w.Code, w.Header().Get("ETag"), w.Body)
	}
	pr := decode[promiseBody](t, w)
	base := "/v1/staff/promises/" + pr.ID
	// An activity on the second commitment must survive edits of the promise.
	if w := ts.do(http.MethodPost, base+"/activities", map[string]any{"commitment_id": pr.Commitments[1].ID, "occurred_on": "2026-03-01", "type": "grannsamverkan"}, auth_...); w.Code != 201 {
		t.Fatalf("activity %d %s", w.Code, w.Body)
	}
	if w := ts.do(http.MethodGet, base, nil, auth_...); w.Header().Get("ETag") != `"1"` {
		t.Errorf("GET ETag %q", w.Header().Get("ETag"))
	}
	fingerprint := func() string {
		var s string
		if err := ts.db.Pool.QueryRow(context.Background(), `
SELECT p.title || p.version || p.valid_to || coalesce(p.signed_on::text, '-') || (SELECT string_agg(c.text || c.responsible || c.position, ',' ORDER BY c.position) FROM commitments c WHERE c.promise_id = p.id)
       || (SELECT count(*) FROM indicators i JOIN commitments c ON c.id = i.commitment_id WHERE c.promise_id = p.id)
       || (SELECT count(*) FROM activities a JOIN commitments c ON c.id = a.commitment_id WHERE c.promise_id = p.id)
FROM promises p WHERE p.id = $1`, pr.ID).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	// Refusals change nothing.
	before := fingerprint()
	refused := []struct {
		name   string
		method string
		path   string
		body   any
		hdr    []string
		want   int
	}{
		{"no If-Match", "PATCH", base, map[string]any{"title": "X"}, auth_, 428},
		{"malformed If-Match", "PATCH", base, map[string]any{"title": "X"}, with("1"), 400},
		{"stale", "PATCH", base, map[string]any{"title": "X"}, with(`"7"`), 412},
		{"empty title", "PATCH", base, map[string]any{"title": " "}, with(`"1"`), 400},
		{"valid_to before valid_from", "PATCH", base, map[string]any{"valid_to": "2025-06-30"}, with(`"1"`), 400},
		{"bad date", "PATCH", base, map[string]any{"valid_to": "31/12/2026"}, with(`"1"`), 400},
		{"municipality", "PATCH", base, map[string]any{"municipality": "1782"}, with(`"1"`), 400},
		{"commitments", "PATCH", base, map[string]any{"commitments": []any{}}, with(`"1"`), 400},
		{"unknown field", "PATCH", base, map[string]any{"colour": "red"}, with(`"1"`), 400},
		{"null title", "PATCH", base, map[string]any{"title": nil}, with(`"1"`), 400},
		{"other municipality", "PATCH", base, map[string]any{"title": "X"}, []string{"If-Match", `"1"`, "Authorization", "Bearer " + ts.token(auth.Analyst, "1782")}, 404},
		{"planner", "PATCH", base, map[string]any{"title": "X"}, []string{"If-Match", `"1"`, "Authorization", "Bearer " + ts.token(auth.Planner, "1781")}, 403},
		{"commitment: bad responsible", "PATCH", base + "/commitments/" + pr.Commitments[0].ID, map[string]any{"responsible": "nobody"}, with(`"1"`), 400},
		{"commitment: other without name", "PATCH", base + "/commitments/" + pr.Commitments[0].ID, map[string]any{"responsible": "other"}, with(`"1"`), 400},
		{"commitment: bad indicator", "PATCH", base + "/commitments/" + pr.Commitments[0].ID, map[string]any{"indicators": []any{map[string]any{"kind": "activity_count", "label": "x", "params": map[string]any{}}}}, with(`"1"`), 400},
		{"commitment: stale", "PATCH", base + "/commitments/" + pr.Commitments[0].ID, map[string]any{"text": "Y"}, with(`"2"`), 412},
		{"commitment: unknown", "PATCH", base + "/commitments/" + pr.ID, map[string]any{"text": "Y"}, with(`"1"`), 404},
		{"commitment delete: stale", "DELETE", base + "/commitments/" + pr.Commitments[0].ID, nil, with(`"3"`), 412},
		{"commitment delete: no If-Match", "DELETE", base + "/commitments/" + pr.Commitments[0].ID, nil, auth_, 428},
		{"commitment add: invalid", "POST", base + "/commitments", map[string]any{"text": "", "responsible": "both"}, with(`"1"`), 400},
	}
	for _, r := range refused {
		if w := ts.do(r.method, r.path, r.body, r.hdr...); w.Code != r.want {
			t.Errorf("%s: %d, want %d: %s", r.name, w.Code, r.want, w.Body)
		}
	}
	if after := fingerprint(); after != before {
		t.Fatalf("a refused write changed the promise: %s → %s", before, after)
	}

	// A patch of the promise's fields; signed_on can be cleared.
	w = ts.do(http.MethodPatch, base, map[string]any{"title": "Medborgarlöfte 2026–2027", "valid_to": "2027-12-31", "signed_on": nil}, with(`"1"`)...)
	if w.Code != 200 || w.Header().Get("ETag") != `"2"` {
		t.Fatalf("patch %d %q %s", w.Code, w.Header().Get("ETag"), w.Body)
	}
	pr = decode[promiseBody](t, w)
	if pr.Title != "Medborgarlöfte 2026–2027" || pr.ValidTo != "2027-12-31" || pr.SignedOn != nil || pr.Version != 2 || len(pr.Commitments) != 2 {
		t.Errorf("patched %+v", pr)
	}
	// The old ETag is now stale.
	if w := ts.do(http.MethodPatch, base, map[string]any{"title": "Lost update"}, with(`"1"`)...); w.Code != 412 {
		t.Errorf("second write with the old ETag: %d", w.Code)
	}
	// A commitment: new text, responsible and indicators; it keeps its id.
	w = ts.do(http.MethodPatch, base+"/commitments/"+pr.Commitments[0].ID, map[string]any{
		"text": "Minst tre trygghetsvandringar", "responsible": "both",
		"indicators": []any{map[string]any{"kind": "activity_count", "label": "Vandringar", "params": map[string]any{"activity_type": "trygghetsvandring", "per_year": 3}}}}, with(`"2"`)...)
	if w.Code != 200 || w.Header().Get("ETag") != `"3"` {
		t.Fatalf("patch commitment %d %s", w.Code, w.Body)
	}
	p3 := decode[promiseBody](t, w)
	if p3.Commitments[0].ID != pr.Commitments[0].ID || p3.Commitments[0].Text != "Minst tre trygghetsvandringar" || p3.Commitments[0].Responsible != "both" || len(p3.Commitments[0].Indicators) != 1 {
		t.Errorf("commitment %+v", p3.Commitments[0])
	}
	// Add a third, delete the first; the second keeps its activity.
	w = ts.do(http.MethodPost, base+"/commitments", map[string]any{"text": "Dialog med unga", "responsible": "polisen"}, with(`"3"`)...)
	if w.Code != 201 || w.Header().Get("ETag") != `"4"` {
		t.Fatalf("add commitment %d %s", w.Code, w.Body)
	}
	p4 := decode[promiseBody](t, w)
	if len(p4.Commitments) != 3 || p4.Commitments[2].Text != "Dialog med unga" || p4.Commitments[2].ID == "" {
		t.Fatalf("after add %+v", p4.Commitments)
	}
	w = ts.do(http.MethodDelete, base+"/commitments/"+pr.Commitments[0].ID, nil, with(`"4"`)...)
	if w.Code != 204 || w.Header().Get("ETag") != `"5"` {
		t.Fatalf("delete commitment %d %s", w.Code, w.Body)
	}
	got := decode[promiseBody](t, ts.do(http.MethodGet, base, nil, auth_...))
	if len(got.Commitments) != 2 || got.Commitments[0].ID != pr.Commitments[1].ID || got.Commitments[1].Text != "Dialog med unga" || got.Version != 5 {
		t.Errorf("after delete %+v", got)
	}
	acts := decode[struct {
		Activities []struct {
			CommitmentID string `json:"commitment_id"`
		}
	}](t, ts.do(http.MethodGet, base+"/activities", nil, auth_...))
	if len(acts.Activities) != 1 || acts.Activities[0].CommitmentID != pr.Commitments[1].ID {
		t.Errorf("activities %+v", acts)
	}
	// The last commitment cannot go.
	ts.do(http.MethodDelete, base+"/commitments/"+got.Commitments[1].ID, nil, with(`"5"`)...)
	if w := ts.do(http.MethodDelete, base+"/commitments/"+got.Commitments[0].ID, nil, with(`"6"`)...); w.Code != 409 {
		t.Errorf("deleting the only commitment: %d %s", w.Code, w.Body)
	}
}
