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
