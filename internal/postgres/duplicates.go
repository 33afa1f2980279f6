package postgres

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/report"
)

const (
	duplicateTargetSQL = `
SELECT r.id, r.kind, r.category, ST_AsBinary(r.geom_sweref), r.observed_at, coalesce(r.description, ''), c.radius_m
FROM reports r JOIN categories c ON c.code = r.category
WHERE r.id = $1 AND r.municipality_code = ANY ($2)`

	// Candidates come from the full gist index on geom_sweref: staff look at
	// every status and visibility, except reports already merged away (the
	// report they point at is the one to suggest). A report outside the
	// caller's municipalities is never suggested, even across a border.
	duplicateCandidatesSQL = `
SELECT r.id, r.reference, r.category, r.status, r.visibility, r.observed_at, r.received_at, r.confirmations,
       coalesce(r.description, ''), ST_AsBinary(r.geom_sweref)
FROM reports r
WHERE ST_DWithin(r.geom_sweref, ST_GeomFromWKB($1, 3006), $2)
  AND r.id <> $3 AND r.kind = $4 AND r.municipality_code = ANY ($5)
  AND r.observed_at BETWEEN $6 AND $7 AND r.status <> 'duplicate'
ORDER BY r.observed_at DESC
LIMIT 500`
)

// DuplicateCandidates returns the reports within twice the category radius of
// report id and within report.DuplicateWindow of its observation. A report
// outside scope is not found.
func (db *DB) DuplicateCandidates(ctx context.Context, id uuid.UUID, scope []string) (report.DuplicateSearch, error) {
	var s report.DuplicateSearch
	var kind string
	var at []byte
	err := db.Pool.QueryRow(ctx, duplicateTargetSQL, id, scope).Scan(&s.Of.ID, &kind, &s.Of.Category, &at,
		&s.Of.ObservedAt, &s.Of.Description, &s.RadiusM)
	if errors.Is(err, pgx.ErrNoRows) {
		return s, apperr.Errorf(apperr.NotFound, "no report %s in your municipalities", id)
	}
	if err != nil {
		return s, err
	}
	if s.Of.X, s.Of.Y, err = decodePoint(at); err != nil {
		return s, err
	}
	w := report.DuplicateWindow
	rows, err := db.Pool.Query(ctx, duplicateCandidatesSQL, at, 2*float64(s.RadiusM), id, kind, scope,
		s.Of.ObservedAt.Add(-w), s.Of.ObservedAt.Add(w))
	if err != nil {
		return s, err
	}
	s.Candidates, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (report.DuplicateCandidate, error) {
		var c report.DuplicateCandidate
		var p []byte
		if err := r.Scan(&c.ID, &c.Reference, &c.Category, &c.Status, &c.Visibility, &c.ObservedAt,
			&c.ReceivedAt, &c.Confirmations, &c.Description, &p); err != nil {
			return c, err
		}
		c.Sighting = report.Sighting{ID: c.ID, Category: c.Category, ObservedAt: c.ObservedAt, Description: c.Description}
		c.Sighting.X, c.Sighting.Y, err = decodePoint(p)
		return c, err
	})
	return s, err
}
