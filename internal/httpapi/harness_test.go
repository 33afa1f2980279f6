package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/config"
	"github.com/trygg/trygg/internal/postgres"
	"github.com/trygg/trygg/internal/postgres/pgtest"
)

// testServer is the real router on a fresh migrated PostGIS database.
type testServer struct {
	t   testing.TB
	srv *Server
	db  *postgres.DB
	now time.Time
}

// newTestServer builds a server with generous rate limits on its own database.
// env overrides configuration variables.
func newTestServer(t testing.TB, env map[string]string) *testServer {
	t.Helper()
	return newTestServerWith(t, env, Options{})
}

// newTestServerWith is newTestServer with server options (its Now is the test
// clock). The database is opened as the service opens it, so the map's data
// versions are followed in memory (postgres.Open).
func newTestServerWith(t testing.TB, env map[string]string, opts Options) *testServer {
	t.Helper()
	pool, url := pgtest.NewWithURL(t)
	pool.Close()
	db, err := postgres.Open(context.Background(), url, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return newTestServerOn(t, db, env, opts)
}

// newTestServerOn builds the test server on a given database.
func newTestServerOn(t testing.TB, db *postgres.DB, env map[string]string, opts Options) *testServer {
	t.Helper()
	vars := map[string]string{"TRYGG_RATE_LIMIT": "10000", "TRYGG_RATE_BURST": "10000"}
	for k, v := range env {
		vars[k] = v
	}
	cfg, err := config.FromEnv(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{t: t, db: db, now: time.Date(2026, 11, 20, 18, 0, 0, 0, time.UTC)}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	opts.Now = func() time.Time { return ts.now }
	ts.srv, err = New(cfg, ts.db, log, opts)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// token creates a staff token with the role and municipalities.
func (ts *testServer) token(role auth.Role, munis ...string) string {
	ts.t.Helper()
	tok, hash := auth.NewToken()
	if _, err := ts.db.CreateToken(context.Background(), string(role), role, munis, hash); err != nil {
		ts.t.Fatal(err)
	}
	return tok
}

// do sends a request through the router. body may be nil, a string, []byte or a
// value to encode as JSON. headers are name/value pairs.
func (ts *testServer) do(method, path string, body any, headers ...string) *httptest.ResponseRecorder {
	ts.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = bytes.NewBufferString(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			ts.t.Fatal(err)
		}
		r = bytes.NewReader(j)
	}
	req := httptest.NewRequest(method, path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	ts.srv.Handler().ServeHTTP(w, req)
	return w
}

// decode unmarshals a JSON response into v.
func decode[T any](t testing.TB, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("response is not JSON (%d): %s", w.Code, w.Body.String())
	}
	return v
}

// count returns the number of rows in a table.
func (ts *testServer) count(table string) int {
	ts.t.Helper()
	var n int
	if err := ts.db.Pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		ts.t.Fatal(err)
	}
	return n
}

// errorCode returns the error code of a JSON error response.
func errorCode(t testing.TB, w *httptest.ResponseRecorder) string {
	t.Helper()
	return decode[ErrorBody](t, w).Error.Code
}

var _ = http.MethodGet
