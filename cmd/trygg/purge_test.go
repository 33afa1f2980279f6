package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/trygg/trygg/internal/postgres/pgtest"
)

// oldKeys stores n idempotent responses two days old (past the 24 h default).
func oldKeys(t *testing.T, pool *pgxpool.Pool, n int) {
	t.Helper()
	for i := range n {
		if _, err := pool.Exec(context.Background(), `INSERT INTO idempotency_keys (scope, key, request_hash, status_code, response, created_at)
VALUES ('report', $1, '\x00', 201, '{"follow_up_token":"secret"}', now() - interval '2 days')`, "old-"+string(rune('a'+i))); err != nil {
			t.Fatal(err)
		}
	}
}

func countKeys(t *testing.T, pool *pgxpool.Pool) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM idempotency_keys`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPurgeCommand(t *testing.T) {
	t.Parallel()
	pool, url := pgtest.NewWithURL(t)
	oldKeys(t, pool, 2)
	env := envOf(map[string]string{"DATABASE_URL": url, "TRYGG_HASH_SECRET": "0123456789abcdef0123"})
	ctx := context.Background()

	var out bytes.Buffer
	if err := run(ctx, []string{"purge", "--dry-run"}, env, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "dry run") || !strings.Contains(out.String(), "idempotency  2") {
		t.Errorf("dry run printed %q, want a dry-run header and idempotency 2", out.String())
	}
	if n := countKeys(t, pool); n != 2 {
		t.Fatalf("after a dry run %d keys remain, want 2", n)
	}
	out.Reset()
	if err := run(ctx, []string{"purge"}, env, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "idempotency  2") || countKeys(t, pool) != 0 {
		t.Errorf("purge printed %q and left %d keys, want 2 purged", out.String(), countKeys(t, pool))
	}
	out.Reset()
	if err := run(ctx, []string{"purge"}, env, &out, io.Discard); err != nil || !strings.Contains(out.String(), "idempotency  0") {
		t.Errorf("second purge: %v %q, want nothing left to purge", err, out.String())
	}
	if err := run(ctx, []string{"purge", "--now"}, env, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "usage: trygg purge") {
		t.Errorf("unknown flag: %v, want usage", err)
	}
}

// TestServeRunsPurge checks serve purges on its own schedule and still stops cleanly.
func TestServeRunsPurge(t *testing.T) {
	t.Parallel()
	pool, url := pgtest.NewWithURL(t)
	oldKeys(t, pool, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, envOf(map[string]string{"DATABASE_URL": url, "TRYGG_ADDR": "127.0.0.1:0",
			"TRYGG_SHUTDOWN_TIMEOUT": "5s", "TRYGG_PURGE_INTERVAL": "1h"}), io.Discard, io.Discard)
	}()
	deadline := time.Now().Add(60 * time.Second)
	for countKeys(t, pool) != 0 {
		if time.Now().After(deadline) {
			t.Fatal("serve did not purge the stale idempotency key")
		}
		time.Sleep(50 * time.Millisecond)
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
