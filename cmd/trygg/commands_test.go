package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/postgres"
	"github.com/trygg/trygg/internal/postgres/pgtest"
)

// envOf is a getenv over a map, as run receives it.
func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestRunDispatch(t *testing.T) {
	cases := []struct {
		args    []string
		wantErr string // "" = succeeds
		wantOut string
	}{
		{nil, "no command", ""},
		{[]string{"help"}, "", "usage: trygg"},
		{[]string{"--help"}, "", "token create"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`, ""},
		{[]string{"migrate"}, "usage: trygg migrate", ""},
		{[]string{"migrate", "uo"}, "usage: trygg migrate", ""},
		{[]string{"migrate", "up", "now"}, "usage: trygg migrate", ""},
		{[]string{"seed", "production"}, "usage: trygg seed", ""},
		{[]string{"token"}, "usage: trygg token", ""},
		{[]string{"token", "create", "--role", "mayor", "--municipality", "1781"}, "unknown role", ""},
		{[]string{"token", "create", "--role", "admin", "--municipality", "178"}, "four-digit kommunkod", ""},
		{[]string{"token", "create", "--role", "admin"}, "four-digit kommunkod", ""},
		{[]string{"token", "revoke"}, "usage: trygg token revoke", ""},
		{[]string{"token", "revoke", "not-a-uuid"}, "must be a UUID", ""},
	}
	// No database is reached by any of these: a bad URL would fail them otherwise.
	getenv := envOf(map[string]string{"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=1"})
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out, errs bytes.Buffer
			err := run(context.Background(), tc.args, getenv, &out, &errs)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("error %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
			}
			if !strings.Contains(out.String(), tc.wantOut) {
				t.Errorf("output %q lacks %q", out.String(), tc.wantOut)
			}
		})
	}
}

func TestConfigErrorsStopCommands(t *testing.T) {
	err := run(context.Background(), []string{"migrate", "version"}, envOf(map[string]string{"DATABASE_URL": "mysql://x"}), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "DATABASE_URL") {
		t.Errorf("error %v, want one about DATABASE_URL", err)
	}
}

// TestTokenLifecycle creates a token through the command, checks the printed
// secret authenticates and only its hash is stored, then revokes it.
func TestTokenLifecycle(t *testing.T) {
	t.Parallel()
	pool, url := pgtest.NewWithURL(t)
	getenv := envOf(map[string]string{"DATABASE_URL": url})
	ctx := context.Background()
	db := postgres.New(pool)

	var out bytes.Buffer
	if err := run(ctx, []string{"token", "create", "--role", "caseworker", "--municipality", "1781,1782", "--name", "Kim"}, getenv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`token id ([0-9a-f-]{36}) .*\n(trg_\S+)\n`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("output %q has no id and token", out.String())
	}
	id, token := m[1], m[2]
	p, err := db.PrincipalByTokenHash(ctx, auth.HashToken(token))
	if err != nil {
		t.Fatalf("printed token does not authenticate: %v", err)
	}
	if p.Role != auth.Caseworker || p.Name != "Kim" || fmt.Sprint(p.Municipalities) != "[1781 1782]" {
		t.Errorf("principal %+v", p)
	}
	var stored int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM api_tokens WHERE position($1::bytea in token_hash) > 0 OR name = $2`, []byte(token), token).Scan(&stored); err != nil || stored != 0 {
		t.Errorf("the token itself is stored (%d rows, %v)", stored, err)
	}

	if err := run(ctx, []string{"token", "create", "--role", "admin", "--municipality", "9999"}, getenv, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "unknown municipalities") {
		t.Errorf("unknown municipality: %v", err)
	}

	out.Reset()
	if err := run(ctx, []string{"token", "revoke", id}, getenv, &out, io.Discard); err != nil || !strings.Contains(out.String(), "revoked "+id) {
		t.Fatalf("revoke: %v %q", err, out.String())
	}
	if _, err := db.PrincipalByTokenHash(ctx, auth.HashToken(token)); err == nil {
		t.Error("revoked token still authenticates")
	}
	if err := run(ctx, []string{"token", "revoke", id}, getenv, io.Discard, io.Discard); err == nil {
		t.Error("revoking twice succeeded")
	}
}

func TestMigrateVersion(t *testing.T) {
	t.Parallel()
	_, url := pgtest.NewWithURL(t)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"migrate", "up"}, envOf(map[string]string{"DATABASE_URL": url}), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("schema version %d (dirty: false; this binary expects %d)", postgres.ExpectedVersion(), postgres.ExpectedVersion())
	if !strings.Contains(out.String(), want) {
		t.Errorf("output %q, want %q", out.String(), want)
	}
}

// TestServeShutsDownGracefully starts the real server on a free port, checks it
// answers, and stops it the way SIGTERM does: run returns nil.
func TestServeShutsDownGracefully(t *testing.T) {
	t.Parallel()
	_, url := pgtest.NewWithURL(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logr, logw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, envOf(map[string]string{"DATABASE_URL": url, "TRYGG_ADDR": "127.0.0.1:0", "TRYGG_SHUTDOWN_TIMEOUT": "5s"}), io.Discard, logw)
		logw.Close()
	}()
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(logr)
		for sc.Scan() {
			if m := regexp.MustCompile(`msg=listening addr=(\S+)`).FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	var base string
	select {
	case a := <-addr:
		base = "http://" + a
	case err := <-done:
		t.Fatalf("serve ended before listening: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not start listening")
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s = %d", path, resp.StatusCode)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after shutdown, want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
}
