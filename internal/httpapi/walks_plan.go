package httpapi

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/paulmach/orb"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/postgres"
	"github.com/trygg/trygg/internal/walk"
)

// planRequest is the body of POST /v1/walks/plan.
type planRequest struct {
	Municipality    string       `json:"municipality"`
	Start           walk.LatLon  `json:"start"`
	End             *walk.LatLon `json:"end,omitempty"`
	MaxLengthM      float64      `json:"max_length_m,omitempty"`
	DurationMin     float64      `json:"duration_min,omitempty"`
	WalkingSpeedKmh float64      `json:"walking_speed_kmh,omitempty"`
	MinutesPerStop  *float64     `json:"minutes_per_stop,omitempty"`
	Focus           struct {
		Kinds      []string `json:"kinds,omitempty"`
		Categories []string `json:"categories,omitempty"`
	} `json:"focus"`
	Period *struct {
		From time.Time `json:"from"`
		To   time.Time `json:"to"`
	} `json:"period,omitempty"`
	MustVisit []struct {
		Lat  float64 `json:"lat"`
		Lon  float64 `json:"lon"`
		Name string  `json:"name,omitempty"`
	} `json:"must_visit,omitempty"`
	AvoidUnlit      bool   `json:"avoid_unlit,omitempty"`
	Area            string `json:"area,omitempty"`
	RevisitMeasures *bool  `json:"revisit_measures,omitempty"`
}

// Planning defaults: a group walks about 3.6 km/h and spends five minutes at
// a stop; a plan looks at a year of reports unless told otherwise.
const (
	defaultStopMinutes = 5.0
	defaultPeriod      = 365 * 24 * time.Hour
	// maxReachMetres caps the study area so a very long budget cannot ask
	// for an unbounded number of cells.
	maxReachMetres = 10000.0
)

type planStop struct {
	Seq        int         `json:"seq"`
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	Kind       walk.Kind   `json:"kind"`
	Reason     string      `json:"reason"`
	Score      float64     `json:"score"`
	MustVisit  bool        `json:"must_visit"`
	Point      walk.LatLon `json:"point"`
	Street     walk.LatLon `json:"street_point"`
	DistanceM  float64     `json:"distance_m"`
	ArrivalMin float64     `json:"arrival_min"`
}

type leftOut struct {
	ID     string      `json:"id"`
	Name   string      `json:"name"`
	Kind   walk.Kind   `json:"kind"`
	Reason string      `json:"reason"`
	Score  float64     `json:"score"`
	Point  walk.LatLon `json:"point"`
	Why    string      `json:"why"`
}

type planResponse struct {
	Municipality string       `json:"municipality"`
	Start        walk.LatLon  `json:"start"`
	End          walk.LatLon  `json:"end"`
	Stops        []planStop   `json:"stops"`
	Route        lineGeometry `json:"route"`
	LengthM      float64      `json:"length_m"`
	DurationMin  float64      `json:"duration_min"`
	Score        float64      `json:"score"`
	Candidates   int          `json:"candidates"`
	LeftOut      []leftOut    `json:"left_out"`
}

// lineGeometry is a GeoJSON LineString.
type lineGeometry struct {
	Type        string       `json:"type"`
	Coordinates [][2]float64 `json:"coordinates"`
}

func latLon(p orb.Point) walk.LatLon { return walk.LatLon{Lat: p[1], Lon: p[0]} }

func (a *walkAPI) plan(c *gin.Context) {
	p, ok := principal(c, auth.PlanWalks)
	if !ok {
		return
	}
	var req planRequest
	if err := decodeStrict(c, &req); err != nil {
		fail(c, err)
		return
	}
	if err := p.RequireMunicipality(req.Municipality); err != nil {
		fail(c, err)
		return
	}
	prob, cands, err := a.problem(c, req)
	if err != nil {
		fail(c, err)
		return
	}
	ctx := c.Request.Context()
	g, err := a.graphs.Graph(ctx, req.Municipality)
	if err != nil {
		fail(c, err)
		return
	}
	prob.Candidates = cands
	route, err := walk.Plan(ctx, g, prob)
	if err != nil {
		fail(c, err)
		return
	}
	if wantsGPX(c) {
		var buf bytes.Buffer
		meta := walk.GPXMeta{Name: "Trygghetsvandring " + req.Municipality, Time: a.s.now()}
		if err := walk.WriteGPX(&buf, route, meta); err != nil {
			fail(c, err)
			return
		}
		c.Data(http.StatusOK, "application/gpx+xml", buf.Bytes())
		return
	}
	if c.Query("format") == "geojson" || strings.Contains(c.GetHeader("Accept"), "application/geo+json") {
		var buf bytes.Buffer
		if err := walk.WriteGeoJSON(&buf, route); err != nil {
			fail(c, err)
			return
		}
		c.Data(http.StatusOK, "application/geo+json", buf.Bytes())
		return
	}
	c.JSON(http.StatusOK, planAnswer(req.Municipality, route, len(cands)))
}

