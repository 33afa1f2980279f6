package postgres

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/wkb"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/area"
)

// sqlstates raised by migration 000007's triggers.
const (
	codeInvalidArea    = "TR002"
	codeAreaOutside    = "TR003"
	codeSnapshotFrozen = "TR004"
)

const (
	areaColumns   = `id, municipality_code, kind, name, priority, ST_AsBinary(geom), created_at, updated_at`
	insertAreaSQL = `
INSERT INTO areas (id, municipality_code, kind, name, priority, geom)
VALUES ($1, $2, $3, $4, $5, ST_Multi(ST_GeomFromWKB($6, 4326)))
RETURNING ` + areaColumns
	// An import replaces the polygon of an area of the same name, so a corrected
	// file can be imported again.
	upsertAreaSQL = `
INSERT INTO areas (id, municipality_code, kind, name, priority, geom)
VALUES ($1, $2, $3, $4, $5, ST_Multi(ST_GeomFromWKB($6, 4326)))
ON CONFLICT (municipality_code, name) DO UPDATE
SET kind = EXCLUDED.kind, priority = EXCLUDED.priority, geom = EXCLUDED.geom, updated_at = now()
RETURNING (xmax = 0)`
	areaSQL  = `SELECT ` + areaColumns + ` FROM areas WHERE id = $1`
	areasSQL = `
SELECT ` + areaColumns + ` FROM areas
WHERE municipality_code = ANY($1) AND ($2 = '' OR kind = $2) AND (NOT $3 OR priority)
ORDER BY municipality_code, name`
	updateAreaSQL = `
UPDATE areas SET kind = $2, name = $3, priority = $4,
       geom = coalesce(ST_Multi(ST_GeomFromWKB($5, 4326)), geom), updated_at = now()
WHERE id = $1 RETURNING ` + areaColumns
	deleteAreaSQL = `DELETE FROM areas WHERE id = $1`
)

func multiPolygonWKB(mp *geom.MultiPolygon) []byte {
	if mp == nil {
		return nil
	}
	b, _ := wkb.Marshal(mp, binary.LittleEndian)
	return b
}

func scanArea(row pgx.Row) (area.Area, error) {
	var a area.Area
	var b []byte
	var kind string
	if err := row.Scan(&a.ID, &a.Municipality, &kind, &a.Name, &a.Priority, &b, &a.CreatedAt, &a.UpdatedAt); err != nil {
		return a, err
	}
	a.Kind = area.Kind(kind)
	g, err := wkb.Unmarshal(b)
	if err != nil {
		return a, err
	}
	mp, ok := g.(*geom.MultiPolygon)
	if !ok {
		return a, fmt.Errorf("area %s: geometry is %T", a.ID, g)
	}
	a.Geometry = mp
	return a, nil
}

// areaError turns the area triggers' refusals into client errors.
func areaError(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case codeInvalidArea, codeAreaOutside:
			return &apperr.Error{Kind: apperr.Invalid, Message: pgErr.Message, Details: map[string]string{"field": "geometry"}, Err: err}
		case codeForeignKey:
			return &apperr.Error{Kind: apperr.Invalid, Message: "unknown municipality", Details: map[string]string{"field": "municipality"}, Err: err}
		case codeUniqueViolation:
			return &apperr.Error{Kind: apperr.Conflict, Message: "the municipality already has an area with that name", Err: err}
		}
	}
	return translate(err)
}

// CreateArea stores one new area.
func (db *DB) CreateArea(ctx context.Context, a area.Area) (area.Area, error) {
	if a.ID == uuid.Nil {
		a.ID = uuid.New()
	}
	out, err := scanArea(db.Pool.QueryRow(ctx, insertAreaSQL, a.ID, a.Municipality, string(a.Kind), a.Name, a.Priority, multiPolygonWKB(a.Geometry)))
	return out, areaError(err)
}

// ImportAreas stores every area or none: one transaction, so a bad polygon in
// the middle of a file leaves the table as it was.
func (db *DB) ImportAreas(ctx context.Context, areas []area.Area) (created, updated int, err error) {
	err = db.InTx(ctx, func(tx pgx.Tx) error {
		created, updated = 0, 0
		for _, a := range areas {
			var isNew bool
			err := tx.QueryRow(ctx, upsertAreaSQL, uuid.New(), a.Municipality, string(a.Kind), a.Name, a.Priority, multiPolygonWKB(a.Geometry)).Scan(&isNew)
			if err != nil {
				return areaError(err)
			}
			if isNew {
				created++
			} else {
				updated++
			}
		}
		return nil
	})
	return created, updated, err
}

// Area returns one area.
func (db *DB) Area(ctx context.Context, id uuid.UUID) (area.Area, error) {
	a, err := scanArea(db.Pool.QueryRow(ctx, areaSQL, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return a, apperr.Errorf(apperr.NotFound, "no area %s", id)
	}
	return a, err
}

// Areas lists the areas of some municipalities.
func (db *DB) Areas(ctx context.Context, f area.Filter) ([]area.Area, error) {
	rows, err := db.Pool.Query(ctx, areasSQL, f.Municipalities, string(f.Kind), f.PriorityOnly)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (area.Area, error) { return scanArea(r) })
}

// UpdateArea changes an area's kind, name, priority and (when given) polygon.
func (db *DB) UpdateArea(ctx context.Context, a area.Area) (area.Area, error) {
	out, err := scanArea(db.Pool.QueryRow(ctx, updateAreaSQL, a.ID, string(a.Kind), a.Name, a.Priority, multiPolygonWKB(a.Geometry)))
	if errors.Is(err, pgx.ErrNoRows) {
		return out, apperr.Errorf(apperr.NotFound, "no area %s", a.ID)
	}
	return out, areaError(err)
}

// DeleteArea removes an area.
func (db *DB) DeleteArea(ctx context.Context, id uuid.UUID) error {
	tag, err := db.Pool.Exec(ctx, deleteAreaSQL, id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return apperr.Errorf(apperr.NotFound, "no area %s", id)
	}
	return nil
}

var _ area.Store = (*DB)(nil)
