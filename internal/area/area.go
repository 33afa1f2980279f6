// Package area is trygg's named places inside a municipality: a centrum, a
// stadsdel, an "utsatt område" that medborgarlöften must prioritise, or a custom
// study area. It holds the types, the rules an area must satisfy and the GeoJSON
// reading that imports them; the rule that an area lies inside its municipality
// is checked in the database, where the boundaries are.
package area

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/twpayne/go-geom"

	"github.com/trygg/trygg/internal/apperr"
)

// Kind is what sort of place an area is.
type Kind string

const (
	Centrum      Kind = "centrum"
	Stadsdel     Kind = "stadsdel"
	UtsattOmrade Kind = "utsatt_omrade"
	Custom       Kind = "custom"
)

// Kinds lists every kind.
var Kinds = []Kind{Centrum, Stadsdel, UtsattOmrade, Custom}

// ParseKind checks a kind name; empty means custom.
func ParseKind(s string) (Kind, error) {
	if s == "" {
		return Custom, nil
	}
	for _, k := range Kinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", apperr.Field("kind", "unknown area kind %q (centrum, stadsdel, utsatt_omrade, custom)", s)
}

// Area is one named polygon.
type Area struct {
	ID           uuid.UUID          `json:"id"`
	Municipality string             `json:"municipality"`
	Kind         Kind               `json:"kind"`
	Name         string             `json:"name"`
	Priority     bool               `json:"priority"`
	Geometry     *geom.MultiPolygon `json:"-"`
	CreatedAt    time.Time          `json:"created_at"`
	UpdatedAt    time.Time          `json:"updated_at"`
}

// Validate checks what can be checked without the municipality's boundary.
func (a *Area) Validate() error {
	a.Name = strings.TrimSpace(a.Name)
	if a.Name == "" || len([]rune(a.Name)) > 200 {
		return apperr.Field("name", "an area needs a name of 1–200 characters")
	}
	if len(a.Municipality) != 4 || strings.Trim(a.Municipality, "0123456789") != "" {
		return apperr.Field("municipality", "%q is not a four-digit kommunkod", a.Municipality)
	}
	if _, err := ParseKind(string(a.Kind)); err != nil {
		return err
	}
	if a.Geometry == nil || a.Geometry.NumPolygons() == 0 {
		return apperr.Field("geometry", "area %q has no polygon", a.Name)
	}
	return nil
}

// Filter narrows a listing.
type Filter struct {
	Municipalities []string
	Kind           Kind
	PriorityOnly   bool
}

// Store keeps areas. ImportAreas writes all or nothing.
type Store interface {
	CreateArea(ctx context.Context, a Area) (Area, error)
	ImportAreas(ctx context.Context, areas []Area) (created, updated int, err error)
	Area(ctx context.Context, id uuid.UUID) (Area, error)
	Areas(ctx context.Context, f Filter) ([]Area, error)
	UpdateArea(ctx context.Context, a Area) (Area, error)
	DeleteArea(ctx context.Context, id uuid.UUID) error
}
