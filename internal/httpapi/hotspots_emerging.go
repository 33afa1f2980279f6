package httpapi

import (
	"context"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/hotspot"
	"github.com/trygg/trygg/internal/postgres"
)

// EmergingResult is an emerging hot spot analysis as cached and drawn.
type EmergingResult struct {
	Grid    hotspot.Grid
	Cells   []hotspot.EmergingCell
	Summary EmergingSummary
}

// EmergingSummary describes the space-time cube and the patterns found.
type EmergingSummary struct {
	Cells          int            `json:"cells"`
	Reports        int            `json:"reports"`
	Municipalities []string       `json:"municipalities"`
	Kind           string         `json:"kind,omitempty"`
	Category       string         `json:"category,omitempty"`
	Step           string         `json:"step"`
	Steps          []string       `json:"steps"` // local start date of each step, oldest first
	Shape          hotspot.Shape  `json:"shape"`
	CellM          float64        `json:"cell_m"`
	Neighbours     string         `json:"neighbours"`
	PreviousSteps  int            `json:"previous_steps"`
	FDR            bool           `json:"fdr"`
	TrendAlpha     float64        `json:"trend_alpha"`
	Patterns       map[string]int `json:"patterns"`
	Optimized      *OptimizedInfo `json:"optimized,omitempty"`
	DataVersion    string         `json:"data_version"`
}

// emergingPreviousSteps is ArcGIS's default "Neighborhood Time Step".
const emergingPreviousSteps = 1

func (h *hotspotAPI) emerging(c *gin.Context) {
	p, ok := principal(c, hotspotReaders)
	if !ok {
		return
	}
	q, err := parseHotspotQuery(c.Request.URL.Query())
	if err != nil {
		fail(c, err)
		return
	}
	var t hotspotTimings
	res, etag, err := h.emergingResult(c.Request.Context(), p, q, &t)
	if err != nil {
		fail(c, err)
		return
	}
	if notModified(c, etag) {
		return
	}
	h.writeGeoJSON(c, &t, etag, res.Grid, len(res.Cells), res.Summary, res.appendProperties)
}

func (h *hotspotAPI) emergingResult(ctx context.Context, p auth.Principal, q HotspotQuery, t *hotspotTimings) (*EmergingResult, string, error) {
	if q.Method != "gistar" {
		return nil, "", apperr.Field("method", "emerging hot spots use Gi*; leave method out")
	}
	area, err := h.studyArea(ctx, p, q)
	if err != nil {
		return nil, "", err
	}
	// The steps end with the one holding "to". Without "to" they end with
	// the current step, whole: the key then stays the same until the step
	// ends (new reports change the data version, not the key).
	var starts []time.Time
	if q.To.IsZero() {
		starts = stepStarts(h.s.now(), q.Step, q.Steps)
		q.To = nextStep(starts[len(starts)-1], q.Step)
	} else {
		starts = stepStarts(q.To.Add(-time.Nanosecond), q.Step, q.Steps)
	}
	q.From = starts[0]
	key, err := h.cacheKey(ctx, "emerging", q, area, t)
	if err != nil {
		return nil, "", err
	}
	if !q.NoCache {
		if v, ok := h.cache.get(key); ok {
			t.cached = true
			return v.(*EmergingResult), etagOf(key), nil
		}
	}
	res, err := h.computeEmerging(ctx, q, area, starts, t)
	if err != nil {
		return nil, "", err
	}
	res.Summary.DataVersion = versionOf(key)
	h.cache.put(key, res, len(res.Cells)*q.Steps)
	return res, etagOf(key), nil
}

