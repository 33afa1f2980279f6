package httpapi

import (
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/auth"
)

// The authenticated routes outside /v1/staff and /v1/admin: hotspots, their
// tiles, the lägesbild and walks. TestStaffAuthMatrix finds them in the router
// by their 401 to a request without a token, so a new one that is not listed
// here fails it.
var analysisMatrix = map[string]matrixRoute{
	"GET /v1/hotspots": {perm: hotspotReaders, ok: 200, other: 403,
		request: func(ts *testServer, muni string) matrixRequest {
			ts.seed(seeded{at: matrixPlace[muni]})
			return matrixRequest{method: "GET", path: "/v1/hotspots?cell=500&municipality=" + muni}
		}},
	"GET /v1/hotspots/emerging": {perm: hotspotReaders, ok: 200, other: 403,
		request: func(ts *testServer, muni string) matrixRequest {
			return matrixRequest{method: "GET", path: "/v1/hotspots/emerging?cell=1000&step=month&steps=6&to=2026-10-31&municipality=" + muni}
		}},
	"GET /tiles/hotspots.json": {perm: hotspotReaders, ok: 200, other: 403,
		request: func(ts *testServer, muni string) matrixRequest {
			return matrixRequest{method: "GET", path: "/tiles/hotspots.json?cell=500&municipality=" + muni}
		}},
	"GET /tiles/hotspots/:z/:x/:y": {perm: hotspotReaders, probe: matrixRequest{method: "GET", path: "/tiles/hotspots/12/2208/1192.mvt?cell=500&municipality=1781"}},
	"GET /v1/lagesbild": {perm: readLagesbild, ok: 200, other: 403,
		request: func(ts *testServer, muni string) matrixRequest {
			return matrixRequest{method: "GET", path: "/v1/lagesbild?period=2026-11&municipality=" + muni}
		}},
	"GET /v1/lagesbild/snapshots": {perm: readLagesbild, ok: 200, other: 403,
		request: func(ts *testServer, muni string) matrixRequest {
			return matrixRequest{method: "GET", path: "/v1/lagesbild/snapshots?municipality=" + muni}
		}},
	"POST /v1/lagesbild/snapshots": {perm: readLagesbild, probe: matrixRequest{method: "POST", path: "/v1/lagesbild/snapshots",
		body: map[string]any{"municipality": "1781", "period": "2026-11"}}},
	"GET /v1/lagesbild/snapshots/:id":         {perm: readLagesbild, probe: matrixRequest{method: "GET", path: "/v1/lagesbild/snapshots/" + uuid.NewString()}},
	"GET /v1/lagesbild/snapshots/:id/content": {perm: readLagesbild, probe: matrixRequest{method: "GET", path: "/v1/lagesbild/snapshots/" + uuid.NewString() + "/content"}},

	"GET /v1/walks": {perm: auth.PlanWalks, ok: 200, other: 403,
		request: func(ts *testServer, muni string) matrixRequest {
			return matrixRequest{method: "GET", path: "/v1/walks?municipality=" + muni}
		}},
	"POST /v1/walks": {perm: auth.PlanWalks, ok: 201, other: 403,
		request: func(ts *testServer, muni string) matrixRequest {
			return matrixRequest{method: "POST", path: "/v1/walks", body: matrixNewWalk(muni)}
		}},
	"GET /v1/walks/:id": {perm: auth.PlanWalks, ok: 200, other: 404,
		request: func(ts *testServer, muni string) matrixRequest {
			return matrixRequest{method: "GET", path: "/v1/walks/" + matrixWalk(ts, muni)}
		}},
	"GET /v1/walks/:id/report": {perm: auth.PlanWalks, ok: 200, other: 404,
		request: func(ts *testServer, muni string) matrixRequest {
			return matrixRequest{method: "GET", path: "/v1/walks/" + matrixWalk(ts, muni) + "/report"}
		}},
	"PATCH /v1/walks/:id": {perm: auth.PlanWalks, probe: matrixRequest{method: "PATCH", path: "/v1/walks/" + uuid.NewString(),
		body: map[string]any{"title": "Matrix"}, headers: []string{"If-Match", `"1"`}}},
	"GET /v1/walks/:id/route.gpx": {perm: auth.PlanWalks, probe: matrixRequest{method: "GET", path: "/v1/walks/" + uuid.NewString() + "/route.gpx"}},
	"POST /v1/walks/plan": {perm: auth.PlanWalks, probe: matrixRequest{method: "POST", path: "/v1/walks/plan",
		body: map[string]any{"municipality": "1781", "start": map[string]float64{"lat": 59.3096, "lon": 14.1086}}}},
	"POST /v1/walks/:id/observations": {perm: auth.PlanWalks, probe: matrixRequest{method: "POST", path: "/v1/walks/" + uuid.NewString() + "/observations",
		body: map[string]any{"category": "OTR.PLACE.LIGHT", "rating": "otrygg", "point": map[string]float64{"lat": 59.3096, "lon": 14.1086}}}},
	"POST /v1/walks/:id/measures": {perm: auth.PlanWalks, probe: matrixRequest{method: "POST", path: "/v1/walks/" + uuid.NewString() + "/measures",
		body: map[string]any{"what": "Matrix", "horizon": "direct", "owner": "kommun"}}},
	"PATCH /v1/walks/:id/measures/:mid": {perm: auth.PlanWalks, probe: matrixRequest{method: "PATCH", path: "/v1/walks/" + uuid.NewString() + "/measures/" + uuid.NewString(),
		body: map[string]any{"status": "done"}}},
	"POST /v1/walks/:id/observations/:oid/photos": {perm: auth.PlanWalks, probe: matrixRequest{method: "POST",
		path:    "/v1/walks/" + uuid.NewString() + "/observations/" + uuid.NewString() + "/photos",
		body:    "--matrix\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"p.jpg\"\r\nContent-Type: image/jpeg\r\n\r\nnot a photo\r\n--matrix--\r\n",
		headers: []string{"Content-Type", "multipart/form-data; boundary=matrix"}}},
}

