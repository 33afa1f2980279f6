package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/promise"
)

const (
	surveyAreaSQL   = `SELECT id FROM areas WHERE municipality_code = $1 AND name = $2`
	upsertSurveySQL = `
INSERT INTO surveys (municipality_code, area_id, year, indicator, value, n) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (municipality_code, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid), year, indicator)
DO UPDATE SET value = EXCLUDED.value, n = EXCLUDED.n`
)

// ImportSurveys stores survey results of one municipality in one transaction;
// a result for the same area, year and indicator replaces the old one.
func (db *DB) ImportSurveys(ctx context.Context, muni string, rs []promise.SurveyResult) (int, error) {
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		areas := map[string]any{"": nil}
		for i, r := range rs {
			id, ok := areas[r.Area]
			if !ok {
				var got [16]byte
				err := tx.QueryRow(ctx, surveyAreaSQL, muni, r.Area).Scan(&got)
				if errors.Is(err, pgx.ErrNoRows) {
					return apperr.Errorf(apperr.Invalid, "line %d: municipality %s has no area %q", i+2, muni, r.Area)
				}
				if err != nil {
					return err
				}
				id, areas[r.Area] = got, got
			}
			if _, err := tx.Exec(ctx, upsertSurveySQL, muni, id, r.Year, r.Indicator, r.Value, r.N); err != nil {
				return areaError(err)
			}
		}
		return nil
	})
	return len(rs), err
}
