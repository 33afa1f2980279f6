// Package pgtest gives tests a real, migrated PostGIS database of their own.
//
// The first call in a test run builds a template database from the embedded
// migrations and River's (named after a hash of both, guarded by an advisory lock
// so parallel test binaries build it once); each New then clones it, which takes
// a fraction of a second. TRYGG_TEST_DATABASE_URL names a role that may create databases. Without
// it tests skip, except under CI=true, where they fail: CI must never pass by
// skipping the database.
package pgtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/trygg/trygg/internal/postgres"
	"github.com/trygg/trygg/migrations"
)

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
	counter      atomic.Int64
)

// AdminURL returns the URL tests create databases through, or skips/fails.
func AdminURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("TRYGG_TEST_DATABASE_URL")
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("TRYGG_TEST_DATABASE_URL is not set; in CI database tests must run (scripts/test sets it)")
		}
		t.Skip("TRYGG_TEST_DATABASE_URL not set; run scripts/test to get a database")
	}
	return u
}

// New returns a pool on a fresh database cloned from the migrated template,
// dropped when the test ends.
func New(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, _ := NewWithURL(t)
	return pool
}

// NewWithURL is New and also returns the database's URL (for code that opens its
// own connections, such as the migrator or a server under test).
func NewWithURL(t testing.TB) (*pgxpool.Pool, string) {
	t.Helper()
	admin := AdminURL(t)
	ctx := context.Background()
	templateOnce.Do(func() { templateName, templateErr = ensureTemplate(ctx, admin) })
	if templateErr != nil {
		t.Fatalf("pgtest: template database: %v", templateErr)
	}
	name := fmt.Sprintf("trygg_t_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6, counter.Add(1))
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("pgtest: connect %s: %v", redact(admin), err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE "+templateName); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	dbURL := withDatabase(admin, name)
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		pool.Close()
		c, err := pgx.Connect(context.Background(), admin)
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		_, _ = c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	return pool, dbURL
}

func ensureTemplate(ctx context.Context, admin string) (string, error) {
	river, err := riverMigrations()
	if err != nil {
		return "", err
	}
	name := templateFor(migrations.FS, river)
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return "", fmt.Errorf("connect %s: %w", redact(admin), err)
	}
	defer conn.Close(ctx)
	// One builder at a time across all test binaries of this run.
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(74117)"); err != nil {
		return "", err
	}
	defer conn.Exec(ctx, "SELECT pg_advisory_unlock(74117)")
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	// Templates of other migration sets are left alone: another checkout's tests
	// may be cloning them right now on the same server.
	building := name + "_building"
	_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+building+" WITH (FORCE)")
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+building); err != nil {
		return "", err
	}
	mg, err := postgres.NewMigrator(withDatabase(admin, building))
	if err != nil {
		return "", err
	}
	if err := mg.Up(); err != nil {
		mg.Close()
		return "", fmt.Errorf("migrate template: %w", err)
	}
	if err := mg.Close(); err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, "ALTER DATABASE "+building+" RENAME TO "+name); err != nil {
		return "", err
	}
	return name, nil
}

// templateFor names the template after everything that shapes its schema: our
// migration files and the migrations of the River version we are built with
// (Migrator.Up runs both). A River upgrade that changes its tables so gets a new
// template instead of clones of a stale one.
func templateFor(ours fs.FS, river []rivermigrate.Migration) string {
	h := sha256.New()
	_ = fs.WalkDir(ours, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(ours, p)
		h.Write([]byte(p))
		h.Write(b)
		return err
	})
	for _, m := range river {
		fmt.Fprintf(h, "\x00river %d %s %d\x00%s", m.Version, m.Name, len(m.SQLUp), m.SQLUp)
	}
	return "trygg_tmpl_" + hex.EncodeToString(h.Sum(nil))[:16]
}

// riverMigrations lists River's migrations as the linked River ships them; no
// database is needed to read them.
func riverMigrations() ([]rivermigrate.Migration, error) {
	m, err := rivermigrate.New(riverpgxv5.New(nil), nil)
	if err != nil {
		return nil, fmt.Errorf("river migrations: %w", err)
	}
	return m.AllVersions(), nil
}

func withDatabase(raw, name string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Path = "/" + name
	return u.String()
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable url)"
	}
	return u.Redacted()
}
