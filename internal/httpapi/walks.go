package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/paulmach/orb"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/walk"
)

// walkAPI serves trygghetsvandringar: planning routes and recording walks.
// It keeps the municipalities' walking graphs in memory.
type walkAPI struct {
	s      *Server
	graphs *walk.GraphCache
}

func newWalkAPI(s *Server) *walkAPI {
	return &walkAPI{s: s, graphs: walk.NewGraphCache(s.db)}
}

// walkBodyLimit lets a walk be created from a whole plan: with a couple of
// hundred candidates left out and the route's points, a plan passes the
// general 64 KiB body limit.
const walkBodyLimit = 1 << 20

func (a *walkAPI) routes(r *gin.Engine) {
	g := r.Group("/v1/walks", a.s.authenticate, limitBody(max(a.s.cfg.BodyLimit, walkBodyLimit)), a.s.validate)
	g.POST("/plan", a.plan)
	g.POST("", a.create)
	g.GET("", a.list)
	g.GET("/:id", a.get)
	g.PATCH("/:id", a.patch)
	g.POST("/:id/observations", a.observe)
	g.POST("/:id/measures", a.addMeasure)
	g.PATCH("/:id/measures/:mid", a.patchMeasure)
	g.GET("/:id/report", a.protocol)
	g.GET("/:id/route.gpx", a.routeGPX)
	// A photo is far larger than the walk's JSON: its own group and limit.
	photos := r.Group("/v1/walks", a.s.authenticate, limitBody(a.s.cfg.PhotoLimit+multipartOverhead), a.s.validate)
	photos.POST("/:id/observations/:oid/photos", a.observationPhoto)
}

// decodeStrict reads one JSON object, refusing unknown fields.
func decodeStrict(c *gin.Context, v any) error {
	body, err := readBody(c)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return apperr.Errorf(apperr.Invalid, "request body is empty; send a JSON object")
		}
		if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			f = strings.Trim(f, `"`)
			return apperr.Field(f, "unknown field %q", f)
		}
		return apperr.Errorf(apperr.Invalid, "request body is not valid JSON: %v", err)
	}
	return nil
}

// walkOf loads a walk the caller may see; one outside the token's
// municipalities is 404, as if it did not exist.
func (a *walkAPI) walkOf(c *gin.Context) (walk.Record, auth.Principal, bool) {
	p, ok := principal(c, auth.PlanWalks)
	if !ok {
		return walk.Record{}, p, false
	}
	id, ok := parseID(c, "id")
	if !ok {
		return walk.Record{}, p, false
	}
	r, err := a.s.db.Walk(c.Request.Context(), id)
	if err == nil && !p.Covers(r.Municipality) {
		err = apperr.Errorf(apperr.NotFound, "no walk with that id")
	}
	if err != nil {
		fail(c, err)
		return r, p, false
	}
	return r, p, true
}

func (a *walkAPI) create(c *gin.Context) {
	p, ok := principal(c, auth.PlanWalks)
	if !ok {
		return
	}
	var n walk.NewRecord
	if err := decodeStrict(c, &n); err != nil {
		fail(c, err)
		return
	}
	if err := fromPlan(&n); err != nil {
		fail(c, err)
		return
	}
	if err := n.Validate(); err != nil {
		fail(c, err)
		return
	}
	if err := p.RequireMunicipality(n.Municipality); err != nil {
		fail(c, err)
		return
	}
	r := walk.Record{
		ID: uuid.New(), Municipality: n.Municipality, AreaID: n.AreaID, Title: n.Title, StartsAt: n.StartsAt,
		Organiser: n.Organiser, Partners: n.Partners, Participants: n.Participants, Status: walk.Planned,
		Plan: n.Plan, Stops: n.Stops, CreatedBy: p.Actor(),
	}
	if r.Stops == nil {
		r.Stops = []walk.RecordStop{}
	}
	route := make([]orb.Point, len(n.Route))
	for i, q := range n.Route {
		route[i] = q.Orb()
	}
	if err := a.s.db.CreateWalk(c.Request.Context(), &r, route); err != nil {
		fail(c, err)
		return
	}
	c.Header("Location", "/v1/walks/"+r.ID.String())
	c.JSON(http.StatusCreated, r)
}

// fromPlan fills a new walk's route and stops from the plan it was made
// from (the body POST /v1/walks/plan answered), unless they were given.
func fromPlan(n *walk.NewRecord) error {
	if len(n.Plan) == 0 || len(n.Route) > 0 || len(n.Stops) > 0 {
		return nil
	}
	var pl planResponse
	if err := json.Unmarshal(n.Plan, &pl); err != nil {
		return apperr.Field("plan", "plan must be the answer of POST /v1/walks/plan")
	}
	if n.Municipality == "" {
		n.Municipality = pl.Municipality
	}
	for _, q := range pl.Route.Coordinates {
		if len(q) >= 2 {
			n.Route = append(n.Route, walk.LatLon{Lat: q[1], Lon: q[0]})
		}
	}
	for _, s := range pl.Stops {
		n.Stops = append(n.Stops, walk.RecordStop{Name: s.Name, Reason: s.Reason, Kind: s.Kind, Point: s.Point})
	}
	return nil
}

func (a *walkAPI) list(c *gin.Context) {
	p, ok := principal(c, auth.PlanWalks)
	if !ok {
		return
	}
	code := c.Query("municipality")
	if code == "" && len(p.Municipalities) == 1 {
		code = p.Municipalities[0]
	}
	if code == "" {
		fail(c, apperr.Field("municipality", "municipality is required when the token covers several"))
		return
	}
	if err := p.RequireMunicipality(code); err != nil {
		fail(c, err)
		return
	}
	walks, err := a.s.db.Walks(c.Request.Context(), code)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"walks": walks})
}

func (a *walkAPI) get(c *gin.Context) {
	if r, _, ok := a.walkOf(c); ok {
		c.JSON(http.StatusOK, r)
	}
}

func (a *walkAPI) patch(c *gin.Context) {
	r, _, ok := a.walkOf(c)
	if !ok {
		return
	}
	var patch walk.RecordPatch
	if err := decodeStrict(c, &patch); err != nil {
		fail(c, err)
		return
	}
	r, err := a.s.db.UpdateWalk(c.Request.Context(), r.ID, func(r *walk.Record) error { return patch.Apply(r) })
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}
