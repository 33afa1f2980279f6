package httpapi

import (
	"context"
	"math"
	"strconv"
	"time"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/hotspot"
	"github.com/trygg/trygg/internal/postgres"
)

// HotspotResult is one analysis, as cached and as drawn.
type HotspotResult struct {
	Grid    hotspot.Grid
	Cells   []HotspotCell
	Summary HotspotSummary
}

// HotspotCell is one cell's outcome. Z, P, PAdjusted and Bin are set for Gi*,
// Density (reports per km²) for kernel density.
type HotspotCell struct {
	I, J            int32
	Count           int32
	Bin             hotspot.Bin
	Z, P, PAdjusted float64
	Density         float64
}

// HotspotSummary describes the run: what was counted and which parameters
// were used, chosen or defaulted.
type HotspotSummary struct {
	Cells          int            `json:"cells"`
	Reports        int            `json:"reports"`
	Outside        int            `json:"reports_outside_cells"`
	Method         string         `json:"method"`
	Municipalities []string       `json:"municipalities"`
	Kind           string         `json:"kind,omitempty"`
	Category       string         `json:"category,omitempty"`
	From           *time.Time     `json:"from,omitempty"`
	To             *time.Time     `json:"to,omitempty"`
	Shape          hotspot.Shape  `json:"shape"`
	CellM          float64        `json:"cell_m"`
	CellAreaM2     float64        `json:"cell_area_m2"`
	Neighbours     string         `json:"neighbours,omitempty"`
	FDR            bool           `json:"fdr"`
	Bins           map[string]int `json:"bins,omitempty"`
	Mean           float64        `json:"mean_count"`
	SD             float64        `json:"sd_count"`
	BandwidthM     float64        `json:"bandwidth_m,omitempty"`
	Optimized      *OptimizedInfo `json:"optimized,omitempty"`
	DataVersion    string         `json:"data_version"`
}

// OptimizedInfo says what the optimized mode chose and why.
type OptimizedInfo struct {
	CellM                 float64 `json:"cell_m"`
	Neighbours            string  `json:"neighbours"`
	MeanNearestNeighbourM float64 `json:"mean_nearest_neighbour_m"`
	Locations             int     `json:"distinct_locations"`
	Peak                  bool    `json:"moran_peak"`
	Reason                string  `json:"reason"`
}

func neighboursName(n hotspot.Neighbourhood) string {
	switch n.Rule {
	case hotspot.DistanceBand:
		return "distance:" + strconv.FormatFloat(n.Distance, 'f', -1, 64)
	case hotspot.HexRing:
		return "hex"
	}
	return string(n.Rule)
}