// wantsGPX: ?format=gpx or an Accept header that asks for GPX.
func wantsGPX(c *gin.Context) bool {
	return c.Query("format") == "gpx" || strings.Contains(c.GetHeader("Accept"), "application/gpx+xml")
}

// problem turns the request into a walk.Problem and gathers the candidates
// from the data: hotspot cells, clusters, open measures and the planner's own
// places.
func (a *walkAPI) problem(c *gin.Context, req planRequest) (walk.Problem, []walk.Candidate, error) {
	prob := walk.Problem{
		Start: req.Start.Orb(), BudgetMetres: req.MaxLengthM, BudgetMinutes: req.DurationMin,
		StopMinutes: defaultStopMinutes, AvoidUnlit: req.AvoidUnlit,
	}
	if req.End != nil {
		e := req.End.Orb()
		prob.End = &e
	}
	if req.MinutesPerStop != nil {
		prob.StopMinutes = *req.MinutesPerStop
	}
	prob.Speed = walk.DefaultSpeed
	if req.WalkingSpeedKmh > 0 {
		prob.Speed = req.WalkingSpeedKmh / 3.6
	}
	if req.MaxLengthM <= 0 && req.DurationMin <= 0 {
		return prob, nil, apperr.Field("max_length_m", "give max_length_m or duration_min")
	}
	to := a.s.now()
	from := to.Add(-defaultPeriod)
	if req.Period != nil {
		from, to = req.Period.From, req.Period.To
		if !from.Before(to) {
			return prob, nil, apperr.Field("period", "period.from must be before period.to")
		}
	}
	// The farthest a walk within budget gets from its start: half the
	// length on a round walk, all of it on a walk to somewhere else.
	reach := req.MaxLengthM
	if req.DurationMin > 0 {
		byTime := req.DurationMin * 60 * prob.Speed
		if reach <= 0 || byTime < reach {
			reach = byTime
		}
	}
	if req.End == nil {
		reach /= 2
	}
	q := postgres.CandidateQuery{
		Municipality: req.Municipality, Lon: req.Start.Lon, Lat: req.Start.Lat, Radius: min(reach, maxReachMetres),
		From: from, To: to, Kinds: req.Focus.Kinds, Categories: req.Focus.Categories, AreaID: req.Area,
	}
	ctx := c.Request.Context()
	cells, counts, err := a.s.db.HotspotInput(ctx, q)
	if err != nil {
		return prob, nil, err
	}
	places, err := walk.HotspotPlaces(cells, counts)
	if err != nil {
		return prob, nil, err
	}
	var hot, clusters, measures, manual []walk.Candidate
	for _, pl := range places {
		hot = append(hot, walk.HotspotCandidate(pl))
	}
	cl, err := a.s.db.ReportClusters(ctx, q)
	if err != nil {
		return prob, nil, err
	}
	for _, pl := range cl {
		clusters = append(clusters, walk.ClusterCandidate(pl))
	}
	if req.RevisitMeasures == nil || *req.RevisitMeasures {
		open, err := a.s.db.OpenMeasures(ctx, req.Municipality, req.Start.Lon, req.Start.Lat, q.Radius)
		if err != nil {
			return prob, nil, err
		}
		for _, m := range open {
			measures = append(measures, walk.MeasureCandidate(m))
		}
	}
	for i, m := range req.MustVisit {
		manual = append(manual, walk.ManualCandidate("place-"+strconv.Itoa(i+1), m.Name, orb.Point{m.Lon, m.Lat}))
	}
	return prob, walk.MergeCandidates(hot, clusters, measures, manual), nil
}

func planAnswer(municipality string, r walk.Route, candidates int) planResponse {
	out := planResponse{
		Municipality: municipality, Start: latLon(r.Start), End: latLon(r.End),
		Stops: []planStop{}, LeftOut: []leftOut{}, Candidates: candidates,
		Route:       lineGeometry{Type: "LineString", Coordinates: make([][2]float64, len(r.Line))},
		LengthM:     r.LengthMetres,
		DurationMin: r.Duration.Minutes(),
		Score:       r.Score,
	}
	for i, q := range r.Line {
		out.Route.Coordinates[i] = [2]float64{q[0], q[1]}
	}
	for i, s := range r.Stops {
		out.Stops = append(out.Stops, planStop{
			Seq: i + 1, ID: s.Candidate.ID, Name: s.Candidate.Label(), Kind: s.Candidate.Kind,
			Reason: s.Candidate.Reason, Score: s.Candidate.Score, MustVisit: s.Candidate.MustVisit,
			Point: latLon(s.Candidate.Point), Street: latLon(s.Point), DistanceM: s.DistanceMetres,
			ArrivalMin: s.Arrival.Minutes(),
		})
	}
	for _, s := range r.Skipped {
		out.LeftOut = append(out.LeftOut, leftOut{
			ID: s.Candidate.ID, Name: s.Candidate.Label(), Kind: s.Candidate.Kind, Reason: s.Candidate.Reason,
			Score: s.Candidate.Score, Point: latLon(s.Candidate.Point), Why: s.Reason,
		})
	}
	return out
}
