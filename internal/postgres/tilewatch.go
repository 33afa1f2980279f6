package postgres

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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

// listenSQL is what the listening connection runs once it is connected.
const listenSQL = "LISTEN " + tileVersionChannel + "; LISTEN " + categoriesChannel

// ownChangeCode is the SQLSTATE of the NOTICEs that tell a session of its own
// changes (migration 000014); their message is the channel, their detail the
// payload.
const ownChangeCode = "TR100"

// ownChanges sets up the pool so that what this process writes is in
// db.TileVersions (and drops the category cache) before the write is answered,
// without any pool connection listening:
//
//   - every pool connection sets trygg.own_changes, so the triggers that
//     NOTIFY the listener also tell the writing session, with a NOTICE, as its
//     statement runs (migration 000014);
//   - pgx hands each NOTICE to onNotice while it reads the statement's answer;
//     the change is held on the connection, not applied: the transaction may
//     not have committed yet, and a tile built from the old rows under the new
//     version would stay cached after the commit;
//   - when a query, batch or copy ends with the connection outside a
//     transaction (committed, rolled back or autocommitted), the held changes
//     are applied. A rolled-back change costs a needless rebuild, nothing more.
//
// The listener hears the same changes a moment later; their stamps make the
// repeats no-ops (tiles.Versions.Changed). A client that lowers
// client_min_messages below NOTICE gets only the listener's, milliseconds
// later. The cost on a connection that wrote nothing is one atomic load per
// query.
func (db *DB) ownChanges(cfg *pgxpool.Config) {
	rp := cfg.ConnConfig.RuntimeParams
	rp["trygg.own_changes"] = "on"
	if _, set := rp["client_min_messages"]; !set {
		rp["client_min_messages"] = "notice"
	}
	next := cfg.ConnConfig.OnNotice
	cfg.ConnConfig.OnNotice = func(c *pgconn.PgConn, n *pgconn.Notice) {
		if n.Code == ownChangeCode {
			db.held.add(c, pgconn.Notification{Channel: n.Message, Payload: n.Detail})
			return
		}
		if next != nil {
			next(c, n)
		}
	}
	cfg.ConnConfig.Tracer = ownChangeTracer{db: db}
	cfg.BeforeClose = chainClose(cfg.BeforeClose, func(c *pgx.Conn) { db.held.take(c.PgConn()) })
}

func chainClose(first, then func(*pgx.Conn)) func(*pgx.Conn) {
	if first == nil {
		return then
	}
	return func(c *pgx.Conn) { first(c); then(c) }
}

// heldChanges are changes sessions were told of and that wait for their
// transaction to end, per connection.
type heldChanges struct {
	n  atomic.Int64 // connections with held changes: the fast path reads only this
	mu sync.Mutex
	by map[*pgconn.PgConn][]pgconn.Notification
}

func (h *heldChanges) add(c *pgconn.PgConn, n pgconn.Notification) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.by == nil {
		h.by = map[*pgconn.PgConn][]pgconn.Notification{}
	}
	if len(h.by[c]) == 0 {
		h.n.Add(1)
	}
	h.by[c] = append(h.by[c], n)
}

// take returns and forgets what is held for c.
func (h *heldChanges) take(c *pgconn.PgConn) []pgconn.Notification {
	if h.n.Load() == 0 {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	out, ok := h.by[c]
	if ok {
		delete(h.by, c)
		h.n.Add(-1)
	}
	return out
}

// settle applies what c's session was told once c is outside a transaction.
func (db *DB) settle(c *pgconn.PgConn) {
	if db.held.n.Load() == 0 || c.TxStatus() != 'I' {
		return
	}
	for _, n := range db.held.take(c) {
		db.tileVersionNotification(nil, &n)
	}
}

// ownChangeTracer settles a connection after each query, batch and copy, and on
// release (a connection released inside a transaction is closed by the pool;
// what it held is dropped then).
type ownChangeTracer struct{ db *DB }

func (t ownChangeTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	return ctx
}

func (t ownChangeTracer) TraceQueryEnd(_ context.Context, c *pgx.Conn, _ pgx.TraceQueryEndData) {
	t.db.settle(c.PgConn())
}

func (t ownChangeTracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return ctx
}

func (t ownChangeTracer) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}

func (t ownChangeTracer) TraceBatchEnd(_ context.Context, c *pgx.Conn, _ pgx.TraceBatchEndData) {
	t.db.settle(c.PgConn())
}

func (t ownChangeTracer) TraceCopyFromStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceCopyFromStartData) context.Context {
	return ctx
}

func (t ownChangeTracer) TraceCopyFromEnd(_ context.Context, c *pgx.Conn, _ pgx.TraceCopyFromEndData) {
	t.db.settle(c.PgConn())
}

func (t ownChangeTracer) TraceRelease(_ *pgxpool.Pool, data pgxpool.TraceReleaseData) {
	if data.Conn != nil {
		t.db.settle(data.Conn.PgConn())
	}
}

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

// watchTileVersions keeps the one connection of this process that listens: it
// carries every change, other processes' too (this process's own writes are
// applied earlier, by the connection that made them: ownChanges). While it
// is connected TileVersions is live; when the connection fails, TileVersions
// stops being live (tiles are then checked against the database) until a new
// connection listens again. It returns when ctx ends. ready is closed after the
// first attempt to connect, successful or not.
func (db *DB) watchTileVersions(ctx context.Context, cfg *pgx.ConnConfig, ready chan<- struct{}) {
	// Named, so that operators (and tests) can tell it in pg_stat_activity.
	cfg.RuntimeParams["application_name"] = TileWatchApplication
	cfg.Tracer = nil
	cfg.OnNotice = nil
	delete(cfg.RuntimeParams, "trygg.own_changes")
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
