package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/trygg/trygg/internal/apperr"
)

// Snapshot is a frozen lägesbild. The hash is SHA-256 of the content's jsonb
// text form, computed by the database, so anyone can check it with
// sha256(content::text) and it stays the same however the JSON is re-read.
type Snapshot struct {
	ID           uuid.UUID       `json:"id"`
	Municipality string          `json:"municipality"`
	Params       json.RawMessage `json:"params"`
	ContentHash  string          `json:"content_hash"`
	Intact       bool            `json:"intact"`
	CreatedAt    time.Time       `json:"created_at"`
	CreatedBy    string          `json:"created_by"`
	Content      json.RawMessage `json:"content,omitempty"`
}

const (
	insertSnapshotSQL = `
INSERT INTO lagesbild_snapshots (id, municipality_code, params, content, content_hash, created_at, created_by)
VALUES ($1, $2, $3, $4::jsonb, sha256(convert_to($4::jsonb::text, 'UTF8')), $5, $6)
RETURNING encode(content_hash, 'hex')`
	snapshotColumns = `id, municipality_code, params, encode(content_hash, 'hex'),
       content_hash = sha256(convert_to(content::text, 'UTF8')), created_at, created_by`
	snapshotSQL  = `SELECT ` + snapshotColumns + `, content FROM lagesbild_snapshots WHERE id = $1`
	snapshotsSQL = `SELECT ` + snapshotColumns + ` FROM lagesbild_snapshots WHERE municipality_code = ANY($1) ORDER BY created_at DESC, id LIMIT 500`
)

// CreateSnapshot freezes content.
func (db *DB) CreateSnapshot(ctx context.Context, muni string, params, content []byte, at time.Time, by string) (Snapshot, error) {
	s := Snapshot{ID: uuid.New(), Municipality: muni, Params: params, CreatedAt: at, CreatedBy: by, Intact: true}
	err := db.Pool.QueryRow(ctx, insertSnapshotSQL, s.ID, muni, params, string(content), at, by).Scan(&s.ContentHash)
	return s, err
}

func scanSnapshot(row pgx.Row, withContent bool) (Snapshot, error) {
	var s Snapshot
	dest := []any{&s.ID, &s.Municipality, &s.Params, &s.ContentHash, &s.Intact, &s.CreatedAt, &s.CreatedBy}
	if withContent {
		dest = append(dest, &s.Content)
	}
	return s, row.Scan(dest...)
}

// Snapshot returns one snapshot with its content.
func (db *DB) Snapshot(ctx context.Context, id uuid.UUID) (Snapshot, error) {
	s, err := scanSnapshot(db.Pool.QueryRow(ctx, snapshotSQL, id), true)
	if errors.Is(err, pgx.ErrNoRows) {
		return s, apperr.Errorf(apperr.NotFound, "no snapshot %s", id)
	}
	return s, err
}

// Snapshots lists snapshots of some municipalities, newest first, without content.
func (db *DB) Snapshots(ctx context.Context, munis []string) ([]Snapshot, error) {
	rows, err := db.Pool.Query(ctx, snapshotsSQL, munis)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Snapshot, error) { return scanSnapshot(r, false) })
}
