package pgtest

import (
	"context"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/riverqueue/river/rivermigrate"

	"github.com/trygg/trygg/internal/postgres"
	"github.com/trygg/trygg/migrations"
)

// TestTemplateNameFollowsRiver checks that the template's name changes with
// anything that changes its schema: one of our migration files, or River's
// migrations as a River upgrade brings them (one changed, one added).
func TestTemplateNameFollowsRiver(t *testing.T) {
	river, err := riverMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(river) == 0 {
		t.Fatal("the linked River ships no migrations")
	}
	ours := fstest.MapFS{}
	err = fs.WalkDir(migrations.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.FS, p)
		ours[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	base := templateFor(migrations.FS, river)
	if len(base) > 63 {
		t.Errorf("%q is longer than a PostgreSQL identifier", base)
	}
	if again := templateFor(ours, append([]rivermigrate.Migration(nil), river...)); again != base {
		t.Fatalf("the same migrations name two templates: %s, %s", base, again)
	}

	changed := append([]rivermigrate.Migration(nil), river...)
	last := &changed[len(changed)-1]
	last.SQLUp += "\nALTER TABLE river_job ADD COLUMN upgrade_test int;"
	added := append(append([]rivermigrate.Migration(nil), river...),
		rivermigrate.Migration{Version: river[len(river)-1].Version + 1, Name: "upgrade_test", SQLUp: "SELECT 1;"})
	edited := fstest.MapFS{}
	for p, f := range ours {
		edited[p] = f
	}
	for p, f := range ours {
		edited[p] = &fstest.MapFile{Data: append(append([]byte(nil), f.Data...), "\n-- edited\n"...)}
		break
	}
	for name, got := range map[string]string{
		"a River migration changed": templateFor(ours, changed),
		"a River migration added":   templateFor(ours, added),
		"one of ours edited":        templateFor(edited, river),
		"River's left out":          templateFor(ours, nil),
	} {
		if got == base {
			t.Errorf("%s: still %s", name, base)
		}
	}
}

// TestTemplateIsFullyMigrated checks a clone against both migration sets: our
// schema at the binary's version and River's at the last migration it ships.
func TestTemplateIsFullyMigrated(t *testing.T) {
	pool := New(t)
	ctx := context.Background()
	var ours int64
	var dirty bool
	if err := pool.QueryRow(ctx, `SELECT version, dirty FROM schema_migrations`).Scan(&ours, &dirty); err != nil {
		t.Fatal(err)
	}
	if uint(ours) != postgres.ExpectedVersion() || dirty {
		t.Errorf("schema_migrations at %d (dirty %v), want %d", ours, dirty, postgres.ExpectedVersion())
	}
	river, err := riverMigrations()
	if err != nil {
		t.Fatal(err)
	}
	var riverAt int
	if err := pool.QueryRow(ctx, `SELECT max(version) FROM river_migration WHERE line = 'main'`).Scan(&riverAt); err != nil {
		t.Fatal(err)
	}
	if want := river[len(river)-1].Version; riverAt != want {
		t.Errorf("river_migration at %d, the linked River ships up to %d", riverAt, want)
	}
}
