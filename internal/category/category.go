// Package category is the taxonomy residents report under: a tree of codes
// (OTR > OTR.SOC > OTR.SOC.GATHER), each belonging to one report kind and carrying
// a sensitivity that decides how reports in it may be shown to the public.
package category

import (
	"context"
	"strings"
)

// Kind of report a category belongs to.
const (
	KindOtrygghet  = "otrygghet"
	KindFelanmalan = "felanmalan"
)

// Sensitivity decides public display: Normal shows a published report's point,
// Sensitive snaps it to a coarse grid, Restricted never shows a point at all.
type Sensitivity string

const (
	Normal     Sensitivity = "normal"
	Sensitive  Sensitivity = "sensitive"
	Restricted Sensitivity = "restricted"
)

// Category is one node of the taxonomy.
type Category struct {
	Code          string      `json:"code"`
	Kind          string      `json:"kind"`
	Parent        string      `json:"parent,omitempty"`
	IsGroup       bool        `json:"is_group"`
	NameSV        string      `json:"-"`
	NameEN        string      `json:"-"`
	DescriptionSV string      `json:"-"`
	DescriptionEN string      `json:"-"`
	Sensitivity   Sensitivity `json:"sensitivity"`
	RadiusM       int         `json:"radius_m"`
	SortOrder     int         `json:"-"`
	Active        bool        `json:"active"`
}

// Name returns the name in the language asked for ("en" or Swedish otherwise).
func (c Category) Name(lang string) string {
	if lang == "en" {
		return c.NameEN
	}
	return c.NameSV
}

// Description returns the description in the language asked for.
func (c Category) Description(lang string) string {
	if lang == "en" {
		return c.DescriptionEN
	}
	return c.DescriptionSV
}

// Reportable reports whether residents can file reports in c.
func (c Category) Reportable() bool { return c.Active && !c.IsGroup }

// Within reports whether code is prefix or a descendant of prefix
// ("OTR.SOC.GATHER" is within "OTR.SOC" and "OTR", not within "OTR.S").
func Within(code, prefix string) bool {
	return code == prefix || strings.HasPrefix(code, prefix+".")
}

// Store reads categories.
type Store interface {
	Categories(ctx context.Context) ([]Category, error)
}