func (h *hotspotAPI) computeEmerging(ctx context.Context, q HotspotQuery, area postgres.HotspotArea, starts []time.Time, t *hotspotTimings) (*EmergingResult, error) {
	f := postgres.HotspotFilter{Municipalities: area.Municipalities, Kind: q.Kind, Category: q.Category, From: q.From, To: q.To}
	if !area.Whole {
		f.Box = area.Box
	}
	res := &EmergingResult{Grid: hotspot.Grid{Size: q.Cell, Shape: q.Shape}}
	nb := q.Neighbours
	var cells []hotspot.Index
	if q.Cell == 0 { // optimized: choose the grid on all reports of the period
		stop := t.start(&t.sql)
		pts, err := h.s.db.HotspotPoints(ctx, f)
		stop()
		if err != nil {
			return nil, err
		}
		defer t.start(&t.compute)()
		opt, counted, err := hotspot.Optimize(pts, area.StudyArea, hotspot.OptimizeOptions{Shape: q.Shape, MaxCells: maxEmergingBins / q.Steps})
		if err != nil {
			return nil, err
		}
		res.Grid = opt.Grid
		if nb.Rule == "" {
			nb = opt.Neighbourhood
		}
		for _, c := range counted {
			cells = append(cells, hotspot.Index{I: c.I, J: c.J})
		}
		res.Summary.Optimized = &OptimizedInfo{CellM: opt.Grid.Size, Neighbours: neighboursName(opt.Neighbourhood),
			MeanNearestNeighbourM: opt.MeanNearestNeighbour, Locations: opt.Locations, Peak: opt.Peak, Reason: opt.Reason}
	} else {
		var err error
		if cells, err = studyCells(res.Grid, area); err != nil {
			return nil, err
		}
	}
	if len(cells)*q.Steps > maxEmergingBins {
		return nil, apperr.Field("cell", "the space-time cube would hold %d bins, more than %d; use a larger cell or fewer steps", len(cells)*q.Steps, maxEmergingBins)
	}
	if !area.Whole {
		f.Box = grow(area.Box, 2*res.Grid.Size)
	}
	stop := t.start(&t.sql)
	counts, err := h.s.db.HotspotSeries(ctx, f, res.Grid, q.Step)
	stop()
	if err != nil {
		return nil, err
	}
	defer t.start(&t.compute)()
	step := make(map[string]int, len(starts))
	res.Summary.Steps = make([]string, len(starts))
	for k, s := range starts {
		step[s.Format(time.DateOnly)] = k
		res.Summary.Steps[k] = s.Format(time.DateOnly)
	}
	pos := make(map[hotspot.Index]int, len(cells))
	series := make([]hotspot.SeriesCell, len(cells))
	for k, c := range cells {
		pos[c] = k
		series[k] = hotspot.SeriesCell{I: c.I, J: c.J, Counts: make([]int, len(starts))}
	}
	for _, sc := range counts {
		k, inArea := pos[sc.Cell]
		s, inPeriod := step[sc.Step.Format(time.DateOnly)] // SQL gives the local wall-clock start
		if inArea && inPeriod {
			series[k].Counts[s] += sc.Count
		}
	}
	r, err := hotspot.Emerging(series, res.Grid, hotspot.EmergingOptions{Neighbourhood: nb, PreviousSteps: emergingPreviousSteps, FDR: q.FDR})
	if err != nil {
		return nil, err
	}
	res.Cells = r.Cells
	sum := &res.Summary
	sum.Cells, sum.Reports, sum.Municipalities = len(r.Cells), r.Summary.Points, area.Municipalities
	sum.Kind, sum.Category, sum.Step, sum.Shape, sum.CellM = q.Kind, q.Category, q.Step, res.Grid.Shape, res.Grid.Size
	sum.Neighbours, sum.PreviousSteps, sum.FDR, sum.TrendAlpha = neighboursName(r.Summary.Neighbourhood), r.Summary.PreviousSteps, r.Summary.FDR, r.Summary.TrendAlpha
	sum.Patterns = make(map[string]int, len(r.Summary.Patterns))
	for pat, n := range r.Summary.Patterns {
		sum.Patterns[string(pat)] = n
	}
	return res, nil
}

// stepStarts returns the local start of each of n calendar steps (weeks from
// Monday, months from the 1st), the last one holding t, oldest first.
func stepStarts(t time.Time, step string, n int) []time.Time {
	l := t.In(stockholm)
	var last time.Time
	if step == "week" {
		back := (int(l.Weekday()) + 6) % 7 // days since Monday
		last = time.Date(l.Year(), l.Month(), l.Day()-back, 0, 0, 0, 0, stockholm)
	} else {
		last = time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, stockholm)
	}
	out := make([]time.Time, n)
	for k := range out {
		back := n - 1 - k
		if step == "week" {
			out[k] = last.AddDate(0, 0, -7*back)
		} else {
			out[k] = last.AddDate(0, -back, 0)
		}
	}
	return out
}

// nextStep is the start of the step after the one starting at t.
func nextStep(t time.Time, step string) time.Time {
	if step == "week" {
		return t.AddDate(0, 0, 7)
	}
	return t.AddDate(0, 1, 0)
}

// appendProperties writes one emerging cell's properties.
func (res *EmergingResult) appendProperties(b []byte, k int) (hotspot.Index, []byte) {
	c := &res.Cells[k]
	b = appendCellID(b, int32(c.I), int32(c.J))
	b = append(b, `,"count":`...)
	b = strconv.AppendInt(b, int64(c.Points), 10)
	b = append(b, `,"pattern":"`...)
	b = append(b, c.Pattern...)
	b = append(b, `","trend_z":`...)
	b = appendNumber(b, c.Trend.Z)
	b = append(b, `,"trend_p":`...)
	b = appendNumber(b, c.Trend.P)
	b = append(b, `,"bins":[`...)
	for s, bin := range c.Bins {
		if s > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(bin), 10)
	}
	return hotspot.Index{I: c.I, J: c.J}, append(b, ']')
}