// compute runs the analysis. Gi* on a given cell size bins in SQL while Go
// lists the study area's cells; the other modes need the points themselves.
func (h *hotspotAPI) compute(ctx context.Context, q HotspotQuery, area postgres.HotspotArea, t *hotspotTimings) (*HotspotResult, error) {
	f := postgres.HotspotFilter{Municipalities: area.Municipalities, Kind: q.Kind, Category: q.Category, From: q.From, To: q.To}
	res := &HotspotResult{}
	var counted []hotspot.Cell
	var points []hotspot.Point
	nb := q.Neighbours
	switch {
	case q.Cell > 0 && q.Method == "gistar":
		res.Grid = hotspot.Grid{Size: q.Cell, Shape: q.Shape}
		if !area.Whole { // whole municipalities need no spatial filter
			f.Box = grow(area.Box, 2*q.Cell)
		}
		type binned struct {
			cells []hotspot.Cell
			err   error
		}
		done := make(chan binned, 1)
		go func() { // the database bins while Go lists the cells
			stop := t.start(&t.sql)
			c, err := h.s.db.HotspotCounts(ctx, f, res.Grid)
			stop()
			done <- binned{c, err}
		}()
		stop := t.start(&t.compute)
		cells, err := studyCells(res.Grid, area)
		stop()
		b := <-done
		if err != nil {
			return nil, err
		}
		if b.err != nil {
			return nil, b.err
		}
		defer t.start(&t.compute)()
		counted, res.Summary.Outside = mergeCounts(cells, b.cells)
	default:
		if !area.Whole {
			f.Box = area.Box
		}
		stop := t.start(&t.sql)
		all, err := h.s.db.HotspotPoints(ctx, f)
		stop()
		if err != nil {
			return nil, err
		}
		defer t.start(&t.compute)()
		for _, p := range all {
			if area.Inside(p.X, p.Y) {
				points = append(points, p)
			}
		}
		if q.Cell > 0 {
			res.Grid = hotspot.Grid{Size: q.Cell, Shape: q.Shape}
			cells, err := studyCells(res.Grid, area)
			if err != nil {
				return nil, err
			}
			if counted, res.Summary.Outside, err = hotspot.CountPoints(res.Grid, cells, points); err != nil {
				return nil, err
			}
		} else {
			opt, c, err := hotspot.Optimize(points, area.StudyArea, hotspot.OptimizeOptions{Shape: q.Shape, MaxCells: maxHotspotCells})
			if err != nil {
				return nil, err
			}
			counted, res.Grid, res.Summary.Outside = c, opt.Grid, opt.Outside
			if nb.Rule == "" {
				nb = opt.Neighbourhood
			}
			res.Summary.Optimized = &OptimizedInfo{
				CellM: opt.Grid.Size, Neighbours: neighboursName(opt.Neighbourhood),
				MeanNearestNeighbourM: opt.MeanNearestNeighbour, Locations: opt.Locations,
				Peak: opt.Peak, Reason: opt.Reason,
			}
		}
	}
	if err := res.analyse(q, counted, points, nb); err != nil {
		return nil, err
	}
	res.describe(q, area)
	return res, nil
}

// analyse fills the cells from Gi* or kernel density.
func (res *HotspotResult) analyse(q HotspotQuery, counted []hotspot.Cell, points []hotspot.Point, nb hotspot.Neighbourhood) error {
	res.Cells = make([]HotspotCell, len(counted))
	for k, c := range counted {
		res.Cells[k] = HotspotCell{I: int32(c.I), J: int32(c.J), Count: int32(c.Count)}
		res.Summary.Reports += c.Count
	}
	if q.Method == "kde" {
		bw := q.Bandwidth
		if bw == 0 {
			var err error
			if bw, err = hotspot.DefaultBandwidth(points); err != nil {
				return apperr.Errorf(apperr.Unprocessable, "no default bandwidth for these reports (too few or all in one place); give bandwidth in metres")
			}
		}
		index := make([]hotspot.Index, len(counted))
		for k, c := range counted {
			index[k] = hotspot.Index{I: c.I, J: c.J}
		}
		d, err := hotspot.KernelDensity(points, res.Grid, index, bw)
		if err != nil {
			return err
		}
		for k := range d {
			res.Cells[k].Density = d[k].PerSquareMetre * 1e6
		}
		res.Summary.BandwidthM = bw
		return nil
	}
	a, err := hotspot.Analyze(counted, res.Grid, hotspot.Options{Neighbourhood: nb, FDR: q.FDR})
	if err != nil {
		return err
	}
	for k, c := range a.Cells {
		cell := &res.Cells[k]
		cell.Z, cell.P, cell.PAdjusted, cell.Bin = c.Z, c.P, c.PAdjusted, c.Bin
	}
	res.Summary.Bins = make(map[string]int, len(a.Summary.Bins))
	for b, n := range a.Summary.Bins {
		res.Summary.Bins[strconv.Itoa(int(b))] = n
	}
	res.Summary.Neighbours = neighboursName(a.Summary.Neighbourhood)
	res.Summary.Mean, res.Summary.SD = a.Summary.Mean, a.Summary.SD
	res.Summary.FDR = q.FDR
	return nil
}

