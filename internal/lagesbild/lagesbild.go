package lagesbild

import (
	"context"
	"sort"
	"time"

	"github.com/google/uuid"
)

// Request names one lägesbild.
type Request struct {
	Municipality string
	Period       Period
	// Area restricts every count to one area's polygon.
	Area *uuid.UUID
	// Now is when the lägesbild is made. What depends on the present (a
	// measure overdue) is judged at the earlier of Now and the period's end,
	// so a running period does not count as overdue what is due later.
	Now time.Time
}

// AsOf is the moment a lägesbild judges states at: the period's end, or Now
// when the period has not ended (a zero Now means the period's end).
func (r Request) AsOf() time.Time {
	if !r.Now.IsZero() && r.Now.Before(r.Period.To) {
		return r.Now
	}
	return r.Period.To
}

// Counts are the resident reports of one period, counted by leaf category and by
// area. A report inside two overlapping areas counts in both.
type Counts struct {
	ByCategory map[string]int
	ByArea     map[uuid.UUID]int
}

// CategoryInfo is one node of the category tree.
type CategoryInfo struct {
	Code, Parent, Kind, Name string
	IsGroup                  bool
}

// AreaInfo describes one area of the municipality.
type AreaInfo struct {
	ID       uuid.UUID `json:"id"`
	Name     string    `json:"name"`
	Kind     string    `json:"kind"`
	Priority bool      `json:"priority"`
}

// Felanmalan is how fault reports were handled in the period.
type Felanmalan struct {
	Opened   int `json:"opened"`
	Resolved int `json:"resolved"`
	// OpenAtEnd counts felanmälningar received before the period's end and not
	// closed by then; MedianOpenAgeDays is their median age at that moment.
	OpenAtEnd           int      `json:"open_at_end"`
	MedianOpenAgeDays   *float64 `json:"median_open_age_days"`
	MedianDaysToResolve *float64 `json:"median_days_to_resolve"`
	// Suppressed names the figures the public variant hides (counts of 1 or 2
	// and their medians).
	Suppressed []string `json:"suppressed,omitempty"`
}

// EventCount is events from another source, by type and location precision.
type EventCount struct {
	Source    string `json:"source"`
	Type      string `json:"type"`
	Precision string `json:"precision"`
	Count     int    `json:"count"`
}

// Walks summarises trygghetsvandringar and their measures in the period:
// walks held and still planned that start in it, measures agreed at those
// walks, measures marked done in it, and measures overdue at its end (or now,
// for a running period): open or in progress past their due date then.
// Restricted to an area, only walks recorded for the area or whose route
// enters it count.
type Walks struct {
	Available       bool `json:"available"`
	Held            int  `json:"held"`
	Planned         int  `json:"planned"`
	MeasuresAgreed  int  `json:"measures_agreed"`
	MeasuresDone    int  `json:"measures_completed"`
	MeasuresOverdue int  `json:"measures_overdue"`
}

// Cell is one 250 m grid cell of the period's hotspots: its centre, its
// report count and, from a Gi* analysis, its z-score, p-values and confidence
// bin (3, 2, 1: hot at 99, 95, 90 %).
type Cell struct {
	X, Y      float64  `json:"-"`
	Lon       float64  `json:"lon"`
	Lat       float64  `json:"lat"`
	Count     int      `json:"count"`
	Z         *float64 `json:"z,omitempty"`
	P         *float64 `json:"p,omitempty"`
	PAdjusted *float64 `json:"p_adjusted,omitempty"`
	Bin       int      `json:"bin,omitempty"`
}

// Hotspot methods: a Getis-Ord Gi* analysis with a false-discovery-rate
// correction, or, when the period has too few reports for one, the densest
// cells (a plain ranking, no significance).
const (
	HotspotsGiStar  = "gistar"
	HotspotsDensest = "densest_cells"
)

// MinHotspotReports is the fewest reports a period needs for the Gi*
// analysis; below it the lägesbild lists the densest cells and says why. It
// is the threshold the hotspot engine's optimized mode uses (30, as ArcGIS
// asks for).
const MinHotspotReports = 30

// MaxHotspotCells is how many cells the lägesbild lists.
const MaxHotspotCells = 10

// Hotspots are the top hotspots of the period.
type Hotspots struct {
	Method string `json:"method"`
	// CellM is the side of the square cells in metres (SWEREF 99 TM).
	CellM float64 `json:"cell_m"`
	// FDR, Neighbours and SignificantHotCells describe the Gi* run: cells
	// are hot when their Benjamini–Hochberg adjusted p-value is below 0.10.
	FDR                 bool   `json:"fdr"`
	Neighbours          string `json:"neighbours,omitempty"`
	Reports             int    `json:"reports"`
	StudyCells          int    `json:"study_cells,omitempty"`
	SignificantHotCells int    `json:"significant_hot_cells"`
	// Note says why the densest cells are shown instead of a Gi* result.
	Note  string `json:"note,omitempty"`
	Cells []Cell `json:"cells"`
}

// Source is what the store counts for one request.
type Source struct {
	Municipality     string
	MunicipalityName string
	Area             *AreaInfo
	Categories       []CategoryInfo
	Areas            []AreaInfo
	Current          Counts
	Previous         Counts
	LastYear         Counts
	Felanmalan       Felanmalan
	Events           []EventCount
	Walks            Walks
}

