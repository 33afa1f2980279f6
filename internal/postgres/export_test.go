package postgres

import "context"

// OpenWithoutListener is Open without the listening connection: only the
// pool's own changes reach TileVersions and the category cache.
func OpenWithoutListener(ctx context.Context, url string) (*DB, error) {
	return open(ctx, url, 0, false)
}

// HeldChanges counts the connections holding changes for a transaction that
// has not ended.
func (db *DB) HeldChanges() int64 { return db.held.n.Load() }
