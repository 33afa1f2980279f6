package httpapi

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

var ginParam = regexp.MustCompile(`[:*]([A-Za-z_]+)`)

// TestEveryRouteIsDocumented fails when the router has a route that
// openapi/openapi.yaml lacks, so the contract and the code cannot drift.
func TestEveryRouteIsDocumented(t *testing.T) {
	ts := newTestServer(t, nil)
	for _, r := range ts.srv.Engine().Routes() {
		if ts.srv.site.IsPageRoute(r.Path) {
			continue // HTML pages and their assets, not API operations (internal/web)
		}
		path := ginParam.ReplaceAllString(r.Path, "{$1}")
		item := ts.srv.contract.doc.Paths.Find(path)
		if item == nil {
			t.Errorf("route %s %s is not in openapi.yaml", r.Method, path)
			continue
		}
		if item.GetOperation(r.Method) == nil {
			t.Errorf("route %s %s: method not in openapi.yaml", r.Method, path)
		}
	}
}

func TestOperationalEndpoints(t *testing.T) {
	ts := newTestServer(t, nil)
	if w := ts.do(http.MethodGet, "/healthz", nil); w.Code != 200 {
		t.Fatalf("healthz %d", w.Code)
	}
	if w := ts.do(http.MethodGet, "/readyz", nil); w.Code != 200 {
		t.Fatalf("readyz %d %s", w.Code, w.Body)
	}
	if w := ts.do(http.MethodGet, "/openapi.yaml", nil); w.Code != 200 || !strings.HasPrefix(w.Body.String(), "openapi: 3") {
		t.Fatalf("openapi.yaml %d", w.Code)
	}
	ts.do(http.MethodGet, "/v1/categories", nil)
	w := ts.do(http.MethodGet, "/metrics", nil)
	for _, want := range []string{`trygg_http_requests_total{method="GET",route="/v1/categories",status="200"} 1`, "trygg_db_pool_max_conns", "trygg_http_request_duration_seconds_bucket"} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}
