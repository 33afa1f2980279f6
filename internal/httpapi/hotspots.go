package httpapi

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/postgres"
)

// hotspotReaders are the roles of issue 6: those who build the lägesbild and
// plan walks. Caseworkers triage single reports and do not need the maps.
var hotspotReaders = auth.Permission{auth.Analyst, auth.Planner, auth.Police, auth.Admin}

// hotspotCacheCells bounds the result cache: about 50 bytes a cell, so some
// 100 MB at most, or ten whole municipalities at 100 m.
const hotspotCacheCells = 1_500_000

// hotspotAPI serves hotspot analyses. Results are cached per server.
type hotspotAPI struct {
	s     *Server
	cache *hotspotCache
	// Municipality boundaries come from a migration and do not change while
	// the server runs, so their prepared polygons are kept.
	municipalities sync.Map // code → postgres.HotspotArea
}

// hotspotAPIs finds a server's hotspot API for HotspotLayer without a field
// on Server, which other features share.
var hotspotAPIs sync.Map // *Server → *hotspotAPI

// hotspotRoutes registers /v1/hotspots.
func (s *Server) hotspotRoutes(r *gin.Engine) {
	h := &hotspotAPI{s: s, cache: newHotspotCache(hotspotCacheCells)}
	hotspotAPIs.Store(s, h)
	g := r.Group("/v1/hotspots", s.authenticate, s.validate)
	g.GET("", h.query)
	g.GET("/emerging", h.emerging)
}

// HotspotLayer returns the Gi* or kernel density result for the query string
// params (the parameters of GET /v1/hotspots), from the cache when the data
// have not changed — for map layers such as hotspot vector tiles. The caller
// has authenticated p; scope and role are checked here.
func (s *Server) HotspotLayer(ctx context.Context, p auth.Principal, params url.Values) (*HotspotResult, error) {
	v, ok := hotspotAPIs.Load(s)
	if !ok {
		return nil, apperr.Errorf(apperr.Internal, "hotspot routes are not registered")
	}
	if err := p.Require(hotspotReaders); err != nil {
		return nil, err
	}
	q, err := parseHotspotQuery(params)
	if err != nil {
		return nil, err
	}
	res, _, err := v.(*hotspotAPI).result(ctx, p, q, &hotspotTimings{})
	return res, err
}

func (h *hotspotAPI) query(c *gin.Context) {
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
	res, etag, err := h.result(c.Request.Context(), p, q, &t)
	if err != nil {
		fail(c, err)
		return
	}
	if notModified(c, etag) {
		return
	}
	h.writeGeoJSON(c, &t, etag, res.Grid, len(res.Cells), res.Summary, res.appendProperties)
}

// result answers from the cache or computes, and returns the ETag of the
// answer (parameters and data version).
func (h *hotspotAPI) result(ctx context.Context, p auth.Principal, q HotspotQuery, t *hotspotTimings) (*HotspotResult, string, error) {
	area, err := h.studyArea(ctx, p, q)
	if err != nil {
		return nil, "", err
	}
	key, err := h.cacheKey(ctx, "hotspots", q, area, t)
	if err != nil {
		return nil, "", err
	}
	if !q.NoCache {
		if v, ok := h.cache.get(key); ok {
			t.cached = true
			return v.(*HotspotResult), etagOf(key), nil
		}
	}
	res, err := h.compute(ctx, q, area, t)
	if err != nil {
		return nil, "", err
	}
	res.Summary.DataVersion = versionOf(key)
	h.cache.put(key, res, len(res.Cells))
	return res, etagOf(key), nil
}

// cacheKey is the normalised query, the municipalities whose reports count
// and their data version: a new or changed report there changes the key.
func (h *hotspotAPI) cacheKey(ctx context.Context, kind string, q HotspotQuery, area postgres.HotspotArea, t *hotspotTimings) (string, error) {
	stop := t.start(&t.version)
	v, err := h.s.db.HotspotDataVersion(ctx, area, 2*q.Cell) // reports up to a cell outside can count
	stop()
	if err != nil {
		return "", err
	}
	return q.key(kind) + "|" + strings.Join(area.Municipalities, ",") + "|v=" + v, nil
}

// versionOf is the data version at the end of a cache key.
func versionOf(key string) string { return key[strings.LastIndex(key, "|v=")+3:] }

// studyArea resolves the study area and checks the token may see it.
func (h *hotspotAPI) studyArea(ctx context.Context, p auth.Principal, q HotspotQuery) (postgres.HotspotArea, error) {
	switch {
	case q.Area != uuid.Nil:
		a, err := h.s.db.NamedStudyArea(ctx, q.Area)
		if err != nil {
			return a, err
		}
		return a, p.RequireMunicipality(a.Municipalities[0])
	case q.BBox != nil:
		return h.s.db.BBoxStudyArea(ctx, q.BBox[0], q.BBox[1], q.BBox[2], q.BBox[3], p.Municipalities)
	}
	code := q.Municipality
	if code == "" {
		if len(p.Municipalities) != 1 {
			return postgres.HotspotArea{}, apperr.Errorf(apperr.Invalid, "give a study area: municipality, area or bbox (this token covers %d municipalities)", len(p.Municipalities))
		}
		code = p.Municipalities[0]
	}
	if err := p.RequireMunicipality(code); err != nil {
		return postgres.HotspotArea{}, err
	}
	if a, ok := h.municipalities.Load(code); ok {
		return a.(postgres.HotspotArea), nil
	}
	a, err := h.s.db.MunicipalityStudyArea(ctx, code)
	if err != nil {
		return a, err
	}
	h.municipalities.Store(code, a)
	return a, nil
}

// notModified answers 304 when the client holds the current result.
func notModified(c *gin.Context, etag string) bool {
	c.Header("ETag", etag)
	c.Header("Cache-Control", "private, no-cache")
	if inm := c.GetHeader("If-None-Match"); inm != "" && strings.Contains(inm, etag) {
		c.Status(http.StatusNotModified)
		return true
	}
	return false
}
