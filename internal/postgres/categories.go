package postgres

import (
	"context"
	"slices"
	"sync"

	"github.com/jackc/pgx/v5"

	"github.com/trygg/trygg/internal/category"
)

const categoriesSQL = `
SELECT code, kind, coalesce(parent, ''), is_group, name_sv, name_en, description_sv, description_en,
       sensitivity, radius_m, sort_order, active
FROM categories ORDER BY sort_order, code`

// Categories returns the whole taxonomy. While the database's notifications are
// followed (TileVersionsLive) it comes from memory: every change to the table is
// announced on trygg_categories (migration 000012) and drops the copy; a
// change made through this process's pool drops it before the change is
// answered (tilewatch.go).
func (db *DB) Categories(ctx context.Context) ([]category.Category, error) {
	live := db.TileVersionsLive()
	if live {
		if list, ok := db.categories.get(); ok {
			return list, nil
		}
	}
	gen := db.categories.generation()
	list, err := db.loadCategories(ctx)
	if err == nil && live {
		db.categories.put(gen, list)
	}
	return list, err
}

// categoryCache holds the taxonomy between changes. gen counts invalidations,
// so that a list read before one is not stored after it.
type categoryCache struct {
	mu   sync.Mutex
	gen  uint64
	list []category.Category
	ok   bool
}

func (c *categoryCache) get() ([]category.Category, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.list), c.ok
}

func (c *categoryCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

func (c *categoryCache) put(gen uint64, list []category.Category) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen == c.gen {
		c.list, c.ok = slices.Clone(list), true
	}
}

func (c *categoryCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.list, c.ok = nil, false
}

func (db *DB) loadCategories(ctx context.Context) ([]category.Category, error) {
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
