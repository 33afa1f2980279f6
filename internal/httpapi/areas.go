package httpapi

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/twpayne/go-geom/encoding/geojson"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/area"
	"github.com/trygg/trygg/internal/auth"
)

// areaFeature is an area as a GeoJSON Feature (the map layer and the list).
func areaFeature(a area.Area) (*geojson.Feature, error) {
	return &geojson.Feature{
		ID:       a.ID.String(),
		Geometry: a.Geometry,
		Properties: map[string]any{
			"id": a.ID, "municipality": a.Municipality, "kind": a.Kind, "name": a.Name, "priority": a.Priority,
		},
	}, nil
}

func writeAreas(c *gin.Context, areas []area.Area) {
	fc := geojson.FeatureCollection{Features: make([]*geojson.Feature, 0, len(areas))}
	for _, a := range areas {
		f, _ := areaFeature(a)
		fc.Features = append(fc.Features, f)
	}
	b, err := json.Marshal(&fc)
	if err != nil {
		fail(c, err)
		return
	}
	c.Data(http.StatusOK, "application/geo+json", b)
}

// municipalitiesParam returns the municipality asked for (checked against the
// token) or, when none is asked for, all the token covers.
func municipalitiesParam(c *gin.Context, p auth.Principal) ([]string, bool) {
	m := c.Query("municipality")
	if m == "" {
		return p.Municipalities, true
	}
	if err := p.RequireMunicipality(m); err != nil {
		fail(c, err)
		return nil, false
	}
	return []string{m}, true
}

func (s *Server) listAreas(c *gin.Context) {
	p, ok := principal(c, auth.ReadAnalytics)
	if !ok {
		return
	}
	munis, ok := municipalitiesParam(c, p)
	if !ok {
		return
	}
	areas, err := s.db.Areas(c.Request.Context(), area.Filter{Municipalities: munis, Kind: area.Kind(c.Query("kind")), PriorityOnly: c.Query("priority") == "true"})
	if err != nil {
		fail(c, err)
		return
	}
	writeAreas(c, areas)
}

// publicAreas is the same layer for anyone: names and polygons are not personal.
func (s *Server) publicAreas(c *gin.Context) {
	areas, err := s.db.Areas(c.Request.Context(), area.Filter{Municipalities: []string{c.Query("municipality")}})
	if err != nil {
		fail(c, err)
		return
	}
	writeAreas(c, areas)
}

type areaInput struct {
	Municipality string          `json:"municipality"`
	Kind         string          `json:"kind"`
	Name         string          `json:"name"`
	Priority     *bool           `json:"priority"`
	Geometry     json.RawMessage `json:"geometry"`
}

func (s *Server) createArea(c *gin.Context) {
	p, ok := principal(c, auth.ManagePromises)
	if !ok {
		return
	}
	var in areaInput
	if err := c.ShouldBindJSON(&in); err != nil {
		fail(c, apperr.Errorf(apperr.Invalid, "body: %v", err))
		return
	}
	if err := p.RequireMunicipality(in.Municipality); err != nil {
		fail(c, err)
		return
	}
	kind, err := area.ParseKind(in.Kind)
	if err != nil {
		fail(c, err)
		return
	}
	mp, err := area.MultiPolygonFromGeoJSON(in.Geometry)
	if err != nil {
		fail(c, apperr.Field("geometry", "%v", err))
		return
	}
	a := area.Area{Municipality: in.Municipality, Kind: kind, Name: in.Name, Priority: in.Priority != nil && *in.Priority, Geometry: mp}
	if err := a.Validate(); err != nil {
		fail(c, err)
		return
	}
	out, err := s.db.CreateArea(c.Request.Context(), a)
	if err != nil {
		fail(c, err)
		return
	}
	f, _ := areaFeature(out)
	c.JSON(http.StatusCreated, f)
}

// importAreas takes a GeoJSON FeatureCollection; every feature is stored or none.
func (s *Server) importAreas(c *gin.Context) {
	p, ok := principal(c, auth.ManagePromises)
	if !ok {
		return
	}
	muni := c.Query("municipality")
	if err := p.RequireMunicipality(muni); err != nil {
		fail(c, err)
		return
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		fail(c, apperr.Errorf(apperr.TooLarge, "body too large"))
		return
	}
	var prio []string
	if s := c.Query("priority"); s != "" {
		prio = strings.Split(s, ",")
	}
	areas, err := area.ParseGeoJSON(body, area.ImportOptions{Municipality: muni, Kind: area.Kind(c.Query("kind")), NameProperty: c.Query("name_property"), PriorityNames: prio})
	if err != nil {
		fail(c, err)
		return
	}
	created, updated, err := s.db.ImportAreas(c.Request.Context(), areas)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"created": created, "updated": updated})
}

// scopedArea loads an area and checks the caller's token covers its municipality.
func (s *Server) scopedArea(c *gin.Context, perm auth.Permission) (area.Area, bool) {
	p, ok := principal(c, perm)
	if !ok {
		return area.Area{}, false
	}
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		fail(c, apperr.Field("id", "not a uuid"))
		return area.Area{}, false
	}
	a, err := s.db.Area(c.Request.Context(), id)
	if err == nil && !p.Covers(a.Municipality) {
		err = apperr.Errorf(apperr.NotFound, "no area %s", id)
	}
	if err != nil {
		fail(c, err)
		return a, false
	}
	return a, true
}

func (s *Server) getArea(c *gin.Context) {
	if a, ok := s.scopedArea(c, auth.ReadAnalytics); ok {
		f, _ := areaFeature(a)
		c.JSON(http.StatusOK, f)
	}
}

func (s *Server) updateArea(c *gin.Context) {
	a, ok := s.scopedArea(c, auth.ManagePromises)
	if !ok {
		return
	}
	var in areaInput
	if err := c.ShouldBindJSON(&in); err != nil {
		fail(c, apperr.Errorf(apperr.Invalid, "body: %v", err))
		return
	}
	if in.Kind != "" {
		k, err := area.ParseKind(in.Kind)
		if err != nil {
			fail(c, err)
			return
		}
		a.Kind = k
	}
	if in.Name != "" {
		a.Name = in.Name
	}
	if in.Priority != nil {
		a.Priority = *in.Priority
	}
	a.Geometry = nil
	if len(in.Geometry) > 0 {
		mp, err := area.MultiPolygonFromGeoJSON(in.Geometry)
		if err != nil {
			fail(c, apperr.Field("geometry", "%v", err))
			return
		}
		a.Geometry = mp
	}
	out, err := s.db.UpdateArea(c.Request.Context(), a)
	if err != nil {
		fail(c, err)
		return
	}
	f, _ := areaFeature(out)
	c.JSON(http.StatusOK, f)
}

func (s *Server) deleteArea(c *gin.Context) {
	a, ok := s.scopedArea(c, auth.ManagePromises)
	if !ok {
		return
	}
	if err := s.db.DeleteArea(c.Request.Context(), a.ID); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
