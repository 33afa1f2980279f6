package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/promise"
)

const (
	insertPromiseSQL = `
INSERT INTO promises (id, municipality_code, title, partners, signatories, signed_on, valid_from, valid_to, problem_picture, follow_up)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`
	insertCommitmentSQL = `
INSERT INTO commitments (id, promise_id, position, text, responsible, responsible_other, priority_areas)
VALUES ($1, $2, $3, $4, $5, $6, $7)`
	insertIndicatorSQL = `INSERT INTO indicators (id, commitment_id, kind, label, params) VALUES ($1, $2, $3, $4, $5)`
	promiseColumns     = `id, municipality_code, title, partners, signatories, signed_on, valid_from, valid_to, problem_picture, follow_up, version`
	promiseSQL         = `SELECT ` + promiseColumns + ` FROM promises WHERE id = $1`
	promisesSQL        = `SELECT ` + promiseColumns + ` FROM promises WHERE municipality_code = ANY($1) ORDER BY municipality_code, valid_from DESC, title`
	commitmentsSQL     = `
SELECT c.id, c.text, c.responsible, c.responsible_other, c.priority_areas,
       coalesce(jsonb_agg(jsonb_build_object('id', i.id, 'kind', i.kind, 'label', i.label, 'params', i.params) ORDER BY i.label) FILTER (WHERE i.id IS NOT NULL), '[]')
FROM commitments c LEFT JOIN indicators i ON i.commitment_id = c.id
WHERE c.promise_id = $1 GROUP BY c.id ORDER BY c.position`
	deletePromiseSQL = `DELETE FROM promises WHERE id = $1`
	lockPromiseSQL   = `SELECT ` + promiseColumns + ` FROM promises WHERE id = $1 FOR UPDATE`
	updatePromiseSQL = `
UPDATE promises SET title = $2, partners = $3, signatories = $4, signed_on = $5, valid_from = $6, valid_to = $7,
       problem_picture = $8, follow_up = $9, version = version + 1, updated_at = now()
WHERE id = $1 RETURNING version`
	updateCommitmentSQL = `
UPDATE commitments SET position = $3, text = $4, responsible = $5, responsible_other = $6, priority_areas = $7
WHERE id = $1 AND promise_id = $2`
	deleteCommitmentSQL = `DELETE FROM commitments WHERE id = $1 AND promise_id = $2`
	deleteIndicatorsSQL = `DELETE FROM indicators WHERE commitment_id = $1`

	insertActivitySQL = `
INSERT INTO activities (id, commitment_id, occurred_on, type, description, who, area_id, geom, walk_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $8::bytea IS NULL THEN NULL ELSE ST_GeomFromWKB($8, 4326) END, $9)`
	activitiesSQL = `
SELECT a.id, a.commitment_id, a.occurred_on, a.type, a.description, a.who, a.area_id, ST_X(a.geom), ST_Y(a.geom), a.walk_id
FROM activities a JOIN commitments c ON c.id = a.commitment_id
WHERE c.promise_id = $1 ORDER BY a.occurred_on, a.created_at`

	activitiesPerYearSQL = `
SELECT extract(year FROM occurred_on)::int, count(*) FROM activities
WHERE commitment_id = $1 AND type = $2 AND occurred_on >= ($3 AT TIME ZONE 'Europe/Stockholm')::date
  AND occurred_on < ($4 AT TIME ZONE 'Europe/Stockholm')::date
GROUP BY 1`
	// Held walks are taken from the walk records; a walk also logged as an
	// activity with its walk id is not counted twice.
	walksPerYearSQL = `
SELECT extract(year FROM w.starts_at AT TIME ZONE 'Europe/Stockholm')::int, count(*) FROM walks w
WHERE w.municipality_code = $1 AND w.status IN ('held', 'followed_up') AND w.starts_at >= $2 AND w.starts_at < $3
  AND NOT EXISTS (SELECT 1 FROM activities a WHERE a.walk_id = w.id AND a.commitment_id = $4)
GROUP BY 1`
	countReportsSQL = `
SELECT count(*) FROM reports r
WHERE r.municipality_code = $1 AND r.observed_at >= $2 AND r.observed_at < $3 AND r.status NOT IN ('duplicate', 'rejected')
  AND (cardinality($4::text[]) = 0 OR EXISTS (SELECT 1 FROM unnest($4::text[]) p WHERE r.category = p OR r.category LIKE p || '.%'))
  AND ($5::uuid IS NULL OR EXISTS (SELECT 1 FROM areas a WHERE a.id = $5 AND ST_Intersects(a.geom, r.geom)))`
	countEventsSQL = `
SELECT count(*) FROM events e
WHERE e.municipality_code = $1 AND e.occurred_at >= $2 AND e.occurred_at < $3
  AND (cardinality($4::text[]) = 0 OR e.type = ANY($4))
  AND ($5::uuid IS NULL OR (e.precision = 'exact' AND EXISTS (SELECT 1 FROM areas a WHERE a.id = $5 AND ST_Intersects(a.geom, e.geom))))`
	surveySQL = `
SELECT value, n FROM surveys WHERE municipality_code = $1 AND area_id IS NOT DISTINCT FROM $2 AND indicator = $3 AND year = $4`
)