func (res *HotspotResult) describe(q HotspotQuery, area postgres.HotspotArea) {
	s := &res.Summary
	s.Cells, s.Method, s.Municipalities = len(res.Cells), q.Method, area.Municipalities
	s.Kind, s.Category, s.Shape = q.Kind, q.Category, res.Grid.Shape
	s.CellM, s.CellAreaM2 = res.Grid.Size, res.Grid.Area()
	if !q.From.IsZero() {
		s.From = &q.From
	}
	if !q.To.IsZero() {
		s.To = &q.To
	}
}

// studyCells lists the cells whose centre lies in the study area, refusing
// grids too fine for one request before enumerating them.
func studyCells(g hotspot.Grid, area postgres.HotspotArea) ([]hotspot.Index, error) {
	b := area.Box
	tooMany := func(n float64) error {
		finer := math.Ceil(g.Size * math.Sqrt(n/maxHotspotCells))
		return &apperr.Error{Kind: apperr.Invalid,
			Message: "the study area holds about " + strconv.Itoa(int(n)) + " cells of this size, more than " + strconv.Itoa(maxHotspotCells) + "; use a larger cell (at least " + strconv.Itoa(int(finer)) + " m) or a smaller area",
			Details: map[string]any{"field": "cell", "max_cells": maxHotspotCells}}
	}
	// The area fills a fair share of its box; a box 4× over the limit cannot
	// come under it.
	if est := (b.MaxX - b.MinX) * (b.MaxY - b.MinY) / g.Area(); est > 4*maxHotspotCells {
		return nil, tooMany(est / 2)
	}
	cells := g.CellsInside(b, area.Inside)
	if len(cells) > maxHotspotCells {
		return nil, tooMany(float64(len(cells)))
	}
	if len(cells) == 0 {
		return nil, apperr.Errorf(apperr.Invalid, "no cell of this size has its centre in the study area; use a smaller cell")
	}
	return cells, nil
}

// mergeCounts puts the SQL counts on the study area's cells; reports in cells
// whose centre lies outside the area are counted as outside. The cells fill
// their bounding rectangle well (a municipality covers about half of its
// box), so positions are looked up in a dense array rather than a map, which
// at 140 000 cells is several times slower.
func mergeCounts(cells []hotspot.Index, counts []hotspot.Cell) (counted []hotspot.Cell, outside int) {
	counted = make([]hotspot.Cell, len(cells))
	if len(cells) == 0 {
		for _, c := range counts {
			outside += c.Count
		}
		return counted, outside
	}
	minI, maxI, minJ, maxJ := cells[0].I, cells[0].I, cells[0].J, cells[0].J
	for k, c := range cells {
		counted[k] = hotspot.Cell{I: c.I, J: c.J}
		minI, maxI, minJ, maxJ = min(minI, c.I), max(maxI, c.I), min(minJ, c.J), max(maxJ, c.J)
	}
	rows := maxJ - minJ + 1
	pos := make([]int32, (maxI-minI+1)*rows) // position+1; 0: not a study cell
	for k, c := range cells {
		pos[(c.I-minI)*rows+c.J-minJ] = int32(k + 1)
	}
	for _, c := range counts {
		if c.I < minI || c.I > maxI || c.J < minJ || c.J > maxJ || pos[(c.I-minI)*rows+c.J-minJ] == 0 {
			outside += c.Count
			continue
		}
		counted[pos[(c.I-minI)*rows+c.J-minJ]-1].Count = c.Count
	}
	return counted, outside
}

func hotspotIndex(c HotspotCell) hotspot.Index { return hotspot.Index{I: int(c.I), J: int(c.J)} }

func grow(b hotspot.Box, by float64) hotspot.Box {
	return hotspot.Box{MinX: b.MinX - by, MinY: b.MinY - by, MaxX: b.MaxX + by, MaxY: b.MaxY + by}
}
