package tiles

import (
	"slices"

	"github.com/trygg/trygg/internal/apperr"
)

// Access says who may read a layer.
type Access int

const (
	// Public layers are for anyone and may be cached by any CDN.
	Public Access = iota
	// Staff layers need a token and show only the token's municipalities.
	Staff
)

// Field is one attribute a layer's features carry, described for TileJSON's
// vector_layers and the OGC collection.
type Field struct {
	Name        string
	Type        string // "String", "Number" or "Boolean", as TileJSON describes fields
	Description string
}

// Layer describes one map layer.
type Layer struct {
	Name        string
	Title       string
	Description string
	Access      Access
	Geometry    string // "Point" or "Polygon"
	MinZoom     int
	MaxZoom     int
	Fields      []Field
	// Filtered says the report filters (kind, category, ...) apply to this layer.
	Filtered bool
	// Optional layers exist only when their table does (areas come with lägesbild).
	Optional bool
}

var (
	reportFields = []Field{
		{"id", "String", "report id"},
		{"reference", "String", "the reference the resident got"},
		{"kind", "String", "otrygghet or felanmalan"},
		{"category", "String", "category code"},
		{"status", "String", "workflow status"},
		{"municipality", "String", "kommunkod"},
		{"observed_at", "String", "when it was observed (RFC 3339)"},
		{"age_days", "Number", "whole days since it was received"},
	}
	publicFields = []Field{
		{"kind", "String", "otrygghet or felanmalan"},
		{"category", "String", "category code"},
		{"status", "String", "workflow status"},
		{"observed_on", "String", "the day it was observed (YYYY-MM-DD)"},
		{"coarsened", "Boolean", "true when the point is the centre of its 100 m SWEREF 99 TM square, not the reported place"},
	}
	clusterFields = []Field{
		{"cluster", "Boolean", "true on a feature that stands for several reports (dense tiles)"},
		{"point_count", "Number", "how many reports a cluster stands for"},
	}
)

// Layers are every map layer, in the order they are listed.
var Layers = []Layer{
	{Name: "reports", Title: "Reports (staff)", Access: Staff, Geometry: "Point", MinZoom: 0, MaxZoom: MaxZoom, Filtered: true,
		Description: "Exact report points with their workflow fields, for the token's municipalities.",
		Fields:      append(slices.Clone(reportFields), clusterFields...)},
	{Name: "reports_public", Title: "Published reports", Access: Public, Geometry: "Point", MinZoom: 0, MaxZoom: MaxZoom, Filtered: true,
		Description: "Published reports without text or contact data. Sensitive categories are moved to the centre of their 100 m SWEREF 99 TM square; restricted categories never appear as points.",
		Fields:      append(slices.Clone(publicFields), clusterFields...)},
	{Name: "report_cells", Title: "Report counts per cell", Access: Public, Geometry: "Polygon", MinZoom: 0, MaxZoom: MaxZoom, Filtered: true,
		Description: "Published reports counted in SWEREF 99 TM squares (or hexagons with shape=hex) whose size follows the zoom; cells with fewer reports than the minimum count are left out.",
		Fields: []Field{
			{"count", "Number", "reports in the cell"},
			{"cell_size_m", "Number", "side of the square, or edge of the hexagon (hexagons have the area of the square of their zoom), in metres"},
			{"shape", "String", "square or hex"},
		}},
	{Name: "municipalities", Title: "Municipalities", Access: Public, Geometry: "Polygon", MinZoom: 0, MaxZoom: MaxZoom,
		Description: "Swedish municipality boundaries (simplified).",
		Fields: []Field{
			{"code", "String", "kommunkod"},
			{"name", "String", "name"},
			{"county_code", "String", "länskod"},
		}},
	{Name: "areas", Title: "Areas", Access: Public, Geometry: "Polygon", MinZoom: 0, MaxZoom: MaxZoom, Optional: true,
		Description: "Named areas inside municipalities (centrum, stadsdel, utsatt område, custom).",
		Fields: []Field{
			{"id", "String", "area id"},
			{"municipality", "String", "kommunkod"},
			{"kind", "String", "centrum, stadsdel, utsatt_omrade or custom"},
			{"name", "String", "name"},
			{"priority", "Boolean", "a promise gives this area priority"},
		}},
}

// Lookup returns the layer called name.
func Lookup(name string) (Layer, error) {
	for _, l := range Layers {
		if l.Name == name {
			return l, nil
		}
	}
	return Layer{}, apperr.Errorf(apperr.NotFound, "no map layer %q", name)
}
