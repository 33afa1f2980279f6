package postgres_test

import (
	"context"
	"testing"

	"github.com/trygg/trygg/internal/postgres"
	"github.com/trygg/trygg/internal/postgres/pgtest"
)

func TestMigrationsDownAndUpAgain(t *testing.T) {
	pool, url := pgtest.NewWithURL(t)
	mg, err := postgres.NewMigrator(url)
	if err != nil {
		t.Fatal(err)
	}
	defer mg.Close()
	v, dirty, err := mg.Version()
	if err != nil || dirty || v != postgres.ExpectedVersion() {
		t.Fatalf("version %d dirty %v err %v, want %d", v, dirty, err, postgres.ExpectedVersion())
	}
	// Versions need not be contiguous (numbers are handed out to parallel work),
	// so step down until none is left.
	for i := 0; v > 0; i++ {
		if err := mg.Down(); err != nil {
			t.Fatalf("down step %d: %v", i, err)
		}
		if v, _, err = mg.Version(); err != nil {
			t.Fatal(err)
		}
	}
	// River's tables go with the migration that brought them.
	var river bool
	if err := pool.QueryRow(context.Background(), `SELECT to_regclass('river_job') IS NOT NULL`).Scan(&river); err != nil || river {
		t.Fatalf("after all down migrations river_job exists: %v (%v)", river, err)
	}
	if err := mg.Up(); err != nil {
		t.Fatalf("up again: %v", err)
	}
}

func TestMunicipalityBoundariesLoaded(t *testing.T) {
	pool := pgtest.New(t)
	ctx := context.Background()
	var n int
	var invalid int
	if err := pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE NOT ST_IsValid(geom)) FROM municipalities`).Scan(&n, &invalid); err != nil {
		t.Fatal(err)
	}
	if n != 290 || invalid != 0 {
		t.Fatalf("municipalities: %d (invalid %d), want 290 valid", n, invalid)
	}
}

// TestMeasureDoneAtBackfilled: migration 15 gives the measures already done
// their last change as the time they were done, and the others none.
func TestMeasureDoneAtBackfilled(t *testing.T) {
	pool, url := pgtest.NewWithURL(t)
	ctx := context.Background()
	mg, err := postgres.NewMigrator(url)
	if err != nil {
		t.Fatal(err)
	}
	defer mg.Close()
	for v, _, _ := mg.Version(); v >= 15; v, _, _ = mg.Version() {
		if err := mg.Down(); err != nil {
			t.Fatalf("down from %d: %v", v, err)
		}
	}
	_, err = pool.Exec(ctx, `
INSERT INTO walks (id, municipality_code, title, starts_at, status, created_by)
VALUES ('00000000-0000-0000-0000-0000000000a1', '1781', 'Vandring', '2026-10-14 18:00+02', 'held', 'test');
INSERT INTO measures (id, walk_id, what, horizon, owner, status, updated_at) VALUES
 ('00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-0000000000a1', 'Belysning', 'short', 'Gatukontoret', 'done', '2026-10-20 09:00+02'),
 ('00000000-0000-0000-0000-0000000000b2', '00000000-0000-0000-0000-0000000000a1', 'Buskar', 'short', 'Gatukontoret', 'open', '2026-10-21 09:00+02'),
 ('00000000-0000-0000-0000-0000000000b3', '00000000-0000-0000-0000-0000000000a1', 'Skylt', 'short', 'Gatukontoret', 'cancelled', '2026-10-22 09:00+02')`)
	if err != nil {
		t.Fatal(err)
	}
	if err := mg.Up(); err != nil {
		t.Fatal(err)
	}
	var done, others int
	err = pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE status = 'done' AND done_at = '2026-10-20 09:00+02'),
       count(*) FILTER (WHERE status <> 'done' AND done_at IS NULL) FROM measures`).Scan(&done, &others)
	if err != nil || done != 1 || others != 2 {
		t.Errorf("backfilled %d done, %d others without done_at (%v), want 1 and 2", done, others, err)
	}
	// The schema keeps done_at and the status together.
	if _, err := pool.Exec(ctx, `UPDATE measures SET done_at = NULL WHERE status = 'done'`); err == nil {
		t.Errorf("a done measure without done_at was accepted")
	}
}
