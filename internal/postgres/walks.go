package postgres

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/walk"
)

const (
	insertWalkSQL = `
INSERT INTO walks (id, municipality_code, area_id, title, starts_at, organiser, partners, participants,
                   status, route, route_length_m, plan, created_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, ST_GeomFromWKB($10, 4326),
        CASE WHEN $10::bytea IS NULL THEN NULL ELSE ST_Length(ST_GeomFromWKB($10, 4326)::geography) END, $11, $12)
RETURNING created_at, updated_at, route_length_m`
	insertStopSQL = `INSERT INTO walk_stops (walk_id, seq, name, reason, kind, geom) VALUES ($1, $2, $3, $4, $5, ST_GeomFromWKB($6, 4326))`
	walkColumns   = `id, municipality_code, area_id, title, starts_at, organiser, partners, participants, status,
       ST_AsBinary(route), route_length_m, plan, created_by, created_at, updated_at`
	walkSQL       = `SELECT ` + walkColumns + ` FROM walks WHERE id = $1`
	walkForUpdate = walkSQL + ` FOR UPDATE`
	walksSQL      = `SELECT ` + walkColumns + ` FROM walks WHERE municipality_code = $1 ORDER BY starts_at DESC, id LIMIT 500`
	stopsSQL      = `SELECT seq, name, reason, kind, ST_AsBinary(geom) FROM walk_stops WHERE walk_id = $1 ORDER BY seq`
	updateWalkSQL = `
UPDATE walks SET title = $2, starts_at = $3, organiser = $4, partners = $5, participants = $6, status = $7, updated_at = now()
WHERE id = $1 RETURNING updated_at`
)

// CreateWalk stores a walk and its planned stops.
func (db *DB) CreateWalk(ctx context.Context, r *walk.Record, route []orb.Point) error {
	var routeWKB []byte
	if len(route) >= 2 {
		var err error
		if routeWKB, err = lineWKB(route); err != nil {
			return err
		}
	}
	var plan any
	if len(r.Plan) > 0 {
		plan = r.Plan
	}
	return db.InTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, insertWalkSQL, r.ID, r.Municipality, r.AreaID, r.Title, r.StartsAt, r.Organiser,
			r.Partners, r.Participants, r.Status, routeWKB, plan, r.CreatedBy).Scan(&r.CreatedAt, &r.UpdatedAt, &r.RouteLengthM)
		if err != nil {
			return translate(err)
		}
		for _, s := range r.Stops {
			if _, err := tx.Exec(ctx, insertStopSQL, r.ID, s.Seq, s.Name, s.Reason, s.Kind, pointWKB(s.Point.Lon, s.Point.Lat)); err != nil {
				return err
			}
		}
		if len(route) >= 2 {
			g := geojson.NewGeometry(orb.LineString(route))
			r.Route = g
		}
		return nil
	})
}

type walkRow interface{ Scan(dest ...any) error }

func scanWalk(row walkRow) (walk.Record, error) {
	var r walk.Record
	var route, plan []byte
	err := row.Scan(&r.ID, &r.Municipality, &r.AreaID, &r.Title, &r.StartsAt, &r.Organiser, &r.Partners,
		&r.Participants, &r.Status, &route, &r.RouteLengthM, &plan, &r.CreatedBy, &r.CreatedAt, &r.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, apperr.Errorf(apperr.NotFound, "no walk with that id")
	}
	if err != nil {
		return r, err
	}
	if route != nil {
		line, err := decodeLine(route)
		if err != nil {
			return r, err
		}
		r.Route = geojson.NewGeometry(orb.LineString(line))
	}
	r.Plan = plan
	r.Stops = []walk.RecordStop{}
	return r, nil
}

// Walk returns one walk with its stops.
func (db *DB) Walk(ctx context.Context, id uuid.UUID) (walk.Record, error) {
	r, err := scanWalk(db.Pool.QueryRow(ctx, walkSQL, id))
	if err != nil {
		return r, err
	}
	r.Stops, err = db.stops(ctx, db.Pool, id)
	return r, err
}

// walkQuerier is what pool and transaction share.
type walkQuerier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func (db *DB) stops(ctx context.Context, q walkQuerier, id uuid.UUID) ([]walk.RecordStop, error) {
	rows, err := q.Query(ctx, stopsSQL, id)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (walk.RecordStop, error) {
		var s walk.RecordStop
		var b []byte
		if err := row.Scan(&s.Seq, &s.Name, &s.Reason, &s.Kind, &b); err != nil {
			return s, err
		}
		var err error
		s.Point.Lon, s.Point.Lat, err = decodePoint(b)
		return s, err
	})
}

// Walks lists a municipality's walks, newest first, without their stops.
func (db *DB) Walks(ctx context.Context, municipality string) ([]walk.Record, error) {
	rows, err := db.Pool.Query(ctx, walksSQL, municipality)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []walk.Record{}
	for rows.Next() {
		r, err := scanWalk(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// UpdateWalk changes a walk under a row lock: check sees the walk as stored
// (to check who may change it) and change applies the patch.
func (db *DB) UpdateWalk(ctx context.Context, id uuid.UUID, change func(*walk.Record) error) (walk.Record, error) {
	var r walk.Record
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		var err error
		if r, err = scanWalk(tx.QueryRow(ctx, walkForUpdate, id)); err != nil {
			return err
		}
		if err := change(&r); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, updateWalkSQL, r.ID, r.Title, r.StartsAt, r.Organiser, r.Partners,
			r.Participants, r.Status).Scan(&r.UpdatedAt); err != nil {
			return translate(err)
		}
		r.Stops, err = db.stops(ctx, tx, id)
		return err
	})
	return r, err
}
