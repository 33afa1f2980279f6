package httpapi

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/auth"
)

type progressBody struct {
	Status      string
	Commitments []struct {
		ID, Text, Status string
		Indicators       []struct {
			Kind, Label, Status, Target, How string
			Value                            *float64
		}
	}
}

func TestPromiseProgressEachIndicatorType(t *testing.T) {
	ts := newTestServer(t, nil) // now is 2026-11-20
	tok := ts.token(auth.Analyst, "1781")
	ind := func(kind, label string, params map[string]any) map[string]any {
		return map[string]any{"kind": kind, "label": label, "params": params}
	}
	com := func(text, resp string, inds ...map[string]any) map[string]any {
		return map[string]any{"text": text, "responsible": resp, "indicators": inds}
	}
	body := map[string]any{
		"municipality": "1781", "title": "Medborgarlöfte Kristinehamn 2025–2026",
		"partners": []string{"Kristinehamns kommun", "Lokalpolisområde Karlstad"}, "signatories": []string{"Anna Andersson", "Bertil Berg"},
		"signed_on": "2025-01-15", "valid_from": "2025-01-01", "valid_to": "2026-12-31", "follow_up": "Första kvartalet varje år",
		"commitments": []any{
			com("Grannsamverkan träffas minst två gånger per år.", "both", ind("activity_count", "Träffar", map[string]any{"activity_type": "grannsamverkan", "per_year": 2})),
			com("Minst två trygghetsvandringar per år.", "kommunen", ind("activity_count", "Vandringar", map[string]any{"activity_type": "trygghetsvandring", "per_year": 2})),
			com("Dialogmöten med unga.", "polisen", ind("activity_count", "Dialoger", map[string]any{"activity_type": "dialog", "per_year": 1})),
			com("Färre anmälningar om grupper som stör.", "polisen", ind("report_count", "OTR.SOC", map[string]any{"categories": []string{"OTR.SOC"}, "baseline": "2025-Q1", "current": "2025-Q2", "direction": "decrease", "change": 10})),
			com("Färre stölder.", "polisen", ind("event_count", "Stöld", map[string]any{"event_types": []string{"Stöld"}, "baseline": "2026-Q3", "current": "2026-Q4", "direction": "decrease", "change": 10})),
			com("Fler känner sig trygga.", "both", ind("survey_value", "Trygg kvällstid", map[string]any{"survey_indicator": "trygg_kvall", "baseline_year": 2024, "current_year": 2025, "direction": "increase", "change": 2})),
		},
	}
	if w := ts.do(http.MethodPost, "/v1/staff/promises", body, "Authorization", "Bearer "+ts.token(auth.Planner, "1781")); w.Code != 403 {
		t.Fatalf("planner creates promises: %d", w.Code)
	}
	w := ts.do(http.MethodPost, "/v1/staff/promises", body, "Authorization", "Bearer "+tok)
	if w.Code != 201 {
		t.Fatalf("create %d %s", w.Code, w.Body)
	}
	created := decode[struct {
		ID          string
		Commitments []struct{ ID string }
	}](t, w)
	log := func(c int, on, typ string) {
		w := ts.do(http.MethodPost, "/v1/staff/promises/"+created.ID+"/activities",
			map[string]any{"commitment_id": created.Commitments[c].ID, "occurred_on": on, "type": typ, "description": "Träff", "who": "Cecilia Carlsson"}, "Authorization", "Bearer "+tok)
		if w.Code != 201 {
			t.Fatalf("log %d %s", w.Code, w.Body)
		}
	}
	log(0, "2025-03-10", "grannsamverkan")
	log(0, "2025-10-01", "grannsamverkan")
	log(0, "2026-04-01", "grannsamverkan")
	log(0, "2026-09-01", "grannsamverkan")
	log(1, "2025-05-01", "trygghetsvandring")
	ctx := context.Background()
	// One more walk in 2025 and two in 2026 come from the walk records.
	for _, at := range []string{"2025-10-01 18:00+02", "2026-04-20 18:00+02", "2026-10-12 18:00+02"} {
		if _, err := ts.db.Pool.Exec(ctx, `INSERT INTO walks (id, municipality_code, title, starts_at, status, created_by) VALUES ($1, '1781', 'Vandring', $2, 'held', 'test')`, uuid.New(), at); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 4; i++ {
		ts.seedReport("OTR.SOC.GATHER", 14.105, 59.305, "2025-02-1"+string(rune('0'+i))+" 20:00", "received", "")
	}
	ts.seedReport("OTR.SOC.INTOX", 14.105, 59.305, "2025-05-01 20:00", "received", "")
	ts.seedReport("OTR.SOC.GATHER", 14.105, 59.305, "2025-05-02 20:00", "received", "")
	if _, err := ts.db.Pool.Exec(ctx, `INSERT INTO surveys (municipality_code, year, indicator, value, n) VALUES ('1781', 2024, 'trygg_kvall', 60, 800), ('1781', 2025, 'trygg_kvall', 61, 750)`); err != nil {
		t.Fatal(err)
	}

	w = ts.do(http.MethodGet, "/v1/promises/"+created.ID+"/progress", nil)
	if w.Code != 200 {
		t.Fatalf("progress %d %s", w.Code, w.Body)
	}
	p := decode[progressBody](t, w)
	want := []struct {
		status string
		value  float64
	}{
		{"fulfilled", 4},           // 2 in 2025, 2 so far in 2026
		{"fulfilled", 4},           // 1 logged + 1 walk record in 2025, 2 walk records in 2026
		{"not_fulfilled", 0},       // no dialogue in 2025
		{"fulfilled", -1},          // 4 → 2 reports: −50 %; 2 is too few to show publicly
		{"not_yet_measurable", -1}, // 2026-Q4 has not ended
		{"partly", 61},             // +1 point of the 2 wanted
	}
	for i, c := range p.Commitments {
		got := c.Indicators[0]
		if got.Status != want[i].status || (want[i].value >= 0 && (got.Value == nil || *got.Value != want[i].value)) || got.How == "" {
			t.Errorf("commitment %d (%s): %s value %v, want %s %v; %s", i+1, got.Kind, got.Status, got.Value, want[i].status, want[i].value, got.How)
		}
	}
	if p.Status != "partly" {
		t.Errorf("overall %s", p.Status)
	}

	w = ts.do(http.MethodGet, "/v1/public/promises?municipality=1781", nil)
	if w.Code != 200 || !strings.Contains(w.Body.String(), "Grannsamverkan träffas") {
		t.Fatalf("public %d %s", w.Code, w.Body)
	}
	for _, personal := range []string{"Anna Andersson", "Cecilia Carlsson", "Namnsson"} {
		if strings.Contains(w.Body.String(), personal) {
			t.Errorf("public promises contain %q", personal)
		}
	}
	other := ts.token(auth.Analyst, "1782")
	if w := ts.do(http.MethodGet, "/v1/staff/promises/"+created.ID, nil, "Authorization", "Bearer "+other); w.Code != 404 {
		t.Errorf("other municipality reads the promise: %d", w.Code)
	}
	if w := ts.do(http.MethodGet, "/v1/staff/promises/"+created.ID+"/activities", nil, "Authorization", "Bearer "+tok); w.Code != 200 || strings.Count(w.Body.String(), `"commitment_id"`) != 5 {
		t.Errorf("activities %d %s", w.Code, w.Body)
	}
	// The lägesbild of a period within the promise carries its progress.
	w = ts.do(http.MethodGet, "/v1/lagesbild?municipality=1781&period=2026-Q3", nil, "Authorization", "Bearer "+tok)
	if !strings.Contains(w.Body.String(), `"promises":[{`) {
		t.Errorf("lägesbild lacks promises: %s", w.Body)
	}
	if w := ts.do(http.MethodDelete, "/v1/staff/promises/"+created.ID, nil, "Authorization", "Bearer "+tok); w.Code != 204 || ts.count("activities") != 0 {
		t.Errorf("delete %d", w.Code)
	}
}

func TestPromiseValidation(t *testing.T) {
	ts := newTestServer(t, nil)
	tok := ts.token(auth.Analyst, "1781")
	base := func() map[string]any {
		return map[string]any{"municipality": "1781", "title": "Löfte", "valid_from": "2026-01-01", "valid_to": "2026-12-31",
			"commitments": []any{map[string]any{"text": "Något", "responsible": "kommunen"}}}
	}
	cases := map[string]func(m map[string]any){
		"ends before it starts": func(m map[string]any) { m["valid_to"] = "2025-12-31" },
		"other without a name":  func(m map[string]any) { m["commitments"] = []any{map[string]any{"text": "x", "responsible": "other"}} },
		"indicator without target": func(m map[string]any) {
			m["commitments"] = []any{map[string]any{"text": "x", "responsible": "both", "indicators": []any{map[string]any{"kind": "activity_count", "label": "x", "params": map[string]any{}}}}}
		},
		"other municipality": func(m map[string]any) { m["municipality"] = "1782" },
	}
	for name, change := range cases {
		m := base()
		change(m)
		if w := ts.do(http.MethodPost, "/v1/staff/promises", m, "Authorization", "Bearer "+tok); w.Code != 400 && w.Code != 403 {
			t.Errorf("%s: %d", name, w.Code)
		}
	}
	if n := ts.count("promises"); n != 0 {
		t.Errorf("%d promises stored", n)
	}
}
