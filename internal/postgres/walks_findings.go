package postgres

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/report"
	"github.com/trygg/trygg/internal/walk"
)

const (
	insertObservationSQL = `
INSERT INTO walk_observations (id, walk_id, stop_seq, geom, rating, category, factors, note, report_id, observed_at, created_by)
VALUES ($1, $2, $3, ST_GeomFromWKB($4, 4326), $5, $6, $7, nullif($8, ''), $9, $10, $11)`
	observationsSQL = `
SELECT o.id, o.walk_id, o.stop_seq, ST_AsBinary(o.geom), o.rating, o.category, o.factors, coalesce(o.note, ''),
       o.report_id, r.reference, o.observed_at, o.created_by
FROM walk_observations o JOIN reports r ON r.id = o.report_id
WHERE o.walk_id = $1 ORDER BY o.observed_at, o.id`
)

// AddObservation stores an observation and the report made from it in one
// transaction, through the same insert path as every other report.
func (db *DB) AddObservation(ctx context.Context, o *walk.Observation, d report.Draft, actor string) error {
	return db.InTx(ctx, func(tx pgx.Tx) error {
		rc, err := insertReport(ctx, tx, d, actor, "staff")
		if err != nil {
			return err
		}
		o.ReportID, o.Reference = rc.ID, rc.Reference
		_, err = tx.Exec(ctx, insertObservationSQL, o.ID, o.WalkID, o.StopSeq, pointWKB(o.Point.Lon, o.Point.Lat),
			o.Rating, o.Category, o.Factors, o.Note, o.ReportID, o.ObservedAt, o.CreatedBy)
		return translate(err)
	})
}

const (
	observationReportSQL = `SELECT report_id FROM walk_observations WHERE walk_id = $1 AND id = $2 AND report_id IS NOT NULL`
	// The photos of a walk's observations are those of their reports, wherever
	// a merge has moved them since.
	observationPhotosSQL = `
SELECT o.id, p.id, p.content_type, p.width, p.height
FROM walk_observations o JOIN photos p ON p.report_id = o.report_id OR p.merged_from @> ARRAY[o.report_id]
WHERE o.walk_id = $1 AND p.confirmation_id IS NULL
ORDER BY p.created_at, p.id`
)

// ObservationReport returns the report made from an observation of the walk.
func (db *DB) ObservationReport(ctx context.Context, walkID, id uuid.UUID) (uuid.UUID, error) {
	var rid uuid.UUID
	err := db.Pool.QueryRow(ctx, observationReportSQL, walkID, id).Scan(&rid)
	if errors.Is(err, pgx.ErrNoRows) {
		return rid, apperr.Errorf(apperr.NotFound, "no observation with that id on this walk")
	}
	return rid, err
}

