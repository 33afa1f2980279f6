package httpapi

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/hotspot"
	"github.com/trygg/trygg/internal/lagesbild"
)

// lagesbildHotspotCell is the cell size of the lägesbild's hotspots: 250 m
// squares, a block or two in a town.
const lagesbildHotspotCell = 250

// lagesbildHotspots runs the hotspot engine of /v1/hotspots (the same query,
// cache and data version) on the lägesbild's municipality or area and period:
// Gi* on 250 m squares with queen neighbours and the Benjamini–Hochberg
// false-discovery-rate correction. It returns the significant hot cells
// (bin 1–3) ordered by confidence bin, then by the cell's own count (the
// neighbours of a dense cell share its neighbourhood and so nearly its z,
// though they may hold nothing themselves), then by z; at most
// lagesbild.MaxHotspotCells of them.
//
// With fewer than lagesbild.MinHotspotReports reports in the period, or when
// the engine refuses the study area, it falls back to the densest cells and
// says so in Note; those are a ranking, not a significance test.
func (s *Server) lagesbildHotspots(ctx context.Context, p auth.Principal, r lagesbild.Request) (*lagesbild.Hotspots, error) {
	v, ok := hotspotAPIs.Load(s)
	if !ok {
		return nil, apperr.Errorf(apperr.Internal, "hotspot routes are not registered")
	}
	q := HotspotQuery{Municipality: r.Municipality, Cell: lagesbildHotspotCell, Shape: hotspot.Square,
		Method: "gistar", FDR: true, From: r.Period.From, To: r.Period.To}
	if r.Area != nil {
		q.Municipality, q.Area = "", *r.Area
	}
	res, _, err := v.(*hotspotAPI).result(ctx, p, q, &hotspotTimings{})
	var ae *apperr.Error
	switch {
	case err == nil && res.Summary.Reports >= lagesbild.MinHotspotReports:
		return giStarHotspots(res), nil
	case err == nil:
		return s.densestHotspots(ctx, r, fmt.Sprintf("Only %d reports in the period: a Gi* hotspot analysis needs at least %d, so these are the densest %d m cells, a ranking without any test of significance.",
			res.Summary.Reports, lagesbild.MinHotspotReports, lagesbildHotspotCell), res.Summary.Reports)
	case errors.As(err, &ae) && (ae.Kind == apperr.Invalid || ae.Kind == apperr.Unprocessable):
		return s.densestHotspots(ctx, r, "No Gi* hotspot analysis for this study area ("+ae.Message+"), so these are the densest cells, a ranking without any test of significance.", -1)
	}
	return nil, err
}

func giStarHotspots(res *HotspotResult) *lagesbild.Hotspots {
	h := &lagesbild.Hotspots{Method: lagesbild.HotspotsGiStar, CellM: res.Grid.Size, FDR: res.Summary.FDR,
		Neighbours: res.Summary.Neighbours, Reports: res.Summary.Reports, StudyCells: len(res.Cells), Cells: []lagesbild.Cell{}}
	var hot []HotspotCell
	for _, c := range res.Cells {
		if c.Bin > 0 {
			hot = append(hot, c)
		}
	}
	h.SignificantHotCells = len(hot)
	sort.Slice(hot, func(a, b int) bool {
		if hot[a].Bin != hot[b].Bin {
			return hot[a].Bin > hot[b].Bin
		}
		if hot[a].Count != hot[b].Count {
			return hot[a].Count > hot[b].Count
		}
		if hot[a].Z != hot[b].Z {
			return hot[a].Z > hot[b].Z
		}
		return hot[a].I < hot[b].I || hot[a].I == hot[b].I && hot[a].J < hot[b].J
	})
	for _, c := range hot[:min(len(hot), lagesbild.MaxHotspotCells)] {
		ctr := res.Grid.Center(hotspotIndex(c))
		lon, lat := swerefToWGS84(ctr.X, ctr.Y)
		z, p, pa := c.Z, c.P, c.PAdjusted
		h.Cells = append(h.Cells, lagesbild.Cell{X: ctr.X, Y: ctr.Y, Lon: lon, Lat: lat, Count: int(c.Count), Z: &z, P: &p, PAdjusted: &pa, Bin: int(c.Bin)})
	}
	return h
}

func (s *Server) densestHotspots(ctx context.Context, r lagesbild.Request, note string, reports int) (*lagesbild.Hotspots, error) {
	cells, err := s.db.LagesbildDensestCells(ctx, r, lagesbild.MaxHotspotCells)
	if err != nil {
		return nil, err
	}
	if cells == nil {
		cells = []lagesbild.Cell{}
	}
	return &lagesbild.Hotspots{Method: lagesbild.HotspotsDensest, CellM: lagesbildHotspotCell, Reports: reports, Note: note, Cells: cells}, nil
}
