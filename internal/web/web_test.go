package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gin-gonic/gin"
)

func testSite(t *testing.T, opts Options) (*Site, *gin.Engine) {
	t.Helper()
	fsys := fstest.MapFS{
		"pages.json":  {Data: []byte(`[{"route":"/","file":"report.html"},{"route":"/map","file":"map.html"}]`)},
		"report.html": {Data: []byte(`<!doctype html><meta name="trygg-basemap-style" content=""><p>` + strings.Repeat("rapport ", 200) + `</p>`)},
		"map.html":    {Data: []byte(`<meta name="trygg-basemap-style" content="">`)},
		"report.js":   {Data: []byte(strings.Repeat("console.log(1);", 100))},
	}
	s, err := load(fsys, opts)
	if err != nil {
		t.Fatal(err)
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	s.Register(r)
	return s, r
}

func get(r http.Handler, path string, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	return w
}

func TestServesPagesCompressedWithETag(t *testing.T) {
	_, r := testSite(t, Options{})
	w := get(r, "/", "Accept-Encoding", "gzip, br")
	if w.Code != 200 || w.Header().Get("Content-Encoding") != "gzip" || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("GET / = %d %v", w.Code, w.Header())
	}
	zr, err := gzip.NewReader(w.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(zr)
	if !bytes.Contains(body, []byte("rapport rapport")) {
		t.Fatalf("gzip body is not the page: %.80s", body)
	}
	etag := w.Header().Get("ETag")
	if etag == "" || !strings.Contains(w.Header().Get("Vary"), "Accept-Encoding") {
		t.Fatalf("missing ETag or Vary: %v", w.Header())
	}
	if w := get(r, "/", "If-None-Match", etag); w.Code != http.StatusNotModified || w.Body.Len() != 0 {
		t.Fatalf("If-None-Match: %d, %d bytes", w.Code, w.Body.Len())
	}
	plain := get(r, "/", "Accept-Encoding", "gzip;q=0")
	if plain.Header().Get("Content-Encoding") != "" || !strings.Contains(plain.Body.String(), "rapport") {
		t.Fatalf("gzip;q=0 still compressed: %v", plain.Header())
	}
}

func TestAssets(t *testing.T) {
	_, r := testSite(t, Options{})
	if w := get(r, "/assets/report.js"); w.Code != 200 || w.Header().Get("Content-Type") != "text/javascript; charset=utf-8" || w.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("report.js: %d %v", w.Code, w.Header())
	}
	if csp := get(r, "/assets/report.js").Header().Get("Content-Security-Policy"); !strings.Contains(csp, "connect-src 'self'") || !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("a script (and so a worker) must be allowed to fetch from its origin: CSP %q", csp)
	}
	for _, p := range []string{"/assets/nope.js", "/assets/report.html", "/assets/pages.json", "/assets/../web.go"} {
		if w := get(r, p); w.Code != 404 {
			t.Errorf("%s = %d, want 404", p, w.Code)
		}
	}
}

func TestBasemapMeta(t *testing.T) {
	_, r := testSite(t, Options{BasemapStyleURL: `https://tiles.example.org/style.json?a=1&b="2"`})
	body := get(r, "/map").Body.String()
	want := `<meta name="trygg-basemap-style" content="https://tiles.example.org/style.json?a=1&amp;b=&#34;2&#34;">`
	if body != want {
		t.Fatalf("meta = %s, want %s", body, want)
	}
	csp := CSPAllowances(Options{BasemapStyleURL: "https://tiles.example.org/style.json"})
	if got := strings.Join(csp["connect-src"], " "); got != "'self' https://tiles.example.org" {
		t.Fatalf("connect-src = %q", got)
	}
	if got := strings.Join(CSPAllowances(Options{})["connect-src"], " "); got != "'self'" {
		t.Fatalf("connect-src without basemap = %q", got)
	}
}

func TestIsPageRoute(t *testing.T) {
	s, _ := testSite(t, Options{})
	for route, want := range map[string]bool{"/": true, "/map": true, "/assets/*file": true, "/v1/categories": false, "/staff": false} {
		if got := s.IsPageRoute(route); got != want {
			t.Errorf("IsPageRoute(%q) = %v", route, got)
		}
	}
}

func TestMissingPageFileFails(t *testing.T) {
	_, err := load(fstest.MapFS{"pages.json": {Data: []byte(`[{"route":"/x","file":"x.html"}]`)}}, Options{})
	if err == nil || !strings.Contains(err.Error(), "x.html") {
		t.Fatalf("err = %v", err)
	}
}

// TestEmbeddedBuild checks the committed build: every page of pages.json is
// there and loads its own script and stylesheet, which are there too.
func TestEmbeddedBuild(t *testing.T) {
	s, err := Load(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Pages()) == 0 {
		t.Fatal("no pages")
	}
	r := gin.New()
	s.Register(r)
	for _, p := range s.Pages() {
		w := get(r, p.Route)
		if w.Code != 200 {
			t.Fatalf("%s = %d", p.Route, w.Code)
		}
		name := strings.TrimSuffix(p.File, ".html")
		for _, asset := range []string{"/assets/" + name + ".js", "/assets/" + name + ".css"} {
			if !strings.Contains(w.Body.String(), asset) {
				t.Errorf("%s does not load %s", p.Route, asset)
			}
			if w := get(r, asset); w.Code != 200 {
				t.Errorf("%s = %d", asset, w.Code)
			}
		}
	}
	if w := get(r, "/assets/maplibre-gl-worker.mjs"); w.Code != 200 {
		t.Errorf("MapLibre worker = %d", w.Code)
	}
}