// Observations lists a walk's observations in the order they were made, each
// with its photos.
func (db *DB) Observations(ctx context.Context, walkID uuid.UUID) ([]walk.Observation, error) {
	obs, err := db.observations(ctx, walkID)
	if err != nil {
		return nil, err
	}
	rows, err := db.Pool.Query(ctx, observationPhotosSQL, walkID)
	if err != nil {
		return nil, err
	}
	byObs := map[uuid.UUID][]walk.PhotoRef{}
	var oid uuid.UUID
	var ph walk.PhotoRef
	_, err = pgx.ForEachRow(rows, []any{&oid, &ph.ID, &ph.ContentType, &ph.Width, &ph.Height}, func() error {
		byObs[oid] = append(byObs[oid], ph)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range obs {
		obs[i].Photos = byObs[obs[i].ID]
		for j := range obs[i].Photos {
			obs[i].Photos[j].URL = "/v1/reports/" + obs[i].ReportID.String() + "/photos/" + obs[i].Photos[j].ID.String()
		}
	}
	return obs, nil
}

func (db *DB) observations(ctx context.Context, walkID uuid.UUID) ([]walk.Observation, error) {
	rows, err := db.Pool.Query(ctx, observationsSQL, walkID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (walk.Observation, error) {
		var o walk.Observation
		var b []byte
		if err := row.Scan(&o.ID, &o.WalkID, &o.StopSeq, &b, &o.Rating, &o.Category, &o.Factors, &o.Note,
			&o.ReportID, &o.Reference, &o.ObservedAt, &o.CreatedBy); err != nil {
			return o, err
		}
		var err error
		o.Point.Lon, o.Point.Lat, err = decodePoint(b)
		return o, err
	})
}

const (
	insertMeasureSQL = `
INSERT INTO measures (id, walk_id, observation_id, what, horizon, owner, due_date, status, geom, felanmalan_id, done_at)
VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8, ST_GeomFromWKB($9, 4326), $10, CASE WHEN $8::text = 'done' THEN now() END)
RETURNING created_at, updated_at`
	measureColumns = `id, walk_id, observation_id, what, horizon, owner, to_char(due_date, 'YYYY-MM-DD'), status,
       ST_AsBinary(geom), felanmalan_id, checked_at_walk, coalesce(check_note, ''), created_at, updated_at`
	measuresSQL         = `SELECT ` + measureColumns + ` FROM measures WHERE walk_id = $1 ORDER BY created_at, id`
	measureForUpdateSQL = `SELECT ` + measureColumns + ` FROM measures WHERE walk_id = $1 AND id = $2 FOR UPDATE`
	// done_at is when the measure became done: kept while it stays done,
	// whatever else changes, and cleared when it is reopened or cancelled.
	updateMeasureSQL = `
UPDATE measures SET status = $2, owner = $3, due_date = $4::date, felanmalan_id = $5, checked_at_walk = $6,
       check_note = nullif($7, ''), updated_at = now(),
       done_at = CASE WHEN $2::text = 'done' THEN coalesce(done_at, now()) END
WHERE id = $1 RETURNING updated_at`
	// A measure's place is its own point, or that of the observation it answers.
	openMeasuresSQL = `
SELECT m.id, ST_AsBinary(coalesce(m.geom, o.geom)), m.what, m.owner
FROM measures m JOIN walks w ON w.id = m.walk_id
LEFT JOIN walk_observations o ON o.id = m.observation_id
WHERE w.municipality_code = $1 AND m.status IN ('open', 'in_progress') AND coalesce(m.geom, o.geom) IS NOT NULL
  AND ST_DWithin(coalesce(m.geom, o.geom)::geography, ST_GeomFromWKB($2, 4326)::geography, $3)
ORDER BY m.created_at, m.id`
)

// AddMeasure stores a measure agreed on a walk.
func (db *DB) AddMeasure(ctx context.Context, m *walk.Measure) error {
	var geomWKB []byte
	if m.Point != nil {
		geomWKB = pointWKB(m.Point.Lon, m.Point.Lat)
	}
	err := db.Pool.QueryRow(ctx, insertMeasureSQL, m.ID, m.WalkID, m.ObservationID, m.What, m.Horizon, m.Owner,
		m.DueDate, m.Status, geomWKB, m.FelanmalanID).Scan(&m.CreatedAt, &m.UpdatedAt)
	return measureError(err)
}

// measureError names the reference a measure points at that does not exist.
func measureError(err error) error {
	if err == nil {
		return nil
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == codeForeignKey {
		field := map[string]string{
			"measures_observation_id_fkey":  "observation_id",
			"measures_felanmalan_id_fkey":   "felanmalan_id",
			"measures_checked_at_walk_fkey": "checked_at_walk",
		}[pgErr.ConstraintName]
		e := apperr.Field(field, "%s names no existing record", field)
		e.Err = err
		return e
	}
	return translate(err)
}

func scanMeasure(row walkRow) (walk.Measure, error) {
	var m walk.Measure
	var b []byte
	err := row.Scan(&m.ID, &m.WalkID, &m.ObservationID, &m.What, &m.Horizon, &m.Owner, &m.DueDate, &m.Status,
		&b, &m.FelanmalanID, &m.CheckedAtWalk, &m.CheckNote, &m.CreatedAt, &m.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return m, apperr.Errorf(apperr.NotFound, "no measure with that id on this walk")
	}
	if err != nil || b == nil {
		return m, err
	}
	lon, lat, err := decodePoint(b)
	m.Point = &walk.LatLon{Lat: lat, Lon: lon}
	return m, err
}

// Measures lists a walk's measures in the order they were agreed.
func (db *DB) Measures(ctx context.Context, walkID uuid.UUID) ([]walk.Measure, error) {
	rows, err := db.Pool.Query(ctx, measuresSQL, walkID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []walk.Measure{}
	for rows.Next() {
		m, err := scanMeasure(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// UpdateMeasure changes a measure under a row lock.
func (db *DB) UpdateMeasure(ctx context.Context, walkID, id uuid.UUID, change func(*walk.Measure) error) (walk.Measure, error) {
	var m walk.Measure
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		var err error
		if m, err = scanMeasure(tx.QueryRow(ctx, measureForUpdateSQL, walkID, id)); err != nil {
			return err
		}
		if err := change(&m); err != nil {
			return err
		}
		err = tx.QueryRow(ctx, updateMeasureSQL, m.ID, m.Status, m.Owner, m.DueDate, m.FelanmalanID,
			m.CheckedAtWalk, m.CheckNote).Scan(&m.UpdatedAt)
		return measureError(err)
	})
	return m, err
}

// OpenMeasures lists the open measures of a municipality's earlier walks
// whose place lies within radius metres of the point.
func (db *DB) OpenMeasures(ctx context.Context, municipality string, lon, lat, radius float64) ([]walk.OpenMeasure, error) {
	rows, err := db.Pool.Query(ctx, openMeasuresSQL, municipality, pointWKB(lon, lat), radius)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (walk.OpenMeasure, error) {
		var m walk.OpenMeasure
		var id uuid.UUID
		var b []byte
		if err := row.Scan(&id, &b, &m.What, &m.Owner); err != nil {
			return m, err
		}
		m.ID = id.String()
		var err error
		m.Point[0], m.Point[1], err = decodePoint(b)
		return m, err
	})
}
