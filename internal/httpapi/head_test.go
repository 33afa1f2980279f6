package httpapi

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/tiles"
)

// TestHeadAnswersAsGet asks caches' and monitors' questions with HEAD over a
// real HTTP connection (http.Server is what drops a HEAD response's body) and
// compares each answer with the GET's: same status and headers, no body.
func TestHeadAnswersAsGet(t *testing.T) {
	ts := newTestServer(t, nil)
	a := ts.addReport(kristinehamnX, kristinehamnY, "FEL.LIGHT", "published")
	tile := tiles.Containing(13, a.lon, a.lat)
	analyst := "Bearer " + ts.token(auth.Analyst, "1781")
	srv := httptest.NewServer(ts.srv.Handler())
	t.Cleanup(srv.Close)

	send := func(method, path string, headers ...string) (*http.Response, []byte) {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res, body
	}

	type probe struct {
		path    string
		headers []string
		status  int
	}
	// Accept-Encoding is always set: otherwise Go's client asks for gzip itself,
	// unpacks the answer and drops its Content-Length.
	probes := []probe{
		{"/healthz", nil, 200},
		{"/readyz", nil, 200},
		{"/openapi.yaml", nil, 200},
		{"/ogc", nil, 200},
		{"/tiles/reports_public.json", nil, 200},
		{fmt.Sprintf("/tiles/reports_public/%d/%d/%d.mvt", tile.Z, tile.X, tile.Y), nil, 200},
		{fmt.Sprintf("/tiles/reports_public/%d/%d/%d.mvt", tile.Z, tile.X, tile.Y), []string{"Accept-Encoding", "gzip"}, 200},
		{"/tiles/reports_public/12/0/0.mvt", nil, 204},
		{"/tiles/hotspots.json?municipality=1781&cell=500", []string{"Authorization", analyst}, 200},
		{"/tiles/hotspots.json?municipality=1781", nil, 401},
		{"/assets/map.js", nil, 200},
		{"/assets/map.js", []string{"Accept-Encoding", "gzip"}, 200},
		{"/assets/map.css", nil, 200},
		{"/assets/icon.svg", nil, 200},
		{"/assets/nosuch.js", nil, 404},
		{"/nosuch", nil, 404},
		{"/v1/reports", nil, 400}, // POST only: refused alike
	}
	for _, p := range ts.srv.site.Pages() {
		probes = append(probes, probe{p.Route, nil, 200}, probe{p.Route, []string{"Accept-Encoding", "gzip"}, 200})
	}
	compared := []string{"Content-Type", "Content-Length", "Content-Encoding", "ETag", "Cache-Control", "Vary", "Content-Security-Policy"}
	for _, p := range probes {
		headers := append([]string{"Accept-Encoding", "identity"}, p.headers...)
		get, getBody := send(http.MethodGet, p.path, headers...)
		head, headBody := send(http.MethodHead, p.path, headers...)
		name := fmt.Sprintf("%s %v", p.path, p.headers)
		if get.StatusCode != p.status || head.StatusCode != get.StatusCode {
			t.Errorf("%s: GET %d, HEAD %d, want %d", name, get.StatusCode, head.StatusCode, p.status)
			continue
		}
		if len(headBody) != 0 {
			t.Errorf("%s: HEAD sent %d bytes of body", name, len(headBody))
		}
		for _, h := range compared {
			if g, hd := get.Header.Get(h), head.Header.Get(h); g != hd {
				t.Errorf("%s: %s is %q for GET, %q for HEAD", name, h, g, hd)
			}
		}
		// Content-Length, where GET has it, is the GET body's length.
		if cl := get.Header.Get("Content-Length"); cl != "" && cl != fmt.Sprint(len(getBody)) {
			t.Errorf("%s: Content-Length %s, body %d bytes", name, cl, len(getBody))
		}
		if p.status == 200 && get.Header.Get("Content-Type") == "" {
			t.Errorf("%s: no Content-Type", name)
		}
	}

	// Web pages and tiles carry a length and an ETag, and HEAD revalidates.
	for _, path := range []string{"/", "/map", "/assets/map.js", fmt.Sprintf("/tiles/reports_public/%d/%d/%d.mvt", tile.Z, tile.X, tile.Y)} {
		head, _ := send(http.MethodHead, path, "Accept-Encoding", "gzip")
		etag := head.Header.Get("ETag")
		if etag == "" || head.ContentLength <= 0 {
			t.Errorf("HEAD %s: ETag %q, Content-Length %d", path, etag, head.ContentLength)
			continue
		}
		if again, body := send(http.MethodHead, path, "Accept-Encoding", "gzip", "If-None-Match", etag); again.StatusCode != http.StatusNotModified || len(body) != 0 {
			t.Errorf("HEAD %s If-None-Match: %d", path, again.StatusCode)
		}
	}
}
