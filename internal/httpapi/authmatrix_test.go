package httpapi

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/report"
)

// matrixRequest is one request of the auth matrix.
type matrixRequest struct {
	method, path string
	body         any
	headers      []string
}

// matrixRoute says how a staff route is exercised. request builds a request a
// permitted token scoped to the own municipality (1781) can make on a resource
// in muni: "1781" must give ok, "1782" (outside the token's scope) must give
// other, 403 or 404 as the route is designed. Routes whose resources this file
// does not know how to make give only probe, a request that passes the OpenAPI
// schema, and are checked for 401 and for role (403 or not).
type matrixRoute struct {
	perm    auth.Permission
	request func(ts *testServer, muni string) matrixRequest
	ok      int
	other   int
	probe   matrixRequest
}

var matrixPlace = map[string][2]float64{"1781": kristinehamnCentre, "1782": filipstadCentre}

// staffMatrix lists every /v1/staff route by its gin method and path. A staff
// route missing here fails TestStaffAuthMatrix: add it so its roles are tested.
var staffMatrix = map[string]matrixRoute{
	"GET /v1/staff/reports": {perm: auth.ReadReports, ok: 200, other: 403,
		request: func(ts *testServer, muni string) matrixRequest {
			ts.seed(seeded{at: matrixPlace[muni]})
			return matrixRequest{method: "GET", path: "/v1/staff/reports?municipality=" + muni}
		}},
	"GET /v1/staff/reports/:id": {perm: auth.ReadReports, ok: 200, other: 404,
		request: func(ts *testServer, muni string) matrixRequest {
			return matrixRequest{method: "GET", path: "/v1/staff/reports/" + ts.seed(seeded{at: matrixPlace[muni]}).String()}
		}},
	"PATCH /v1/staff/reports/:id": {perm: auth.ManageReports, ok: 200, other: 404,
		request: func(ts *testServer, muni string) matrixRequest {
			id := ts.seed(seeded{at: matrixPlace[muni]})
			return matrixRequest{method: "PATCH", path: "/v1/staff/reports/" + id.String(),
				body: map[string]any{"status": "triaged", "note": "matrix"}, headers: []string{"If-Match", `"1"`}}
		}},
	"POST /v1/staff/reports/:id/merge": {perm: auth.ManageReports, ok: 200, other: 404,
		request: func(ts *testServer, muni string) matrixRequest {
			keep, dup := ts.seed(seeded{at: matrixPlace[muni]}), ts.seed(seeded{at: matrixPlace[muni]})
			return matrixRequest{method: "POST", path: "/v1/staff/reports/" + dup.String() + "/merge", body: map[string]any{"into": keep}}
		}},
	"GET /v1/staff/reports/:id/duplicates": {perm: auth.ReadReports, ok: 200, other: 404,
		request: func(ts *testServer, muni string) matrixRequest {
			return matrixRequest{method: "GET", path: "/v1/staff/reports/" + ts.seed(seeded{at: matrixPlace[muni]}).String() + "/duplicates"}
		}},
	"GET /v1/staff/reports/:id/deliveries": {perm: auth.ReadReports, ok: 200, other: 404,
		request: func(ts *testServer, muni string) matrixRequest {
			return matrixRequest{method: "GET", path: "/v1/staff/reports/" + ts.seed(seeded{at: matrixPlace[muni]}).String() + "/deliveries"}
		}},
	"PATCH /v1/staff/reports/:id/photos/:photo_id": {perm: auth.ManageReports, ok: 200, other: 404,
		request: func(ts *testServer, muni string) matrixRequest {
			id := ts.seed(seeded{at: matrixPlace[muni]})
			return matrixRequest{method: "PATCH", path: "/v1/staff/reports/" + id.String() + "/photos/" + ts.seedPhoto(id).String(),
				body: map[string]any{"visibility": "hidden"}}
		}},
	"POST /v1/staff/reports/:id/unmerge": {perm: auth.ManageReports, ok: 200, other: 404,
		request: func(ts *testServer, muni string) matrixRequest {
			keep, dup := ts.seed(seeded{at: matrixPlace[muni]}), ts.seed(seeded{at: matrixPlace[muni]})
			admin := ts.token(auth.Admin, "1781", "1782")
			if w := ts.do("POST", "/v1/staff/reports/"+dup.String()+"/merge", map[string]any{"into": keep}, bearer(admin)...); w.Code != 200 {
				ts.t.Fatalf("merge before unmerge: %d %s", w.Code, w.Body)
			}
			return matrixRequest{method: "POST", path: "/v1/staff/reports/" + dup.String() + "/unmerge"}
		}},

	// Privacy administration (admin only). A data subject request in the other
	// municipality finds nothing there: 200 with no reports, nothing erased.
	"GET /v1/admin/audit": {perm: auth.Administer, probe: matrixRequest{method: "GET", path: "/v1/admin/audit"}},
	"POST /v1/admin/dsr/search": {perm: auth.Administer, ok: 200, other: 200,
		request: func(ts *testServer, muni string) matrixRequest { return matrixDSR(ts, muni, "search") }},
	"POST /v1/admin/dsr/export": {perm: auth.Administer, ok: 200, other: 200,
		request: func(ts *testServer, muni string) matrixRequest { return matrixDSR(ts, muni, "export") }},
	"POST /v1/admin/dsr/erase": {perm: auth.Administer, ok: 200, other: 200,
		request: func(ts *testServer, muni string) matrixRequest { return matrixDSR(ts, muni, "erase") }},
	"GET /v1/admin/reports/:id/extract": {perm: auth.Administer, ok: 200, other: 404,
		request: func(ts *testServer, muni string) matrixRequest {
			return matrixRequest{method: "GET", path: "/v1/admin/reports/" + ts.seed(seeded{at: matrixPlace[muni]}).String() + "/extract"}
		}},

	// Areas and promises: role checks only; their own tests cover scoping.
	"GET /v1/staff/areas":           {perm: auth.ReadAnalytics, probe: matrixRequest{method: "GET", path: "/v1/staff/areas"}},
	"GET /v1/staff/areas/:id":       {perm: auth.ReadAnalytics, probe: matrixRequest{method: "GET", path: "/v1/staff/areas/" + uuid.NewString()}},
	"PATCH /v1/staff/areas/:id":     {perm: auth.ManagePromises, probe: matrixRequest{method: "PATCH", path: "/v1/staff/areas/" + uuid.NewString(), body: map[string]any{"name": "Matrix"}}},
	"DELETE /v1/staff/areas/:id":    {perm: auth.ManagePromises, probe: matrixRequest{method: "DELETE", path: "/v1/staff/areas/" + uuid.NewString()}},
	"POST /v1/staff/areas/import":   {perm: auth.ManagePromises, probe: matrixRequest{method: "POST", path: "/v1/staff/areas/import?municipality=1781", body: map[string]any{"type": "FeatureCollection", "features": []any{}}}},
	"GET /v1/staff/promises":        {perm: auth.ReadAnalytics, probe: matrixRequest{method: "GET", path: "/v1/staff/promises"}},
	"GET /v1/staff/promises/:id":    {perm: auth.ReadAnalytics, probe: matrixRequest{method: "GET", path: "/v1/staff/promises/" + uuid.NewString()}},
	"DELETE /v1/staff/promises/:id": {perm: auth.ManagePromises, probe: matrixRequest{method: "DELETE", path: "/v1/staff/promises/" + uuid.NewString()}},
	"PATCH /v1/staff/promises/:id": {perm: auth.ManagePromises, probe: matrixRequest{method: "PATCH", path: "/v1/staff/promises/" + uuid.NewString(),
		body: map[string]any{"title": "Matrix"}, headers: []string{"If-Match", `"1"`}}},
	"POST /v1/staff/promises/:id/commitments": {perm: auth.ManagePromises, probe: matrixRequest{method: "POST", path: "/v1/staff/promises/" + uuid.NewString() + "/commitments",
		body: map[string]any{"text": "Matrix", "responsible": "both"}, headers: []string{"If-Match", `"1"`}}},
	"PATCH /v1/staff/promises/:id/commitments/:commitment_id": {perm: auth.ManagePromises, probe: matrixRequest{method: "PATCH",
		path: "/v1/staff/promises/" + uuid.NewString() + "/commitments/" + uuid.NewString(), body: map[string]any{"text": "Matrix"}, headers: []string{"If-Match", `"1"`}}},
	"DELETE /v1/staff/promises/:id/commitments/:commitment_id": {perm: auth.ManagePromises, probe: matrixRequest{method: "DELETE",
		path: "/v1/staff/promises/" + uuid.NewString() + "/commitments/" + uuid.NewString(), headers: []string{"If-Match", `"1"`}}},
	"GET /v1/staff/promises/:id/activities": {perm: auth.ReadAnalytics, probe: matrixRequest{method: "GET", path: "/v1/staff/promises/" + uuid.NewString() + "/activities"}},
	"POST /v1/staff/promises/:id/activities": {perm: auth.ManagePromises, probe: matrixRequest{method: "POST", path: "/v1/staff/promises/" + uuid.NewString() + "/activities",
		body: map[string]any{"commitment_id": uuid.NewString(), "occurred_on": "2026-11-01", "type": "trygghetsvandring"}}},
	// Importing police and other partners' events is for those who build the lägesbild.
	"POST /v1/staff/surveys": {perm: auth.ManagePromises, probe: matrixRequest{method: "POST", path: "/v1/staff/surveys?municipality=1781", body: "municipality,year,indicator,value,n\n"}},
	"POST /v1/staff/events":  {perm: auth.Permission{auth.Analyst, auth.Police, auth.Admin}, probe: matrixRequest{method: "POST", path: "/v1/staff/events", body: "[]"}},
	"POST /v1/staff/areas": {perm: auth.ManagePromises, probe: matrixRequest{method: "POST", path: "/v1/staff/areas", body: map[string]any{
		"municipality": "1781", "name": "Matrix", "kind": "custom",
		"geometry": map[string]any{"type": "Polygon", "coordinates": [][][2]float64{{{14.10, 59.30}, {14.12, 59.30}, {14.12, 59.31}, {14.10, 59.30}}}}}}},
	"POST /v1/staff/promises": {perm: auth.ManagePromises, probe: matrixRequest{method: "POST", path: "/v1/staff/promises", body: map[string]any{
		"municipality": "1781", "title": "Matrix", "valid_from": "2026-01-01", "valid_to": "2026-12-31",
		"commitments": []any{map[string]any{"text": "Trygghetsvandringar", "responsible": "both"}}}}},
}

