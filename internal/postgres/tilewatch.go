package postgres

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/trygg/trygg/internal/tiles"
)

// tileVersionChannel carries 'x,y,version' whenever a version square's stamp changes
// (migration 000012).
const tileVersionChannel = "trygg_tile_versions"

// categoriesChannel says the category taxonomy changed (migration 000012).
const categoriesChannel = "trygg_categories"

// listenSQL is what every listening connection runs once.
const listenSQL = "LISTEN " + tileVersionChannel + "; LISTEN " + categoriesChannel

// listenTileVersions makes every pool connection listen for version and
// category changes. A connection that commits a change receives its own
// notification before its COMMIT returns; pgx buffers it on the connection, and
// when the connection goes back to the pool (synchronously, in the release
// tracer) the buffer is drained into db.TileVersions. So whatever this process
// writes is in TileVersions by the time the writing request answers. Every
// listening connection hears every change; TileVersions counts each change (its
// stamp) once. pgx's own buffering is kept (no OnNotification on the pool), so
// code that listens on a pool connection itself (River) still works.
func (db *DB) listenTileVersions(cfg *pgxpool.Config) {
	after := cfg.AfterConnect
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		if after != nil {
			if err := after(ctx, c); err != nil {
				return err
			}
		}
		_, err := c.Exec(ctx, listenSQL)
		return err
	}
	cfg.ConnConfig.Tracer = notificationDrain{db: db}
}

// notificationDrain is the pool's tracer: on release it hands the notifications
// a connection received to the DB.
type notificationDrain struct{ db *DB }

var doneCtx = func() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}()

// TraceRelease runs in Release, before the connection is back in the pool.
func (d notificationDrain) TraceRelease(_ *pgxpool.Pool, data pgxpool.TraceReleaseData) {
	c := data.Conn
	if c == nil || c.IsClosed() || c.PgConn().IsBusy() {
		return
	}
	for {
		// With a finished context this returns only what is already buffered.
		n, _ := c.WaitForNotification(doneCtx)
		if n == nil {
			return
		}
		d.db.tileVersionNotification(nil, n)
	}
}

func (notificationDrain) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	return ctx
}

func (notificationDrain) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (db *DB) tileVersionNotification(_ *pgconn.PgConn, n *pgconn.Notification) {
	if n.Channel == categoriesChannel {
		db.categories.invalidate()
		return
	}
	if n.Channel != tileVersionChannel {
		return
	}
	parts := strings.Split(n.Payload, ",")
	if len(parts) == 3 {
		x, errX := strconv.Atoi(parts[0])
		y, errY := strconv.Atoi(parts[1])
		v, errV := strconv.ParseInt(parts[2], 10, 64)
		if errX == nil && errY == nil && errV == nil {
			db.TileVersions.Changed(x, y, v)
			return
		}
	}
	// Not ours to understand: assume anything may have changed.
	db.TileVersions.BumpAll()
}

// TileWatchApplication is the application_name of the listening connection.
const TileWatchApplication = "trygg tile versions"

// Watch timing: how long the listener waits before it checks its connection
// with a ping, and how long it waits before connecting again after a failure.
const (
	watchPing  = 15 * time.Second
	watchRetry = time.Second
)

// watchTileVersions keeps one dedicated connection listening, so that other
// processes' changes arrive even while every pool connection is idle. While it
// is connected TileVersions is live; when the connection fails, TileVersions
// stops being live (tiles are then checked against the database) until a new
// connection listens again. It returns when ctx ends. ready is closed after the
// first attempt to connect, successful or not.
func (db *DB) watchTileVersions(ctx context.Context, cfg *pgx.ConnConfig, ready chan<- struct{}) {
	// Named, so that operators (and tests) can tell it in pg_stat_activity.
	cfg.RuntimeParams["application_name"] = TileWatchApplication
	cfg.Tracer = nil
	cfg.OnNotification = db.tileVersionNotification
	for first := true; ; first = false {
		conn, err := pgx.ConnectConfig(ctx, cfg)
		if err == nil {
			if _, err = conn.Exec(ctx, listenSQL); err == nil {
				db.TileVersions.SetLive(true)
				db.categories.invalidate()
			}
		}
		if first {
			close(ready)
		}
		for err == nil {
			wctx, cancel := context.WithTimeout(ctx, watchPing)
			err = conn.PgConn().WaitForNotification(wctx)
			cancel()
			if err != nil && ctx.Err() == nil && wctx.Err() != nil {
				// Quiet for a while: make sure the connection still works.
				err = conn.Ping(ctx)
			}
		}
		db.TileVersions.SetLive(false)
		db.categories.invalidate()
		if conn != nil {
			closeCtx, cancel := context.WithTimeout(context.Background(), time.Second)
			_ = conn.Close(closeCtx)
			cancel()
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(watchRetry):
		}
	}
}

// TileVersionsLive reports whether the in-memory tile versions follow the
// database (see tiles.Versions).
func (db *DB) TileVersionsLive() bool { return db.TileVersions != nil && db.TileVersions.Live() }

// newTileVersions is what Open and New start with: versions that are not live.
func newTileVersions() *tiles.Versions { return tiles.NewVersions() }
