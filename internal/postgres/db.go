// Package postgres is trygg's storage: the pgx pool, the embedded migrations and
// the SQL behind every domain store interface. Each file holds one concern, its
// queries as const strings beside the Go that runs and scans them.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/tiles"
)

// DB wraps the pool; the domain stores are methods on it.
type DB struct {
	Pool *pgxpool.Pool
	// TileVersions follows the data versions of the map in memory. It is live
	// only for a DB made by Open (see tilewatch.go); on one made by New, tiles
	// are checked against the database.
	TileVersions *tiles.Versions
	categories   categoryCache
	held         heldChanges
	stopWatch    context.CancelFunc
	watchDone    chan struct{}

	jobsOnce   sync.Once
	jobsClient *river.Client[pgx.Tx]
	jobsErr    error
}

// Open connects a pool, checks that the database answers, and starts following
// the map's data versions (tilewatch.go).
func Open(ctx context.Context, url string, maxConns int32) (*DB, error) {
	return open(ctx, url, maxConns, true)
}

// open is Open; without listen nothing follows other processes' changes (tests).
func open(ctx context.Context, url string, maxConns int32, listen bool) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse DATABASE_URL: %w", err)
	}
	if maxConns > 0 {
		cfg.MaxConns = maxConns
	}
	db := &DB{TileVersions: newTileVersions()}
	db.ownChanges(cfg)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("database unreachable: %w", err)
	}
	db.Pool = pool
	if !listen {
		return db, nil
	}
	watchCtx, stop := context.WithCancel(context.Background())
	db.stopWatch = stop
	ready := make(chan struct{})
	db.watchDone = make(chan struct{})
	go func() {
		defer close(db.watchDone)
		db.watchTileVersions(watchCtx, cfg.ConnConfig.Copy(), ready)
	}()
	select {
	case <-ready:
	case <-ctx.Done():
	}
	return db, nil
}

// New wraps an existing pool (tests, benchmarks); its tile versions are never live.
func New(pool *pgxpool.Pool) *DB { return &DB{Pool: pool, TileVersions: newTileVersions()} }

// Close stops following the tile versions and closes the pool.
func (db *DB) Close() {
	if db.stopWatch != nil {
		db.stopWatch()
		<-db.watchDone
	}
	db.Pool.Close()
}

// InTx runs fn in one transaction, committing when it returns nil.
func (db *DB) InTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, db.Pool, fn)
}

// sqlstate codes trygg reacts to.
const (
	codeOutsideSweden   = "TR001"
	codeUniqueViolation = "23505"
	codeForeignKey      = "23503"
	codeCheckViolation  = "23514"
)

// translate maps database errors that are the client's fault to apperr kinds;
// everything else stays an internal error.
func translate(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case codeOutsideSweden:
			return &apperr.Error{Kind: apperr.Invalid, Message: "location is outside every Swedish municipality", Details: map[string]string{"field": "location"}, Err: err}
		case codeCheckViolation:
			return &apperr.Error{Kind: apperr.Invalid, Message: "a value is out of its allowed range (" + pgErr.ConstraintName + ")", Err: err}
		}
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return &apperr.Error{Kind: apperr.NotFound, Message: "not found", Err: err}
	}
	return err
}

// isUnique reports whether err is a unique violation.
func isUnique(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == codeUniqueViolation
}