// matrixDSR seeds a report with contact data in muni and asks about its resident.
func matrixDSR(ts *testServer, muni, action string) matrixRequest {
	email := "matrix-" + uuid.NewString()[:8] + "@example.se"
	ts.seed(seeded{at: matrixPlace[muni], contact: &report.Contact{Email: email}})
	return matrixRequest{method: "POST", path: "/v1/admin/dsr/" + action, body: map[string]any{"email": email}}
}

// fingerprint changes whenever a report, its history or its contact changes.
func (ts *testServer) fingerprint() string {
	ts.t.Helper()
	var s string
	err := ts.db.Pool.QueryRow(context.Background(), `
SELECT (SELECT count(*) FROM reports) || '/' || (SELECT coalesce(sum(version), 0) FROM reports) || '/' ||
       (SELECT count(*) FROM report_events) || '/' || (SELECT count(*) FROM report_contacts)`).Scan(&s)
	if err != nil {
		ts.t.Fatal(err)
	}
	return s
}

func (ts *testServer) send(r matrixRequest, headers ...string) (int, string) {
	ts.t.Helper()
	w := ts.do(r.method, r.path, r.body, append(slices.Clone(r.headers), headers...)...)
	code := ""
	if w.Code >= 400 {
		code = errorCode(ts.t, w)
	}
	return w.Code, code
}

