package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/trygg/trygg/internal/postgres"
	"github.com/trygg/trygg/internal/postgres/pgtest"
	"github.com/trygg/trygg/internal/tiles"
)

// Kristinehamn's centre: inside a municipality, so a report there is accepted.
const watchLon, watchLat = 14.107, 59.309

const insertReportSQL = `
INSERT INTO reports (id, reference, kind, category, geom, observed_at, status, visibility, follow_up_hash)
VALUES (gen_random_uuid(), 'W-' || substr(md5(random()::text), 1, 12), 'felanmalan', 'FEL.LIGHT',
        ST_SetSRID(ST_MakePoint($1, $2), 4326), now(), 'received', 'published', '\x00')`

func watchSquares() tiles.VersionSquares { return tiles.Containing(14, watchLon, watchLat).Squares() }

// categoryName reads FEL.LIGHT's English name through the DB (cached while live)
// and reports whether that took a connection.
func categoryName(t *testing.T, db *postgres.DB) (string, bool) {
	t.Helper()
	before := db.Pool.Stat().AcquireCount()
	list, err := db.Categories(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if c.Code == "FEL.LIGHT" {
			return c.NameEN, db.Pool.Stat().AcquireCount() != before
		}
	}
	t.Fatal("no FEL.LIGHT")
	return "", false
}

// TestOwnWritesAreAppliedWhenTheirTransactionEnds: with nothing listening, the
// pool's own writes still reach the versions and the category cache — not
// while their transaction is open, at once when it has committed — and
// another connection's writes do not (that is the listener's job).
func TestOwnWritesAreAppliedWhenTheirTransactionEnds(t *testing.T) {
	ctx := context.Background()
	pool, url := pgtest.NewWithURL(t)
	pool.Close()
	db, err := postgres.OpenWithoutListener(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	// Trust the versions as if a listener ran, so the category cache is used.
	db.TileVersions.SetLive(true)
	sq := watchSquares()

	// Autocommitted.
	v0 := db.TileVersions.Of(sq)
	if _, err := db.Pool.Exec(ctx, insertReportSQL, watchLon, watchLat); err != nil {
		t.Fatal(err)
	}
	v1 := db.TileVersions.Of(sq)
	if v1 <= v0 {
		t.Fatalf("an autocommitted report left the version at %d", v1)
	}

	// In a transaction: held until COMMIT.
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, insertReportSQL, watchLon, watchLat); err != nil {
		t.Fatal(err)
	}
	if v := db.TileVersions.Of(sq); v != v1 {
		t.Errorf("the version moved (%d → %d) before the transaction committed", v1, v)
	}
	if db.HeldChanges() != 1 {
		t.Errorf("%d connections hold changes, want 1", db.HeldChanges())
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	v2 := db.TileVersions.Of(sq)
	if v2 <= v1 {
		t.Errorf("a committed transaction left the version at %d", v2)
	}

	// In a batch (an implicit transaction ending with the batch).
	b := &pgx.Batch{}
	b.Queue(insertReportSQL, watchLon, watchLat)
	b.Queue(`SELECT 1`)
	if err := db.Pool.SendBatch(ctx, b).Close(); err != nil {
		t.Fatal(err)
	}
	v3 := db.TileVersions.Of(sq)
	if v3 <= v2 {
		t.Errorf("a batch left the version at %d", v3)
	}

	// Rolled back: nothing stays held.
	err = pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, insertReportSQL, watchLon, watchLat); err != nil {
			return err
		}
		return context.Canceled
	})
	if err != context.Canceled || db.HeldChanges() != 0 {
		t.Errorf("rollback: %v, %d connections hold changes", err, db.HeldChanges())
	}

	// Categories: cached, dropped by this pool's own change.
	categoryName(t, db)
	if _, took := categoryName(t, db); took {
		t.Fatal("the category list is not cached")
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE categories SET name_en = 'Broken lamp' WHERE code = 'FEL.LIGHT'`); err != nil {
		t.Fatal(err)
	}
	if name, took := categoryName(t, db); name != "Broken lamp" || !took {
		t.Errorf("after this pool's rename: %q (read from the database: %v)", name, took)
	}

	// Another connection's write: nothing listens, so nothing changes here.
	other, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(ctx)
	v4 := db.TileVersions.Of(sq)
	if _, err := other.Exec(ctx, insertReportSQL, watchLon, watchLat); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `SELECT 1`); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if v := db.TileVersions.Of(sq); v != v4 {
		t.Errorf("another connection's write reached the versions without a listener (%d → %d)", v4, v)
	}
}

// TestOnlyTheListenerListens: no pool connection LISTENs; one dedicated
// connection does.
func TestOnlyTheListenerListens(t *testing.T) {
	ctx := context.Background()
	pool, url := pgtest.NewWithURL(t)
	pool.Close()
	db, err := postgres.Open(ctx, url, 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	// Hold every connection of the pool at once and ask each.
	var conns []*pgxpool.Conn
	for range 4 {
		c, err := db.Pool.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		var n int
		if err := c.QueryRow(ctx, `SELECT count(*) FROM pg_listening_channels()`).Scan(&n); err != nil || n != 0 {
			t.Errorf("a pool connection listens on %d channels (%v)", n, err)
		}
	}
	var listeners int
	if err := conns[0].QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`,
		postgres.TileWatchApplication).Scan(&listeners); err != nil || listeners != 1 {
		t.Errorf("%d listening connections (%v), want 1", listeners, err)
	}
	for _, c := range conns {
		c.Release()
	}
}

// TestListenerReconnects: the listening connection is killed twice; each time
// the versions stop being live, come back, and then carry another
// connection's changes, tile versions and categories both.
func TestListenerReconnects(t *testing.T) {
	ctx := context.Background()
	pool, url := pgtest.NewWithURL(t)
	pool.Close()
	db, err := postgres.Open(ctx, url, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	other, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(ctx)
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(15 * time.Second); !ok(); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting until %s", what)
			}
		}
	}
	sq := watchSquares()
	for round, name := range []string{"Lamp one", "Lamp two"} {
		var killed bool
		if err := other.QueryRow(ctx,
			`SELECT coalesce(bool_and(pg_terminate_backend(pid)), false) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`,
			postgres.TileWatchApplication).Scan(&killed); err != nil || !killed {
			t.Fatalf("round %d: terminate the listener: %v %v", round, killed, err)
		}
		waitFor("the listener's death is noticed", func() bool { return !db.TileVersionsLive() })
		waitFor("the listener is back", db.TileVersionsLive)

		v0 := db.TileVersions.Of(sq)
		if _, err := other.Exec(ctx, insertReportSQL, watchLon, watchLat); err != nil {
			t.Fatal(err)
		}
		waitFor("another connection's report reaches the versions", func() bool { return db.TileVersions.Of(sq) > v0 })

		categoryName(t, db)
		if _, took := categoryName(t, db); took {
			t.Fatalf("round %d: categories not cached while live", round)
		}
		if _, err := other.Exec(ctx, `UPDATE categories SET name_en = $1 WHERE code = 'FEL.LIGHT'`, name); err != nil {
			t.Fatal(err)
		}
		waitFor("another connection's rename reaches the category cache", func() bool {
			got, _ := categoryName(t, db)
			return got == name
		})
	}
}