// Store counts what a lägesbild shows.
type Store interface {
	LagesbildSource(ctx context.Context, r Request, previous, lastYear Period) (Source, error)
}

// Row is one line of a count table with its two comparisons.
type Row struct {
	Key        string  `json:"key"`
	Name       string  `json:"name"`
	Kind       string  `json:"kind,omitempty"`
	Parent     string  `json:"parent,omitempty"`
	Group      bool    `json:"group,omitempty"`
	Priority   bool    `json:"priority,omitempty"`
	Count      int     `json:"count"`
	Suppressed bool    `json:"suppressed,omitempty"`
	Previous   *Change `json:"previous,omitempty"`
	LastYear   *Change `json:"last_year,omitempty"`
}

// Lagesbild is the whole picture.
type Lagesbild struct {
	Municipality  string       `json:"municipality"`
	Name          string       `json:"municipality_name"`
	Area          *AreaInfo    `json:"area,omitempty"`
	Period        Period       `json:"period"`
	PreviousLabel string       `json:"previous_period"`
	LastYearLabel string       `json:"last_year_period"`
	GeneratedAt   time.Time    `json:"generated_at"`
	Public        bool         `json:"public"`
	Totals        []Row        `json:"totals"`
	Categories    []Row        `json:"categories"`
	Areas         []Row        `json:"areas"`
	Hotspots      *Hotspots    `json:"hotspots,omitempty"`
	Felanmalan    Felanmalan   `json:"felanmalan"`
	Events        []EventCount `json:"events"`
	Walks         Walks        `json:"walks"`
	Promises      any          `json:"promises,omitempty"`
	// PromiseLines are the promises' indicators flattened for the CSV
	// section and the printed table (the JSON carries Promises whole).
	PromiseLines []IndicatorLine `json:"-"`
}

// IndicatorLine is one indicator of a promise valid in the period: its
// promise, commitment, who is responsible, value, target and status. A
// commitment without indicators is one line with no indicator.
type IndicatorLine struct {
	Promise, Commitment, Responsible string
	Indicator, Kind, Status          string
	Value                            *float64
	Target, How                      string
}

// Build turns counted sources into the lägesbild: totals per kind, every
// category with its groups summed from their leaves, and every area.
func Build(r Request, src Source, generated time.Time) Lagesbild {
	l := Lagesbild{
		Municipality: src.Municipality, Name: src.MunicipalityName, Area: src.Area, Period: r.Period,
		PreviousLabel: r.Period.Previous().Label, LastYearLabel: r.Period.LastYear().Label,
		GeneratedAt: generated, Felanmalan: src.Felanmalan, Events: src.Events, Walks: src.Walks,
	}
	cur, prev, ly := Rollup(src.Categories, src.Current.ByCategory), Rollup(src.Categories, src.Previous.ByCategory), Rollup(src.Categories, src.LastYear.ByCategory)
	row := func(key, name string, now, before, year int) Row {
		p, y := Compare(now, before), Compare(now, year)
		return Row{Key: key, Name: name, Count: now, Previous: &p, LastYear: &y}
	}
	for _, kind := range []string{"otrygghet", "felanmalan"} {
		l.Totals = append(l.Totals, row(kind, kind, kindTotal(src.Categories, src.Current.ByCategory, kind),
			kindTotal(src.Categories, src.Previous.ByCategory, kind), kindTotal(src.Categories, src.LastYear.ByCategory, kind)))
	}
	for _, c := range src.Categories {
		if cur[c.Code]+prev[c.Code]+ly[c.Code] == 0 {
			continue
		}
		rw := row(c.Code, c.Name, cur[c.Code], prev[c.Code], ly[c.Code])
		rw.Kind, rw.Parent, rw.Group = c.Kind, c.Parent, c.IsGroup
		l.Categories = append(l.Categories, rw)
	}
	for _, a := range src.Areas {
		rw := row(a.ID.String(), a.Name, src.Current.ByArea[a.ID], src.Previous.ByArea[a.ID], src.LastYear.ByArea[a.ID])
		rw.Kind, rw.Priority = a.Kind, a.Priority
		l.Areas = append(l.Areas, rw)
	}
	sort.SliceStable(l.Areas, func(i, j int) bool { return l.Areas[i].Count > l.Areas[j].Count })
	return l
}

// Rollup adds each leaf's count to every group above it. Codes not in the tree
// keep their own count only.
func Rollup(tree []CategoryInfo, leaves map[string]int) map[string]int {
	parent := make(map[string]string, len(tree))
	for _, c := range tree {
		parent[c.Code] = c.Parent
	}
	out := make(map[string]int, len(tree))
	for code, n := range leaves {
		seen := 0
		for c := code; c != "" && seen <= len(tree); c = parent[c] {
			out[c] += n
			seen++ // guards against a cycle in bad data
		}
	}
	return out
}

func kindTotal(tree []CategoryInfo, leaves map[string]int, kind string) int {
	kindOf := make(map[string]string, len(tree))
	for _, c := range tree {
		kindOf[c.Code] = c.Kind
	}
	n := 0
	for code, c := range leaves {
		if kindOf[code] == kind {
			n += c
		}
	}
	return n
}
