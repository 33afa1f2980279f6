package httpapi

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/trygg/trygg/internal/auth"
)

func TestSecurityHeaders(t *testing.T) {
	ts := newTestServer(t, nil)
	analyst := bearer(ts.token(auth.Analyst, "1781"))
	common := func(name string, h http.Header) {
		t.Helper()
		for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"} {
			if got := h.Get(k); got != want {
				t.Errorf("%s: %s = %q, want %q", name, k, got, want)
			}
		}
	}
	// JSON, errors and unmatched routes get the empty policy.
	for _, path := range []string{"/healthz", "/v1/categories", "/no/such/route"} {
		w := ts.do("GET", path, nil)
		common(path, w.Header())
		if got := w.Header().Get("Content-Security-Policy"); got != apiCSP {
			t.Errorf("%s: CSP %q", path, got)
		}
	}
	// Scripts carry the pages' allowances (internal/web sets them): a worker
	// (MapLibre's fetches the tiles) runs under the policy of its script's response.
	w := ts.do("GET", "/assets/maplibre-gl-worker.mjs", nil)
	if w.Code != 200 || !strings.Contains(w.Header().Get("Content-Security-Policy"), "connect-src 'self'") {
		t.Errorf("worker script: %d, CSP %q", w.Code, w.Header().Get("Content-Security-Policy"))
	}
	// HTML: the web pages and the generated reports.
	pages := map[string][]string{
		"/": nil,
		"/v1/lagesbild?municipality=1781&period=2026-W47&format=html": analyst,
	}
	for path, hdr := range pages {
		w := ts.do("GET", path, nil, hdr...)
		if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
			t.Fatalf("%s: %d %s", path, w.Code, w.Header().Get("Content-Type"))
		}
		common(path, w.Header())
		csp := w.Header().Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP allows inline code: %q", path, csp)
		}
		body := w.Body.String()
		if regexp.MustCompile(`(?i)<script(\s[^>]*)?>\s*[^<\s]`).MatchString(body) && !strings.Contains(body, `src=`) {
			t.Errorf("%s: inline script in the page", path)
		}
		// Every inline style block is allowed by its hash, and nothing else inline.
		for _, m := range regexp.MustCompile(`(?is)<style[^>]*>(.*?)</style>`).FindAllStringSubmatch(body, -1) {
			sum := sha256.Sum256([]byte(m[1]))
			if h := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(csp, h) {
				t.Errorf("%s: CSP %q lacks the hash %s of its <style>", path, csp, h)
			}
		}
	}
}

func TestCORSRejectsUnknownOrigins(t *testing.T) {
	ts := newTestServer(t, map[string]string{"TRYGG_CORS_ORIGINS": "https://app.example.se"})
	preflight := func(origin string) *http.Response {
		w := ts.do("OPTIONS", "/v1/reports", nil, "Origin", origin, "Access-Control-Request-Method", "POST",
			"Access-Control-Request-Headers", "Content-Type, Idempotency-Key")
		return w.Result()
	}
	if r := preflight("https://app.example.se"); r.StatusCode != 204 || r.Header.Get("Access-Control-Allow-Origin") != "https://app.example.se" {
		t.Fatalf("allowed origin preflight: %d %v", r.StatusCode, r.Header)
	}
	for _, evil := range []string{"https://evil.example", "https://app.example.se.evil.example", "null", "http://app.example.se"} {
		r := preflight(evil)
		if r.StatusCode != 403 || r.Header.Get("Access-Control-Allow-Origin") != "" || r.Header.Get("Access-Control-Allow-Methods") != "" {
			t.Errorf("preflight from %s: %d %v", evil, r.StatusCode, r.Header)
		}
		w := ts.do("GET", "/v1/categories", nil, "Origin", evil)
		if w.Header().Get("Access-Control-Allow-Origin") != "" || w.Header().Get("Access-Control-Allow-Credentials") != "" {
			t.Errorf("simple GET from %s allowed: %v", evil, w.Header())
		}
	}
}