func init() { maps.Copy(staffMatrix, analysisMatrix) }

func matrixNewWalk(muni string) map[string]any {
	return map[string]any{"municipality": muni, "title": "Matrisvandring", "starts_at": "2027-03-01T18:00:00+01:00"}
}

// matrixWalk plans a walk in muni (as an admin of both municipalities) and
// returns its id.
func matrixWalk(ts *testServer, muni string) string {
	ts.t.Helper()
	w := ts.do("POST", "/v1/walks", matrixNewWalk(muni), bearer(ts.token(auth.Admin, "1781", "1782"))...)
	if w.Code != 201 {
		ts.t.Fatalf("plan a walk in %s: %d %s", muni, w.Code, w.Body)
	}
	return decode[struct{ ID string }](ts.t, w).ID
}

var routeParam = regexp.MustCompile(`:[a-z_]+`)

// residentRoutes answer 401 without a resident's follow-up token; they are no
// staff routes (their tests are in reports_test.go).
var residentRoutes = []string{"GET /v1/reports/:id"}

// requiresToken reports whether the router answers 401 to a request on the
// route without a token, its path parameters filled with plausible values.
func requiresToken(ts *testServer, method, pattern string) bool {
	if slices.Contains(residentRoutes, method+" "+pattern) {
		return false
	}
	path := routeParam.ReplaceAllStringFunc(pattern, func(p string) string {
		switch p {
		case ":z":
			return "12"
		case ":x":
			return "2208"
		case ":y":
			return "1192.mvt"
		}
		return uuid.NewString()
	})
	if strings.Contains(path, "*") {
		path = path[:strings.Index(path, "*")] + "x"
	}
	return ts.do(method, path, nil).Code == 401
}
