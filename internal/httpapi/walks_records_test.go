package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/trygg/trygg/internal/auth"
)

type walkBody struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Title  string `json:"title"`
	Stops  []struct {
		Seq  int    `json:"seq"`
		Name string `json:"name"`
	} `json:"stops"`
	RouteLengthM *float64 `json:"route_length_m"`
}

func TestWalkRecordFlow(t *testing.T) {
	ts, tok := walkServer(t)
	auth0180 := []string{"Authorization", "Bearer " + tok}
	w := ts.do(http.MethodPost, "/v1/walks/plan", map[string]any{"municipality": "0180", "start": kthStart, "max_length_m": 1200}, auth0180...)
	if w.Code != 200 {
		t.Fatalf("plan %d %s", w.Code, w.Body)
	}
	plan := json.RawMessage(w.Body.Bytes())
	planned := decode[planBody](t, w)

	// A walk made from the plan takes its route and stops.
	w = ts.do(http.MethodPost, "/v1/walks", map[string]any{
		"title": "Kvällsvandring <KTH>", "starts_at": "2026-11-25T18:00:00+01:00", "organiser": "Stockholms stad",
		"partners": []string{"Polisen", "Akademiska Hus"}, "participants": 14, "plan": plan,
	}, auth0180...)
	if w.Code != 201 {
		t.Fatalf("create %d %s", w.Code, w.Body)
	}
	walk := decode[walkBody](t, w)
	if walk.Status != "planned" || len(walk.Stops) != len(planned.Stops) || walk.RouteLengthM == nil ||
		*walk.RouteLengthM < 0.99*planned.LengthM || *walk.RouteLengthM > 1.01*planned.LengthM {
		t.Fatalf("walk from plan: %+v (plan had %d stops, %.0f m)", walk, len(planned.Stops), planned.LengthM)
	}
	base := "/v1/walks/" + walk.ID

	// The walk is held: an observation becomes a report with source=walk.
	if w = ts.do(http.MethodPatch, base, map[string]any{"status": "held"}, auth0180...); w.Code != 200 || decode[walkBody](t, w).Status != "held" {
		t.Fatalf("patch status %d %s", w.Code, w.Body)
	}
	w = ts.do(http.MethodPost, base+"/observations", map[string]any{
		"point": map[string]float64{"lat": 59.3468, "lon": 18.0731}, "rating": "otrygg", "category": "OTR.PLACE.LIGHT",
		"factors": []string{"lighting", "vegetation"}, "note": "Mörk gångväg, två lampor trasiga",
		"observed_at": "2026-11-20T18:30:00+01:00",
	}, auth0180...)
	if w.Code != 201 {
		t.Fatalf("observation %d %s", w.Code, w.Body)
	}
	obs := decode[struct {
		ID       string `json:"id"`
		ReportID string `json:"report_id"`
	}](t, w)
	var source, kind, tod string
	var feeling int
	err := ts.db.Pool.QueryRow(context.Background(), `SELECT source, kind, feeling, time_of_day FROM reports WHERE id = $1`, obs.ReportID).
		Scan(&source, &kind, &feeling, &tod)
	if err != nil || source != "walk" || kind != "otrygghet" || feeling != 2 || tod != "evening" {
		t.Errorf("report from observation: %s %s feeling %d %s (%v)", source, kind, feeling, tod, err)
	}

	// A measure, then checked done at a later walk.
	w = ts.do(http.MethodPost, base+"/measures", map[string]any{
		"observation_id": obs.ID, "what": "Byt armaturer längs gångvägen", "horizon": "short", "owner": "Trafikkontoret", "due_date": "2027-01-31",
	}, auth0180...)
	if w.Code != 201 {
		t.Fatalf("measure %d %s", w.Code, w.Body)
	}
	mid := decode[struct{ ID string }](t, w).ID

	// The open measure is a must-visit stop of the next plan.
	w = ts.do(http.MethodPost, "/v1/walks/plan", map[string]any{"municipality": "0180", "start": kthStart, "max_length_m": 1200}, auth0180...)
	var revisited bool
	for _, s := range decode[planBody](t, w).Stops {
		revisited = revisited || (s.Kind == "open_measure" && s.MustVisit)
	}
	if w.Code != 200 || !revisited {
		t.Errorf("next plan (%d) does not revisit the open measure: %s", w.Code, w.Body)
	}

	w = ts.do(http.MethodPost, "/v1/walks", map[string]any{"municipality": "0180", "title": "Uppföljning", "starts_at": "2027-03-01T18:00:00+01:00"}, auth0180...)
	later := decode[walkBody](t, w).ID
	cases := []struct {
		name   string
		body   map[string]any
		status int
	}{
		{"note without a walk", map[string]any{"check_note": "ok"}, 400},
		{"checked at the same walk", map[string]any{"checked_at_walk": walk.ID}, 400},
		{"unknown status", map[string]any{"status": "forgotten"}, 400},
		{"done at the later walk", map[string]any{"status": "done", "checked_at_walk": later, "check_note": "Nya lampor lyser"}, 200},
	}
	for _, c := range cases {
		if w = ts.do(http.MethodPatch, base+"/measures/"+mid, c.body, auth0180...); w.Code != c.status {
			t.Errorf("%s: %d %s, want %d", c.name, w.Code, w.Body, c.status)
		}
	}
	if w = ts.do(http.MethodPatch, base, map[string]any{"status": "planned"}, auth0180...); w.Code != 409 {
		t.Errorf("status back to planned: %d, want 409", w.Code)
	}

	// The protocol, as JSON and as escaped printable HTML.
	w = ts.do(http.MethodGet, base+"/report", nil, auth0180...)
	proto := decode[struct {
		Observations []struct {
			ReportReference string `json:"report_reference"`
		} `json:"observations"`
		Measures    []struct{ Status, CheckNote string } `json:"measures"`
		Responsible []struct {
			Owner string
			Open  int
		} `json:"responsible"`
	}](t, w)
	if w.Code != 200 || len(proto.Observations) != 1 || proto.Observations[0].ReportReference == "" ||
		len(proto.Measures) != 1 || proto.Measures[0].Status != "done" ||
		len(proto.Responsible) != 1 || proto.Responsible[0].Owner != "Trafikkontoret" || proto.Responsible[0].Open != 0 {
		t.Errorf("protocol %d %s", w.Code, w.Body)
	}
	w = ts.do(http.MethodGet, base+"/report?format=html", nil, auth0180...)
	html := w.Body.String()
	if w.Code != 200 || !strings.Contains(html, "Kvällsvandring &lt;KTH&gt;") || strings.Contains(html, "<KTH>") ||
		!strings.Contains(html, "Byt armaturer") || !strings.Contains(html, "Nya lampor lyser") {
		t.Errorf("html protocol %d:\n%s", w.Code, html)
	}
	// Both protocol exports are in the audit log.
	var exports int
	if err := ts.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'export' AND detail->>'what' = 'walk_protocol'`).Scan(&exports); err != nil || exports != 2 {
		t.Errorf("walk protocol exports audited: %d %v, want 2", exports, err)
	}
	if w = ts.do(http.MethodGet, base+"/route.gpx", nil, auth0180...); w.Code != 200 || !strings.Contains(w.Body.String(), `<gpx xmlns="http://www.topografix.com/GPX/1/1"`) {
		t.Errorf("route.gpx %d %.200s", w.Code, w.Body)
	}

	// Lists and scoping: another municipality's token sees nothing.
	w = ts.do(http.MethodGet, "/v1/walks?municipality=0180", nil, auth0180...)
	if n := len(decode[struct{ Walks []walkBody }](t, w).Walks); w.Code != 200 || n != 2 {
		t.Errorf("list %d with %d walks, want 2", w.Code, n)
	}
	other := []string{"Authorization", "Bearer " + ts.token(auth.Planner, "1781")}
	if w = ts.do(http.MethodGet, base, nil, other...); w.Code != 404 {
		t.Errorf("walk seen from another municipality: %d", w.Code)
	}
	if w = ts.do(http.MethodGet, "/v1/walks?municipality=0180", nil, other...); w.Code != 403 {
		t.Errorf("list of another municipality: %d", w.Code)
	}
}
