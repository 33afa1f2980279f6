package postgres

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strconv"
	"strings"

	"github.com/golang-migrate/migrate/v4"
	_ "github.com/golang-migrate/migrate/v4/database/pgx/v5" // registers pgx5://
	"github.com/golang-migrate/migrate/v4/source/iofs"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/trygg/trygg/migrations"
)

// Migrator runs the embedded migrations against one database.
type Migrator struct {
	m   *migrate.Migrate
	url string
}

// NewMigrator prepares migrations for the database at url (postgres:// form).
func NewMigrator(url string) (*Migrator, error) {
	src, err := iofs.New(migrations.FS, ".")
	if err != nil {
		return nil, err
	}
	u := url
	for _, p := range []string{"postgres://", "postgresql://"} {
		if strings.HasPrefix(u, p) {
			u = "pgx5://" + strings.TrimPrefix(u, p)
		}
	}
	m, err := migrate.NewWithSourceInstance("iofs", src, u)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return &Migrator{m: m, url: url}, nil
}

// Up applies every pending migration, then River's (the job tables behind the
// delivery outbox).
func (mg *Migrator) Up() error {
	if err := ignoreNoChange(mg.m.Up()); err != nil {
		return err
	}
	return migrateRiver(context.Background(), mg.url, rivermigrate.DirectionUp)
}

// Down reverts one migration; reverting the one that brought the delivery
// outbox removes River's tables too.
func (mg *Migrator) Down() error {
	if err := ignoreNoChange(mg.m.Steps(-1)); err != nil {
		return err
	}
	if v, _, err := mg.Version(); err == nil && v < riverSince {
		return migrateRiver(context.Background(), mg.url, rivermigrate.DirectionDown)
	}
	return nil
}

// riverSince is the migration from which the schema includes River's tables.
const riverSince = 10

// migrateRiver runs River's own versioned migrations (tracked in its
// river_migration table), all the way up or all the way down.
func migrateRiver(ctx context.Context, url string, dir rivermigrate.Direction) error {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return err
	}
	defer pool.Close()
	m, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	opts := &rivermigrate.MigrateOpts{}
	if dir == rivermigrate.DirectionDown {
		var exists bool
		if err := pool.QueryRow(ctx, `SELECT to_regclass('river_migration') IS NOT NULL`).Scan(&exists); err != nil || !exists {
			return err
		}
		opts.TargetVersion = -1
	}
	if _, err := m.Migrate(ctx, dir, opts); err != nil {
		return fmt.Errorf("river migrations: %w", err)
	}
	return nil
}

// Version is the applied version and whether the last run left it dirty.
func (mg *Migrator) Version() (uint, bool, error) {
	v, dirty, err := mg.m.Version()
	if errors.Is(err, migrate.ErrNilVersion) {
		return 0, false, nil
	}
	return v, dirty, err
}

// Close releases the migrator's connection.
func (mg *Migrator) Close() error {
	srcErr, dbErr := mg.m.Close()
	return errors.Join(srcErr, dbErr)
}

func ignoreNoChange(err error) error {
	if errors.Is(err, migrate.ErrNoChange) {
		return nil
	}
	return err
}

// ExpectedVersion is the highest migration version embedded in the binary: the
// version /readyz requires the database to be at.
func ExpectedVersion() uint {
	var max uint
	entries, _ := fs.ReadDir(migrations.FS, ".")
	for _, e := range entries {
		n, _, ok := strings.Cut(e.Name(), "_")
		if v, err := strconv.ParseUint(n, 10, 32); ok && err == nil && uint(v) > max {
			max = uint(v)
		}
	}
	return max
}

// SchemaVersion reads the version golang-migrate recorded, for readiness checks.
func (db *DB) SchemaVersion(ctx context.Context) (uint, bool, error) {
	var v int64
	var dirty bool
	err := db.Pool.QueryRow(ctx, `SELECT version, dirty FROM schema_migrations LIMIT 1`).Scan(&v, &dirty)
	if err != nil {
		return 0, false, err
	}
	return uint(v), dirty, nil
}
