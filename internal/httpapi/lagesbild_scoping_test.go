package httpapi

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/trygg/trygg/internal/auth"
)

// TestLagesbildRoutesScoping runs every area, event, survey, lägesbild,
// snapshot and promise route with a Filipstad token against Kristinehamn's
// data: each is refused (403 when the municipality is named, 404 for an id)
// and nothing changes. Kristinehamn's own token is allowed the same requests,
// and roles without the permission are refused.
func TestLagesbildRoutesScoping(t *testing.T) {
	ts, tok, areaID := lagesbildFixture(t)
	ctx := context.Background()
	own := []string{"Authorization", "Bearer " + tok}
	w := ts.do(http.MethodPost, "/v1/staff/promises", map[string]any{
		"municipality": "1781", "title": "Löfte", "valid_from": "2026-01-01", "valid_to": "2026-12-31",
		"commitments": []any{map[string]any{"text": "Vandringar", "responsible": "both", "priority_areas": []string{areaID}},
			map[string]any{"text": "Dialog", "responsible": "polisen"}},
	}, own...)
	if w.Code != 201 {
		t.Fatalf("promise %d %s", w.Code, w.Body)
	}
	pr := decode[struct {
		ID          string
		Commitments []struct{ ID string }
	}](t, w)
	w = ts.do(http.MethodPost, "/v1/lagesbild/snapshots", map[string]any{"municipality": "1781", "period": "2026-W53"}, own...)
	if w.Code != 201 {
		t.Fatalf("snapshot %d", w.Code)
	}
	snapID := decode[struct{ ID string }](t, w).ID
	fingerprint := func() string {
		var s string
		err := ts.db.Pool.QueryRow(ctx, `SELECT concat_ws('/',
 (SELECT string_agg(id::text || name || priority::text || md5(ST_AsText(geom)), ',' ORDER BY id) FROM areas),
 (SELECT string_agg(id::text || title || version::text, ',' ORDER BY id) FROM promises),
 (SELECT string_agg(id::text || text, ',' ORDER BY id) FROM commitments),
 (SELECT count(*) FROM activities), (SELECT count(*) FROM events), (SELECT count(*) FROM surveys),
 (SELECT count(*) FROM lagesbild_snapshots))`).Scan(&s)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	pp := "/v1/staff/promises/" + pr.ID
	cm := pp + "/commitments/" + pr.Commitments[1].ID
	ifMatch := []string{"If-Match", `"1"`}
	geojsonFC := map[string]any{"type": "FeatureCollection", "features": []any{map[string]any{"type": "Feature", "properties": map[string]any{"name": "Ny"}, "geometry": square(14.10, 59.30, 0.005)}}}
	cases := []struct {
		name, method, path string
		body               any
		headers            []string
		other, mine        int
	}{
		{"list areas", "GET", "/v1/staff/areas?municipality=1781", nil, nil, 403, 200},
		{"get area", "GET", "/v1/staff/areas/" + areaID, nil, nil, 404, 200},
		{"patch area", "PATCH", "/v1/staff/areas/" + areaID, map[string]any{"name": "Centrum"}, nil, 404, 200},
		{"create area", "POST", "/v1/staff/areas", map[string]any{"municipality": "1781", "kind": "custom", "name": "X", "geometry": square(14.10, 59.30, 0.005)}, nil, 403, 201},
		{"import areas", "POST", "/v1/staff/areas/import?municipality=1781&kind=custom", geojsonFC, nil, 403, 200},
		{"list promises", "GET", "/v1/staff/promises?municipality=1781", nil, nil, 403, 200},
		{"get promise", "GET", pp, nil, nil, 404, 200},
		{"patch promise", "PATCH", pp, map[string]any{"title": "Annat"}, ifMatch, 404, 200},
		{"add commitment", "POST", pp + "/commitments", map[string]any{"text": "Ny", "responsible": "kommunen"}, []string{"If-Match", `"2"`}, 404, 201},
		{"patch commitment", "PATCH", cm, map[string]any{"text": "Ändrad"}, []string{"If-Match", `"3"`}, 404, 200},
		{"delete commitment", "DELETE", cm, nil, []string{"If-Match", `"4"`}, 404, 204},
		{"list activities", "GET", pp + "/activities", nil, nil, 404, 200},
		{"log activity", "POST", pp + "/activities", map[string]any{"commitment_id": pr.Commitments[0].ID, "occurred_on": "2026-05-01", "type": "trygghetsvandring", "description": "x"}, nil, 404, 201},
		{"import surveys", "POST", "/v1/staff/surveys?municipality=1781", "municipality,year,indicator,value,n\n1781,2025,trygg_kvall,61,700\n", []string{"Content-Type", "text/csv"}, 403, 200},
		{"lägesbild", "GET", "/v1/lagesbild?municipality=1781&period=2026-12", nil, nil, 403, 200},
		{"lägesbild export", "GET", "/v1/lagesbild?municipality=1781&period=2026-12&format=csv", nil, nil, 403, 200},
		{"create snapshot", "POST", "/v1/lagesbild/snapshots", map[string]any{"municipality": "1781", "period": "2026-12"}, nil, 403, 201},
		{"list snapshots", "GET", "/v1/lagesbild/snapshots?municipality=1781", nil, nil, 403, 200},
		{"get snapshot", "GET", "/v1/lagesbild/snapshots/" + snapID, nil, nil, 404, 200},
		{"snapshot content", "GET", "/v1/lagesbild/snapshots/" + snapID + "/content", nil, nil, 404, 200},
		{"delete area", "DELETE", "/v1/staff/areas/" + areaID, nil, nil, 404, 204},
		{"delete promise", "DELETE", pp, nil, nil, 404, 204},
	}
	other := []string{"Authorization", "Bearer " + ts.token(auth.Analyst, "1782")}
	for _, c := range cases {
		before := fingerprint()
		w := ts.do(c.method, c.path, c.body, append(append([]string{}, c.headers...), other...)...)
		if w.Code != c.other || (w.Code == 404 && strings.Contains(w.Body.String(), "Kristinehamn")) {
			t.Errorf("%s by Filipstad: %d %s, want %d", c.name, w.Code, w.Body, c.other)
		}
		if fingerprint() != before {
			t.Errorf("%s by Filipstad changed data", c.name)
		}
		if w := ts.do(c.method, c.path, c.body, append(append([]string{}, c.headers...), own...)...); w.Code != c.mine {
			t.Errorf("%s by Kristinehamn: %d %s, want %d", c.name, w.Code, w.Body, c.mine)
		}
	}

	// Lists without a municipality show only the caller's own.
	for _, path := range []string{"/v1/staff/areas", "/v1/staff/promises", "/v1/lagesbild/snapshots"} {
		if w := ts.do(http.MethodGet, path, nil, other...); w.Code != 200 || strings.Contains(w.Body.String(), "1781") {
			t.Errorf("%s for Filipstad: %d %s", path, w.Code, w.Body)
		}
	}
	// Kristinehamn's area asked for in Filipstad's own lägesbild is no area of it.
	ts2Area := decode[struct{ ID string }](t, ts.do(http.MethodPost, "/v1/staff/areas", map[string]any{"municipality": "1781", "kind": "centrum", "name": "Torget", "geometry": square(14.10, 59.30, 0.01)}, own...)).ID
	if w := ts.do(http.MethodGet, "/v1/lagesbild?municipality=1782&period=2026-12&area="+ts2Area, nil, other...); w.Code != 400 || strings.Contains(w.Body.String(), "Torget") {
		t.Errorf("foreign area in own lägesbild: %d %s", w.Code, w.Body)
	}
	// Nor may a Filipstad promise or activity point at Kristinehamn's area or walk.
	body := map[string]any{"municipality": "1782", "title": "Löfte", "valid_from": "2026-01-01", "valid_to": "2026-12-31",
		"commitments": []any{map[string]any{"text": "x", "responsible": "both", "priority_areas": []string{ts2Area}}}}
	if w := ts.do(http.MethodPost, "/v1/staff/promises", body, other...); w.Code != 400 || !strings.Contains(w.Body.String(), "not an area of municipality 1782") {
		t.Errorf("foreign priority area: %d %s", w.Code, w.Body)
	}
	body["commitments"] = []any{map[string]any{"text": "x", "responsible": "both", "indicators": []any{map[string]any{"kind": "report_count", "label": "x",
		"params": map[string]any{"categories": []string{"OTR"}, "area": ts2Area, "baseline": "2025", "current": "2026", "direction": "decrease", "change": 10}}}}}
	if w := ts.do(http.MethodPost, "/v1/staff/promises", body, other...); w.Code != 400 || !strings.Contains(w.Body.String(), "indicator 1") {
		t.Errorf("foreign indicator area: %d %s", w.Code, w.Body)
	}
	body["commitments"] = []any{map[string]any{"text": "x", "responsible": "both"}}
	w = ts.do(http.MethodPost, "/v1/staff/promises", body, other...)
	fp := decode[struct {
		ID          string
		Commitments []struct{ ID string }
	}](t, w)
	if w.Code != 201 {
		t.Fatalf("Filipstad promise %d %s", w.Code, w.Body)
	}
	if w := ts.do(http.MethodPatch, "/v1/staff/promises/"+fp.ID+"/commitments/"+fp.Commitments[0].ID, map[string]any{"priority_areas": []string{ts2Area}}, append([]string{"If-Match", `"1"`}, other...)...); w.Code != 400 {
		t.Errorf("foreign priority area by patch: %d %s", w.Code, w.Body)
	}
	walkID := decode[struct{ ID string }](t, ts.do(http.MethodPost, "/v1/walks", map[string]any{"municipality": "1781", "title": "V", "starts_at": "2026-05-01T18:00:00+02:00"}, "Authorization", "Bearer "+ts.token(auth.Planner, "1781"))).ID
	for _, extra := range []map[string]any{{"area": ts2Area}, {"walk": walkID}} {
		a := map[string]any{"commitment_id": fp.Commitments[0].ID, "occurred_on": "2026-05-01", "type": "trygghetsvandring", "description": "x"}
		for k, v := range extra {
			a[k] = v
		}
		if w := ts.do(http.MethodPost, "/v1/staff/promises/"+fp.ID+"/activities", a, other...); w.Code != 400 {
			t.Errorf("activity with a foreign %v: %d %s", extra, w.Code, w.Body)
		}
	}
	// A Filipstad police token importing Kristinehamn's events stores none.
	before := ts.count("events")
	csv := "id,occurred_at,type,lat,lon\ns1,2026-11-20T22:10:00+01:00,Skadegörelse,59.3096,14.1086\n"
	w = ts.do(http.MethodPost, "/v1/staff/events?format=csv&source=vakt", csv, "Authorization", "Bearer "+ts.token(auth.Police, "1782"), "Content-Type", "text/csv")
	if got := decode[map[string]int](t, w); w.Code != 200 || got["added"] != 0 || ts.count("events") != before {
		t.Errorf("foreign events import %d %v", w.Code, got)
	}

	// Roles: who may read the lägesbild, write areas and promises.
	roles := []struct {
		role            auth.Role
		read, write, lb bool
	}{
		{auth.Analyst, true, true, true},
		{auth.Police, true, true, true}, // kommunpolis co-signs the promises
		{auth.Caseworker, true, true, true},
		{auth.Planner, true, false, false},
		{auth.Admin, true, true, true},
	}
	for _, r := range roles {
		h := []string{"Authorization", "Bearer " + ts.token(r.role, "1781")}
		code := func(method, path string, body any) int { return ts.do(method, path, body, h...).Code }
		want := func(ok bool, yes int) int {
			if ok {
				return yes
			}
			return 403
		}
		checks := []struct {
			what      string
			got, want int
		}{
			{"list promises", code("GET", "/v1/staff/promises?municipality=1781", nil), want(r.read, 200)},
			{"lägesbild", code("GET", "/v1/lagesbild?municipality=1781&period=2026-12", nil), want(r.lb, 200)},
			{"snapshots", code("GET", "/v1/lagesbild/snapshots?municipality=1781", nil), want(r.lb, 200)},
			{"create area", code("POST", "/v1/staff/areas", map[string]any{"municipality": "1781", "kind": "custom", "name": "Roll " + string(r.role), "geometry": square(14.10, 59.30, 0.005)}), want(r.write, 201)},
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Errorf("%s %s: %d, want %d", r.role, c.what, c.got, c.want)
			}
		}
	}
}
