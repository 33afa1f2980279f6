package httpapi

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/auth"
)

// TestPromiseIndicatorsEveryStatus computes every indicator type into every
// status it can reach, from fixed data: logged activities and walk records,
// reports (by category set and area, duplicates left out), events (only exact
// ones inside an area) and survey results (municipality or area). The clock is
// 2026-11-20 18:00 UTC.
func TestPromiseIndicatorsEveryStatus(t *testing.T) {
	ts := newTestServer(t, nil)
	ctx := context.Background()
	tok := ts.token(auth.Analyst, "1781")
	bearer := []string{"Authorization", "Bearer " + tok}
	w := ts.do(http.MethodPost, "/v1/staff/areas", map[string]any{"municipality": "1781", "kind": "utsatt_omrade", "name": "Centrum", "priority": true, "geometry": square(14.10, 59.30, 0.01)}, bearer...)
	if w.Code != 201 {
		t.Fatalf("area %d %s", w.Code, w.Body)
	}
	areaID := decode[struct{ ID string }](t, w).ID
	in, out := [2]float64{14.105, 59.305}, [2]float64{14.13, 59.32}

	type ind struct {
		name, kind string
		params     map[string]any
		status     string
		value      float64 // -1: no value; -2: any
	}
	act := func(typ string, per int) map[string]any { return map[string]any{"activity_type": typ, "per_year": per} }
	outcome := func(key string, set []string, area bool, base, cur, dir string, change float64) map[string]any {
		m := map[string]any{key: set, "baseline": base, "current": cur, "direction": dir, "change": change}
		if area {
			m["area"] = areaID
		}
		return m
	}
	survey := func(name string, area bool, from, to int, dir string, change float64) map[string]any {
		m := map[string]any{"survey_indicator": name, "baseline_year": from, "current_year": to, "direction": dir, "change": change}
		if area {
			m["area"] = areaID
		}
		return m
	}
	inds := []ind{
		{"activity fulfilled", "activity_count", act("grannsamverkan", 2), "fulfilled", 4},
		{"activity partly", "activity_count", act("medborgardialog", 2), "partly", 3},
		{"activity not fulfilled", "activity_count", act("dialog", 1), "not_fulfilled", 0},
		{"walks from records", "activity_count", act("trygghetsvandring", 2), "fulfilled", 4},
		{"reports fulfilled", "report_count", outcome("categories", []string{"OTR.SOC"}, true, "2025-Q1", "2025-Q2", "decrease", 10), "fulfilled", 4},
		{"reports partly", "report_count", outcome("categories", []string{"OTR.PLACE", "OTR.FIRE"}, false, "2025-Q3", "2025-Q4", "decrease", 50), "partly", 6},
		{"reports not fulfilled", "report_count", outcome("categories", []string{"OTR.SOC.INTOX"}, false, "2025-01", "2025-02", "decrease", 10), "not_fulfilled", 5},
		{"reports running", "report_count", outcome("categories", []string{"OTR"}, false, "2025-Q4", "2026-Q4", "decrease", 10), "not_yet_measurable", -1},
		{"reports from nothing", "report_count", outcome("categories", []string{"FEL.LIGHT"}, false, "2024", "2025", "decrease", 10), "not_yet_measurable", -2},
		{"events fulfilled", "event_count", outcome("event_types", []string{"Stöld"}, false, "2025-Q1", "2025-Q2", "decrease", 10), "fulfilled", 3},
		{"exact events in the area partly", "event_count", outcome("event_types", []string{"Skadegörelse"}, true, "2025-Q1", "2025-Q2", "decrease", 50), "partly", 3},
		{"events not fulfilled", "event_count", outcome("event_types", []string{"Misshandel"}, false, "2025-Q1", "2025-Q2", "decrease", 10), "not_fulfilled", 4},
		{"events running", "event_count", outcome("event_types", []string{"Stöld"}, false, "2025-Q4", "2026-Q4", "decrease", 10), "not_yet_measurable", -1},
		{"survey fulfilled", "survey_value", survey("trygg_kvall", false, 2024, 2025, "increase", 2), "fulfilled", 63},
		{"survey partly", "survey_value", survey("trygg_dag", false, 2024, 2025, "increase", 2), "partly", 81},
		{"survey not fulfilled", "survey_value", survey("otrygg_park", false, 2024, 2025, "decrease", 2), "not_fulfilled", 22},
		{"survey of the area", "survey_value", survey("trygg_kvall", true, 2024, 2025, "increase", 3), "fulfilled", 55},
		{"survey not held yet", "survey_value", survey("trygg_kvall", false, 2025, 2026, "increase", 2), "not_yet_measurable", -1},
	}
	var commitments []any
	for _, i := range inds {
		commitments = append(commitments, map[string]any{"text": i.name, "responsible": "both",
			"indicators": []any{map[string]any{"kind": i.kind, "label": i.name, "params": i.params}}})
	}
	// A commitment with no indicator, and one whose two indicators disagree.
	commitments = append(commitments,
		map[string]any{"text": "Samverkan utan mått", "responsible": "other", "responsible_other": "Bostadsbolaget"},
		map[string]any{"text": "Blandat", "responsible": "kommunen", "indicators": []any{
			map[string]any{"kind": "activity_count", "label": "a", "params": act("grannsamverkan", 2)},
			map[string]any{"kind": "activity_count", "label": "b", "params": act("dialog", 1)}}})
	w = ts.do(http.MethodPost, "/v1/staff/promises", map[string]any{
		"municipality": "1781", "title": "Medborgarlöfte 2025–2026", "partners": []string{"Kristinehamns kommun", "Lokalpolisområde Karlstad"},
		"signatories": []string{"Anna Andersson"}, "signed_on": "2024-12-10", "valid_from": "2025-01-01", "valid_to": "2026-12-31",
		"problem_picture": "Otrygghet kring torget kvällstid.", "commitments": commitments,
	}, bearer...)
	if w.Code != 201 {
		t.Fatalf("create %d %s", w.Code, w.Body)
	}
	created := decode[struct {
		ID          string
		Commitments []struct{ ID string }
	}](t, w)
	// A second promise, begun this year, where nothing has been done yet.
	w = ts.do(http.MethodPost, "/v1/staff/promises", map[string]any{
		"municipality": "1781", "title": "Medborgarlöfte 2026–2027", "valid_from": "2026-01-01", "valid_to": "2027-12-31",
		"commitments": []any{map[string]any{"text": "Grannsamverkan", "responsible": "polisen",
			"indicators": []any{map[string]any{"kind": "activity_count", "label": "g", "params": act("grannsamverkan", 2)}}}},
	}, bearer...)
	if w.Code != 201 {
		t.Fatalf("create second %d %s", w.Code, w.Body)
	}
	second := decode[struct{ ID string }](t, w).ID

	logAct := func(c int, on, typ string, extra map[string]any) {
		t.Helper()
		body := map[string]any{"commitment_id": created.Commitments[c].ID, "occurred_on": on, "type": typ, "description": "Möte i Bergsgården", "who": "Cecilia Carlsson"}
		for k, v := range extra {
			body[k] = v
		}
		if w := ts.do(http.MethodPost, "/v1/staff/promises/"+created.ID+"/activities", body, bearer...); w.Code != 201 {
			t.Fatalf("log %d %s", w.Code, w.Body)
		}
	}
	for _, on := range []string{"2025-03-10", "2025-10-01", "2026-04-01", "2026-09-01"} {
		logAct(0, on, "grannsamverkan", nil)
	}
	logAct(0, "2024-12-31", "grannsamverkan", nil) // before the promise: not counted
	logAct(0, "2026-05-05", "dialog", nil)         // another type: not counted
	logAct(1, "2025-06-01", "medborgardialog", nil)
	logAct(1, "2026-02-01", "medborgardialog", map[string]any{"lat": 59.305, "lon": 14.105})
	logAct(1, "2026-03-01", "medborgardialog", map[string]any{"area": areaID})
	// Walks: 2025 has two held walks in the records (a planned one and
	// Filipstad's do not count); 2026 one held walk that is also logged as an
	// activity with its walk id (counted once) and one logged without a record.
	walk := func(muni, at, status string) string {
		id := uuid.New()
		if _, err := ts.db.Pool.Exec(ctx, `INSERT INTO walks (id, municipality_code, title, starts_at, status, created_by) VALUES ($1, $2, 'Vandring', $3, $4, 'test')`, id, muni, at, status); err != nil {
			t.Fatal(err)
		}
		return id.String()
	}
	walk("1781", "2025-04-10T18:00:00+02:00", "held")
	walk("1781", "2025-09-10T18:00:00+02:00", "followed_up")
	walk("1781", "2025-11-10T18:00:00+01:00", "planned")
	walk("1782", "2025-11-11T18:00:00+01:00", "held")
	logAct(3, "2026-05-20", "trygghetsvandring", map[string]any{"walk": walk("1781", "2026-05-20T18:00:00+02:00", "held")})
	logAct(3, "2026-10-01", "trygghetsvandring", nil)
	// Mixed indicators: grannsamverkan met, dialog not.
	for _, on := range []string{"2025-02-01", "2025-08-01", "2026-02-01", "2026-08-01"} {
		logAct(len(inds)+1, on, "grannsamverkan", nil)
	}

	report := func(cat string, at [2]float64, local, status string) {
		t.Helper()
		ts.seedReport(cat, at[0], at[1], local, status, "")
	}
	// OTR.SOC in Centrum: 8 in Q1 2025 (one outside, one a duplicate, both left out), 4 in Q2.
	for k := 0; k < 8; k++ {
		report("OTR.SOC.GATHER", in, fmt.Sprintf("2025-02-%02d 21:00", k+1), "received")
	}
	report("OTR.SOC.GATHER", out, "2025-02-20 21:00", "received")
	report("OTR.SOC.HARASS", in, "2025-03-20 21:00", "duplicate")
	for k := 0; k < 4; k++ {
		report("OTR.SOC.HARASS", in, fmt.Sprintf("2025-05-%02d 21:00", k+1), "received")
	}
	// OTR.PLACE and OTR.FIRE together: 8 → 6, −25 % of the −50 % wanted.
	for k := 0; k < 8; k++ {
		report([]string{"OTR.PLACE.LIGHT", "OTR.FIRE"}[k%2], out, fmt.Sprintf("2025-08-%02d 12:00", k+1), "received")
	}
	for k := 0; k < 6; k++ {
		report([]string{"OTR.PLACE.LIGHT", "OTR.FIRE"}[k%2], out, fmt.Sprintf("2025-11-%02d 12:00", k+1), "received")
	}
	// OTR.SOC.INTOX: 4 in January → 5 in February.
	for k := 0; k < 9; k++ {
		report("OTR.SOC.INTOX", out, fmt.Sprintf("2025-0%d-%02d 12:00", 1+min(k/4, 1), 10+k), "received")
	}
	// FEL.LIGHT: none in 2024, 3 in 2025.
	for k := 0; k < 3; k++ {
		report("FEL.LIGHT", out, fmt.Sprintf("2025-06-%02d 12:00", k+1), "received")
	}

	event := func(id, typ, at, precision string, p [2]float64) {
		t.Helper()
		_, err := ts.db.Pool.Exec(ctx, `INSERT INTO events (source, external_id, occurred_at, type, name, place_name, geom, precision, municipality_code)
VALUES ('test', $1, $2, $3, $3, 'Kristinehamn', ST_SetSRID(ST_MakePoint($4, $5), 4326), $6, '1781')`, id, at, typ, p[0], p[1], precision)
		if err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	events := func(typ, month string, k int, precision string, p [2]float64) {
		for range k {
			n++
			event(fmt.Sprint(n), typ, fmt.Sprintf("2025-%s-15T12:00:00+01:00", month), precision, p)
		}
	}
	events("Stöld", "02", 5, "municipality", in) // 5 → 3
	events("Stöld", "05", 3, "municipality", in)
	events("Skadegörelse", "02", 4, "exact", in) // 4 → 3 in Centrum
	events("Skadegörelse", "05", 3, "exact", in)
	events("Skadegörelse", "05", 5, "municipality", in) // the centroid falls in Centrum, but is no place
	events("Skadegörelse", "05", 2, "exact", out)
	events("Misshandel", "02", 3, "municipality", in) // 3 → 4
	events("Misshandel", "05", 4, "municipality", in)

	_, err := ts.db.Pool.Exec(ctx, `INSERT INTO surveys (municipality_code, area_id, year, indicator, value, n) VALUES
 ('1781', NULL, 2024, 'trygg_kvall', 60, 800), ('1781', NULL, 2025, 'trygg_kvall', 63, 750),
 ('1781', NULL, 2024, 'trygg_dag', 80, 800), ('1781', NULL, 2025, 'trygg_dag', 81, 750),
 ('1781', NULL, 2024, 'otrygg_park', 20, 800), ('1781', NULL, 2025, 'otrygg_park', 22, 750),
 ('1781', $1, 2024, 'trygg_kvall', 50, 120), ('1781', $1, 2025, 'trygg_kvall', 55, 110)`, areaID)
	if err != nil {
		t.Fatal(err)
	}

	w = ts.do(http.MethodGet, "/v1/staff/promises/"+created.ID, nil, bearer...)
	if w.Code != 200 {
		t.Fatalf("get %d", w.Code)
	}
	// The lägesbild carries the staff view of the progress, with all figures.
	lb := ts.do(http.MethodGet, "/v1/lagesbild?municipality=1781&period=2025", nil, bearer...)
	staff := decode[struct{ Promises []progressBody }](t, lb)
	if len(staff.Promises) != 1 {
		t.Fatalf("lägesbild 2025 carries %d promises", len(staff.Promises))
	}
	p := staff.Promises[0]
	for k, want := range inds {
		t.Run(want.name, func(t *testing.T) {
			c := p.Commitments[k]
			got := c.Indicators[0]
			valueOK := want.value == -2 || (want.value == -1 && got.Value == nil) || (got.Value != nil && *got.Value == want.value)
			if got.Status != want.status || c.Status != want.status || !valueOK || got.How == "" || got.Target == "" {
				t.Errorf("%s (value %v, target %q): %s, want %s %v", got.Status, deref(got.Value), got.Target, got.How, want.status, want.value)
			}
		})
	}
	if c := p.Commitments[len(inds)]; c.Status != "not_yet_measurable" || len(c.Indicators) != 0 {
		t.Errorf("commitment without indicators %+v", c)
	}
	if c := p.Commitments[len(inds)+1]; c.Status != "partly" || c.Indicators[0].Status != "fulfilled" || c.Indicators[1].Status != "not_fulfilled" {
		t.Errorf("mixed commitment %+v", c)
	}
	if p.Status != "partly" {
		t.Errorf("promise %s", p.Status)
	}
	// The lägesbild's promises section as CSV and in print: one line per indicator.
	recs, err := csv.NewReader(ts.do(http.MethodGet, "/v1/lagesbild?municipality=1781&period=2025&format=csv&section=promises", nil, bearer...).Body).ReadAll()
	if err != nil || len(recs) != 1+len(inds)+1+2 || strings.Join(recs[0], ",") != "promise,commitment,responsible,indicator,kind,status,value,target,how" {
		t.Fatalf("promises csv %v %v", err, recs)
	}
	for k, want := range inds {
		if r := recs[k+1]; r[1] != want.name || r[3] != want.name || r[4] != want.kind || r[5] != want.status || r[2] != "both" || r[7] == "" {
			t.Errorf("csv line %d %v, want %s %s", k+1, r, want.name, want.status)
		}
	}
	if r := recs[len(inds)+1]; r[1] != "Samverkan utan mått" || r[2] != "Bostadsbolaget" || r[3] != "" || r[5] != "not_yet_measurable" {
		t.Errorf("csv line without indicator %v", r)
	}
	page := ts.do(http.MethodGet, "/v1/lagesbild?municipality=1781&period=2025&format=html", nil, bearer...).Body.String()
	if _, table, ok := strings.Cut(page, "<h2>Medborgarlöften</h2>"); !ok || strings.Count(table[:strings.Index(table, "</table>")], "<tr>") != 1+len(inds)+3 ||
		!strings.Contains(table, "<td>Ej uppfyllt</td>") || !strings.Contains(table, "<td>Kan inte mätas än</td>") || !strings.Contains(table, "<td>Bostadsbolaget</td>") {
		t.Errorf("printed promises table missing or wrong")
	}

	w = ts.do(http.MethodGet, "/v1/promises/"+second+"/progress", nil)
	if sp := decode[progressBody](t, w); w.Code != 200 || sp.Status != "not_yet_measurable" || sp.Commitments[0].Indicators[0].Status != "not_yet_measurable" {
		t.Errorf("second promise %d %+v", w.Code, sp)
	}

	// The public views: the same statuses, no personal data.
	public := ts.do(http.MethodGet, "/v1/promises/"+created.ID+"/progress", nil)
	list := ts.do(http.MethodGet, "/v1/public/promises?municipality=1781", nil)
	for _, w := range []*httptestRecorder{{public.Code, public.Body.String()}, {list.Code, list.Body.String()}} {
		if w.code != 200 {
			t.Fatalf("public %d %s", w.code, w.body)
		}
		for _, personal := range []string{"Anna Andersson", "Cecilia Carlsson", "Bergsgården", "Namn Namnsson", "signatories", `"who"`, "59.305"} {
			if strings.Contains(w.body, personal) {
				t.Errorf("public view contains %q", personal)
			}
		}
		if !strings.Contains(w.body, "Bostadsbolaget") || !strings.Contains(w.body, "Lokalpolisområde Karlstad") {
			t.Errorf("public view lacks who is responsible")
		}
	}
	pub := decode[progressBody](t, public)
	for k, c := range pub.Commitments[:len(inds)] {
		if c.Indicators[0].Status != inds[k].status {
			t.Errorf("public %s: %s", inds[k].name, c.Indicators[0].Status)
		}
	}
}

// httptestRecorder is a response's status and body, to loop over several.
type httptestRecorder struct {
	code int
	body string
}

// TestPublicPromisesHideSmallCounts: a report indicator counted on one or two
// reports shows its status but no figures in the public views, while staff
// see them.
func TestPublicPromisesHideSmallCounts(t *testing.T) {
	ts := newTestServer(t, nil)
	tok := ts.token(auth.Analyst, "1781")
	ind := func(cats []string, base, cur string) map[string]any {
		return map[string]any{"kind": "report_count", "label": "x", "params": map[string]any{"categories": cats, "baseline": base, "current": cur, "direction": "decrease", "change": 10}}
	}
	w := ts.do(http.MethodPost, "/v1/staff/promises", map[string]any{
		"municipality": "1781", "title": "Löfte", "valid_from": "2025-01-01", "valid_to": "2026-12-31",
		"commitments": []any{
			map[string]any{"text": "Färre bränder", "responsible": "kommunen", "indicators": []any{ind([]string{"OTR.FIRE"}, "2025-Q1", "2025-Q2")}},
			map[string]any{"text": "Färre samlingar", "responsible": "polisen", "indicators": []any{ind([]string{"OTR.SOC"}, "2025-Q1", "2025-Q2")}},
		},
	}, "Authorization", "Bearer "+tok)
	if w.Code != 201 {
		t.Fatalf("create %d %s", w.Code, w.Body)
	}
	id := decode[struct{ ID string }](t, w).ID
	ts.seedReport("OTR.FIRE", 14.105, 59.305, "2025-02-01 12:00", "received", "") // 1 → 0
	for k := 0; k < 6; k++ {
		ts.seedReport("OTR.SOC.GATHER", 14.105, 59.305, fmt.Sprintf("2025-02-%02d 12:00", k+1), "received", "") // 6 → 3
	}
	for k := 0; k < 3; k++ {
		ts.seedReport("OTR.SOC.GATHER", 14.105, 59.305, fmt.Sprintf("2025-05-%02d 12:00", k+1), "received", "")
	}
	for _, path := range []string{"/v1/promises/" + id + "/progress", "/v1/public/promises?municipality=1781"} {
		w := ts.do(http.MethodGet, path, nil)
		body := w.Body.String()
		if w.Code != 200 || strings.Contains(body, "Basperiod 1") || !strings.Contains(body, "Färre än 3") || !strings.Contains(body, "Basperiod 6, jämförelseperiod 3") {
			t.Errorf("%s: %d %s", path, w.Code, body)
		}
	}
	pub := decode[progressBody](t, ts.do(http.MethodGet, "/v1/promises/"+id+"/progress", nil))
	if fire := pub.Commitments[0].Indicators[0]; fire.Value != nil || fire.Status != "fulfilled" {
		t.Errorf("public fire indicator %+v", fire)
	}
	if soc := pub.Commitments[1].Indicators[0]; soc.Value == nil || *soc.Value != 3 {
		t.Errorf("public OTR.SOC indicator %+v", soc)
	}
	staff := decode[struct{ Promises []progressBody }](t, ts.do(http.MethodGet, "/v1/lagesbild?municipality=1781&period=2025-Q2", nil, "Authorization", "Bearer "+tok))
	if fire := staff.Promises[0].Commitments[0].Indicators[0]; fire.Value == nil || *fire.Value != 0 || !strings.Contains(fire.How, "Basperiod 1") {
		t.Errorf("staff fire indicator %+v", fire)
	}
	if w := ts.do(http.MethodGet, "/v1/public/promises", nil); w.Code != 400 {
		t.Errorf("public promises without a municipality: %d %s", w.Code, w.Body)
	}
	if w := ts.do(http.MethodGet, "/v1/promises/not-a-uuid/progress", nil); w.Code != 400 {
		t.Errorf("progress of a bad id: %d", w.Code)
	}
	if w := ts.do(http.MethodGet, "/v1/promises/"+uuid.NewString()+"/progress", nil); w.Code != 404 {
		t.Errorf("progress of an unknown promise: %d", w.Code)
	}
}

// TestPublicPromisesHideSmallSurveys: a survey indicator whose baseline or
// current result rests on fewer respondents than the public lägesbild's
// smallest count keeps its status but shows no figures publicly; three
// respondents, or an n the survey did not give, show them. Staff see all.
func TestPublicPromisesHideSmallSurveys(t *testing.T) {
	ts := newTestServer(t, nil) // now is 2026-11-20
	tok := ts.token(auth.Analyst, "1781")
	ctx := context.Background()
	ind := func(name, dir string) map[string]any {
		return map[string]any{"kind": "survey_value", "label": name, "params": map[string]any{"survey_indicator": name, "baseline_year": 2024, "current_year": 2025, "direction": dir, "change": 2}}
	}
	cases := []struct {
		name, dir, status string
		hidden            bool
		value             float64
	}{
		{"trygg_kvall", "increase", "fulfilled", true, 64},     // 2 respondents in 2024
		{"trygg_dag", "increase", "fulfilled", true, 83},       // 1 respondent in 2025
		{"otrygg_park", "decrease", "fulfilled", false, 17},    // 3 and 500 respondents
		{"trygg_natt", "increase", "not_fulfilled", false, 50}, // n not given
	}
	var commitments []any
	for _, c := range cases {
		commitments = append(commitments, map[string]any{"text": c.name, "responsible": "kommunen", "indicators": []any{ind(c.name, c.dir)}})
	}
	w := ts.do(http.MethodPost, "/v1/staff/promises", map[string]any{
		"municipality": "1781", "title": "Tryggare", "valid_from": "2024-01-01", "valid_to": "2026-12-31", "commitments": commitments,
	}, "Authorization", "Bearer "+tok)
	if w.Code != 201 {
		t.Fatalf("create %d %s", w.Code, w.Body)
	}
	id := decode[struct{ ID string }](t, w).ID
	if _, err := ts.db.Pool.Exec(ctx, `INSERT INTO surveys (municipality_code, year, indicator, value, n) VALUES
 ('1781', 2024, 'trygg_kvall', 60, 2), ('1781', 2025, 'trygg_kvall', 64, 400),
 ('1781', 2024, 'trygg_dag', 80, 500), ('1781', 2025, 'trygg_dag', 83, 1),
 ('1781', 2024, 'otrygg_park', 20, 3), ('1781', 2025, 'otrygg_park', 17, 500),
 ('1781', 2024, 'trygg_natt', 51, NULL), ('1781', 2025, 'trygg_natt', 50, NULL)`); err != nil {
		t.Fatal(err)
	}

	staff := decode[struct{ Promises []progressBody }](t, ts.do(http.MethodGet, "/v1/lagesbild?municipality=1781&period=2025", nil, "Authorization", "Bearer "+tok))
	if len(staff.Promises) != 1 || len(staff.Promises[0].Commitments) != len(cases) {
		t.Fatalf("staff lägesbild promises %+v", staff.Promises)
	}
	public := ts.do(http.MethodGet, "/v1/promises/"+id+"/progress", nil)
	list := ts.do(http.MethodGet, "/v1/public/promises?municipality=1781", nil)
	if public.Code != 200 || list.Code != 200 {
		t.Fatalf("public %d %d", public.Code, list.Code)
	}
	listed := decode[struct{ Promises []progressBody }](t, list).Promises
	if len(listed) != 1 {
		t.Fatalf("public list has %d promises", len(listed))
	}
	for _, pub := range []progressBody{decode[progressBody](t, public), listed[0]} {
		for k, c := range cases {
			got, all := pub.Commitments[k].Indicators[0], staff.Promises[0].Commitments[k].Indicators[0]
			if all.Status != c.status || all.Value == nil || *all.Value != c.value {
				t.Errorf("staff %s: %s %v, want %s %v", c.name, all.Status, deref(all.Value), c.status, c.value)
			}
			if got.Status != c.status {
				t.Errorf("public %s: status %s, want %s", c.name, got.Status, c.status)
			}
			if c.hidden {
				if got.Value != nil || !strings.Contains(got.How, "Färre än 3 svarande") || strings.Contains(got.How, all.How) {
					t.Errorf("public %s shows its results: %v %q", c.name, deref(got.Value), got.How)
				}
			} else if got.Value == nil || *got.Value != c.value || got.How != all.How {
				t.Errorf("public %s: %v %q, want %v %q", c.name, deref(got.Value), got.How, c.value, all.How)
			}
		}
	}
}