func dateOf(d *promise.Date) any {
	if d == nil {
		return nil
	}
	return d.Time
}

// CreatePromise stores a promise with its commitments and indicators in one
// transaction.
func (db *DB) CreatePromise(ctx context.Context, p promise.Promise) (promise.Promise, error) {
	if p.ID == uuid.Nil {
		p.ID = uuid.New()
	}
	p.Version = 1
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		if p.Partners == nil {
			p.Partners = []string{}
		}
		if p.Signatories == nil {
			p.Signatories = []string{}
		}
		if _, err := tx.Exec(ctx, insertPromiseSQL, p.ID, p.Municipality, p.Title, p.Partners, p.Signatories, dateOf(p.SignedOn),
			p.ValidFrom.Time, p.ValidTo.Time, p.ProblemPicture, p.FollowUp); err != nil {
			return areaError(err)
		}
		for i := range p.Commitments {
			if err := insertCommitment(ctx, tx, p.ID, i+1, &p.Commitments[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return p, err
}

func insertCommitment(ctx context.Context, tx pgx.Tx, promiseID uuid.UUID, position int, c *promise.Commitment) error {
	if c.ID == uuid.Nil {
		c.ID = uuid.New()
	}
	if c.PriorityAreas == nil {
		c.PriorityAreas = []uuid.UUID{}
	}
	if _, err := tx.Exec(ctx, insertCommitmentSQL, c.ID, promiseID, position, c.Text, string(c.Responsible), c.ResponsibleOther, c.PriorityAreas); err != nil {
		return translate(err)
	}
	return insertIndicators(ctx, tx, c)
}

func insertIndicators(ctx context.Context, tx pgx.Tx, c *promise.Commitment) error {
	if c.Indicators == nil {
		c.Indicators = []promise.Indicator{}
	}
	for j := range c.Indicators {
		ind := &c.Indicators[j]
		if ind.ID == uuid.Nil {
			ind.ID = uuid.New()
		}
		params, _ := json.Marshal(ind.Params)
		if _, err := tx.Exec(ctx, insertIndicatorSQL, ind.ID, c.ID, string(ind.Kind), ind.Label, params); err != nil {
			return translate(err)
		}
	}
	return nil
}

// UpdatePromise changes a promise under optimistic locking: version must be
// the promise's current version (else PreconditionFailed), change edits the
// loaded promise, which is validated and written back in the same
// transaction. Commitments keep their ids and activities; a commitment left
// out of the list is deleted with its indicators and activities; one without
// an id is added; indicators of kept commitments are replaced. The version
// goes up by one.
func (db *DB) UpdatePromise(ctx context.Context, id uuid.UUID, version int, change func(*promise.Promise) error) (promise.Promise, error) {
	var p promise.Promise
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		var err error
		p, err = scanPromise(tx.QueryRow(ctx, lockPromiseSQL, id))
		if errors.Is(err, pgx.ErrNoRows) {
			return apperr.Errorf(apperr.NotFound, "no promise %s", id)
		}
		if err != nil {
			return err
		}
		if p.Version != version {
			return &apperr.Error{Kind: apperr.PreconditionFailed,
				Message: fmt.Sprintf("the promise has changed since it was read (version %d, If-Match %d); read it again and reapply the change", p.Version, version),
				Details: map[string]any{"current_version": p.Version}}
		}
		if err := db.commitmentsTx(ctx, tx, &p); err != nil {
			return err
		}
		before := map[uuid.UUID]bool{}
		for _, c := range p.Commitments {
			before[c.ID] = true
		}
		if err := change(&p); err != nil {
			return err
		}
		if err := p.Validate(); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, updatePromiseSQL, p.ID, p.Title, nonNil(p.Partners), nonNil(p.Signatories), dateOf(p.SignedOn),
			p.ValidFrom.Time, p.ValidTo.Time, p.ProblemPicture, p.FollowUp).Scan(&p.Version); err != nil {
			return areaError(err)
		}
		kept := map[uuid.UUID]bool{}
		for i := range p.Commitments {
			c := &p.Commitments[i]
			if c.ID == uuid.Nil || !before[c.ID] {
				if c.ID != uuid.Nil {
					return apperr.Field("commitments", "the promise has no commitment %s", c.ID)
				}
				if err := insertCommitment(ctx, tx, p.ID, i+1, c); err != nil {
					return err
				}
				continue
			}
			kept[c.ID] = true
			if c.PriorityAreas == nil {
				c.PriorityAreas = []uuid.UUID{}
			}
			if _, err := tx.Exec(ctx, updateCommitmentSQL, c.ID, p.ID, i+1, c.Text, string(c.Responsible), c.ResponsibleOther, c.PriorityAreas); err != nil {
				return translate(err)
			}
			if _, err := tx.Exec(ctx, deleteIndicatorsSQL, c.ID); err != nil {
				return err
			}
			if err := insertIndicators(ctx, tx, c); err != nil {
				return err
			}
		}
		for cid := range before {
			if !kept[cid] {
				if _, err := tx.Exec(ctx, deleteCommitmentSQL, cid, p.ID); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return p, err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func scanPromise(row pgx.Row) (promise.Promise, error) {
	var p promise.Promise
	var signed *time.Time
	var from, to time.Time
	err := row.Scan(&p.ID, &p.Municipality, &p.Title, &p.Partners, &p.Signatories, &signed, &from, &to, &p.ProblemPicture, &p.FollowUp, &p.Version)
	if signed != nil {
		p.SignedOn = &promise.Date{Time: *signed}
	}
	p.ValidFrom, p.ValidTo = promise.Date{Time: from}, promise.Date{Time: to}
	return p, err
}

func (db *DB) commitments(ctx context.Context, p *promise.Promise) error {
	return db.commitmentsTx(ctx, db.Pool, p)
}

func (db *DB) commitmentsTx(ctx context.Context, q querier, p *promise.Promise) error {
	rows, err := q.Query(ctx, commitmentsSQL, p.ID)
	if err != nil {
		return err
	}
	p.Commitments, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (promise.Commitment, error) {
		var c promise.Commitment
		var resp string
		var inds []byte
		if err := r.Scan(&c.ID, &c.Text, &resp, &c.ResponsibleOther, &c.PriorityAreas, &inds); err != nil {
			return c, err
		}
		c.Responsible = promise.Responsible(resp)
		return c, json.Unmarshal(inds, &c.Indicators)
	})
	return err
}

// Promise returns a promise with its commitments and indicators.
func (db *DB) Promise(ctx context.Context, id uuid.UUID) (promise.Promise, error) {
	p, err := scanPromise(db.Pool.QueryRow(ctx, promiseSQL, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return p, apperr.Errorf(apperr.NotFound, "no promise %s", id)
	}
	if err != nil {
		return p, err
	}
	return p, db.commitments(ctx, &p)
}

// Promises lists the promises of some municipalities, newest first.
func (db *DB) Promises(ctx context.Context, municipalities []string) ([]promise.Promise, error) {
	rows, err := db.Pool.Query(ctx, promisesSQL, municipalities)
	if err != nil {
		return nil, err
	}
	ps, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (promise.Promise, error) { return scanPromise(r) })
	if err != nil {
		return nil, err
	}
	for i := range ps {
		if err := db.commitments(ctx, &ps[i]); err != nil {
			return nil, err
		}
	}
	return ps, nil
}

// DeletePromise removes a promise with its commitments, indicators and activities.
func (db *DB) DeletePromise(ctx context.Context, id uuid.UUID) error {
	tag, err := db.Pool.Exec(ctx, deletePromiseSQL, id)
	if err == nil && tag.RowsAffected() == 0 {
		return apperr.Errorf(apperr.NotFound, "no promise %s", id)
	}
	return err
}

// LogActivity records something done for a commitment.
func (db *DB) LogActivity(ctx context.Context, a promise.Activity) (promise.Activity, error) {
	if a.ID == uuid.Nil {
		a.ID = uuid.New()
	}
	var point []byte
	if a.Lon != nil && a.Lat != nil {
		point = pointWKB(*a.Lon, *a.Lat)
	}
	_, err := db.Pool.Exec(ctx, insertActivitySQL, a.ID, a.CommitmentID, a.OccurredOn.Time, a.Type, a.Description, a.Who, a.Area, point, a.Walk)
	if err != nil {
		return a, areaError(err)
	}
	return a, nil
}

// Activities lists a promise's activities.
func (db *DB) Activities(ctx context.Context, promiseID uuid.UUID) ([]promise.Activity, error) {
	rows, err := db.Pool.Query(ctx, activitiesSQL, promiseID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (promise.Activity, error) {
		var a promise.Activity
		var on time.Time
		err := r.Scan(&a.ID, &a.CommitmentID, &on, &a.Type, &a.Description, &a.Who, &a.Area, &a.Lon, &a.Lat, &a.Walk)
		a.OccurredOn = promise.Date{Time: on}
		return a, err
	})
}

// ActivitiesPerYear counts logged activities, and for walks the held walks of
// the municipality (when the walks migration is applied), per calendar year.
func (db *DB) ActivitiesPerYear(ctx context.Context, muni string, commitment uuid.UUID, activityType string, from, to time.Time) (map[int]int, error) {
	out := map[int]int{}
	add := func(query string, args ...any) error {
		rows, err := db.Pool.Query(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var y, n int
			if err := rows.Scan(&y, &n); err != nil {
				return err
			}
			out[y] += n
		}
		return rows.Err()
	}
	if err := add(activitiesPerYearSQL, commitment, activityType, from, to); err != nil {
		return nil, err
	}
	if activityType == promise.ActivityWalk {
		var has bool
		if err := db.Pool.QueryRow(ctx, `SELECT to_regclass('walks') IS NOT NULL`).Scan(&has); err != nil {
			return nil, err
		}
		if has {
			if err := add(walksPerYearSQL, muni, from, to, commitment); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// CountReports counts reports in categories (a code counts its subtree).
func (db *DB) CountReports(ctx context.Context, muni string, categories []string, area *uuid.UUID, from, to time.Time) (int, error) {
	if categories == nil {
		categories = []string{}
	}
	var n int
	err := db.Pool.QueryRow(ctx, countReportsSQL, muni, from, to, categories, area).Scan(&n)
	return n, err
}

// CountEvents counts events of some types; located events only for an area.
func (db *DB) CountEvents(ctx context.Context, muni string, types []string, area *uuid.UUID, from, to time.Time) (int, error) {
	if types == nil {
		types = []string{}
	}
	var n int
	err := db.Pool.QueryRow(ctx, countEventsSQL, muni, from, to, types, area).Scan(&n)
	return n, err
}

// SurveyResult is one survey value and its respondents, nil when the survey
// has no such row.
func (db *DB) SurveyResult(ctx context.Context, muni string, area *uuid.UUID, indicator string, year int) (*float64, *int, error) {
	var v float64
	var n *int
	err := db.Pool.QueryRow(ctx, surveySQL, muni, area, indicator, year).Scan(&v, &n)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, nil
	}
	return &v, n, err
}

var _ promise.Store = (*DB)(nil)
