package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/trygg/trygg/internal/category"
)

const categoriesSQL = `
SELECT code, kind, coalesce(parent, ''), is_group, name_sv, name_en, description_sv, description_en,
       sensitivity, radius_m, sort_order, active
FROM categories ORDER BY sort_order, code`

// Categories returns the whole taxonomy.
func (db *DB) Categories(ctx context.Context) ([]category.Category, error) {
	rows, err := db.Pool.Query(ctx, categoriesSQL)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (category.Category, error) {
		var c category.Category
		err := r.Scan(&c.Code, &c.Kind, &c.Parent, &c.IsGroup, &c.NameSV, &c.NameEN, &c.DescriptionSV,
			&c.DescriptionEN, &c.Sensitivity, &c.RadiusM, &c.SortOrder, &c.Active)
		return c, err
	})
}