// TestStaffAuthMatrix runs every staff route of the router (every route under
// /v1/staff and /v1/admin, and every other route that answers 401 without a
// token) with no token, bad tokens, a revoked token, every role, and the own
// and another municipality.
func TestStaffAuthMatrix(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	revoked := ts.token(auth.Admin, "1781", "1782")
	p, err := ts.db.PrincipalByTokenHash(context.Background(), auth.HashToken(revoked))
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.db.RevokeToken(context.Background(), p.TokenID); err != nil {
		t.Fatal(err)
	}
	tokens := map[auth.Role]string{}
	for _, role := range auth.Roles {
		tokens[role] = ts.token(role, "1781")
	}
	var routes []string
	for _, r := range ts.srv.Engine().Routes() {
		if strings.HasPrefix(r.Path, "/v1/staff/") || r.Path == "/v1/staff" || strings.HasPrefix(r.Path, "/v1/admin/") ||
			requiresToken(ts, r.Method, r.Path) {
			routes = append(routes, r.Method+" "+r.Path)
		}
	}
	slices.Sort(routes)
	if !slices.Contains(routes, "PATCH /v1/staff/reports/:id") {
		t.Fatalf("the router lists no staff report routes: %v", routes)
	}
	for _, key := range routes {
		t.Run(key, func(t *testing.T) {
			rt, ok := staffMatrix[key]
			if !ok {
				t.Fatalf("staff route %s is not in staffMatrix (authmatrix_test.go): add it so its roles and scoping are tested", key)
			}
			req := func(muni string) matrixRequest {
				if rt.request == nil {
					return rt.probe
				}
				return rt.request(ts, muni)
			}
			for _, bad := range []struct{ name, header string }{
				{"no token", ""},
				{"empty bearer", "Bearer "},
				{"garbage token", "Bearer trg_not-a-token"},
				{"basic auth", "Basic c3RhZmY6c2VjcmV0"},
				{"revoked token", "Bearer " + revoked},
			} {
				r := req("1781")
				before := ts.fingerprint()
				var h []string
				if bad.header != "" {
					h = []string{"Authorization", bad.header}
				}
				w := ts.do(r.method, r.path, r.body, append(slices.Clone(r.headers), h...)...)
				if w.Code != 401 || errorCode(t, w) != "unauthorized" || w.Header().Get("WWW-Authenticate") == "" {
					t.Errorf("%s: %d %s, want 401 unauthorized with WWW-Authenticate", bad.name, w.Code, w.Body)
				}
				if ts.fingerprint() != before {
					t.Errorf("%s: an unauthenticated request changed reports", bad.name)
				}
			}
			for _, role := range auth.Roles {
				permitted := slices.Contains(rt.perm, role)
				tok := bearer(tokens[role])
				if !permitted {
					r := req("1781")
					before := ts.fingerprint()
					if status, code := ts.send(r, tok...); status != 403 || code != "forbidden" {
						t.Errorf("%s: %d %s, want 403 forbidden", role, status, code)
					}
					if ts.fingerprint() != before {
						t.Errorf("%s: a forbidden request changed reports", role)
					}
					continue
				}
				if rt.request == nil {
					if status, code := ts.send(rt.probe, tok...); status == 401 || status == 403 {
						t.Errorf("%s may take this action but got %d %s", role, status, code)
					}
					continue
				}
				if status, code := ts.send(req("1781"), tok...); status != rt.ok {
					t.Errorf("%s, own municipality: %d %s, want %d", role, status, code, rt.ok)
				}
				r := req("1782")
				before := ts.fingerprint()
				if status, code := ts.send(r, tok...); status != rt.other {
					t.Errorf("%s, other municipality: %d %s, want %d", role, status, code, rt.other)
				}
				if ts.fingerprint() != before {
					t.Errorf("%s: a request on another municipality changed reports", role)
				}
			}
		})
	}
}
