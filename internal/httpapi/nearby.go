package httpapi

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/category"
	"github.com/trygg/trygg/internal/photo"
	"github.com/trygg/trygg/internal/report"
)

// duplicateAPI is "is this already reported?" for residents (nearby, confirm)
// and duplicate suggestions and un-merge for caseworkers.
type duplicateAPI struct {
	s      *Server
	staff  *report.Staff
	cats   categoryCache
	photos photo.Options
}

func newDuplicateAPI(s *Server) *duplicateAPI {
	return &duplicateAPI{s: s, staff: &report.Staff{Store: s.db, Now: s.now}, photos: s.photoOptions()}
}

// routes registers the resident routes on v1 and the caseworker routes on staff.
func (api *duplicateAPI) routes(v1, staff *gin.RouterGroup) {
	s := api.s
	v1.GET("/reports/nearby", api.nearby)
	// JSON bodies are held to the general limit by the contract check; a
	// multipart one may carry a photo.
	v1.POST("/reports/:id/confirmations", limitBody(s.cfg.PhotoLimit+multipartOverhead), s.limitWrites, api.confirm)
	staff.GET("/reports/:id/duplicates", api.duplicates)
	staff.POST("/reports/:id/unmerge", api.unmerge)
}

// categoryCache keeps the taxonomy for a short while: the nearby list is asked
// for as the resident picks a category, and the taxonomy changes rarely.
type categoryCache struct {
	mu   sync.Mutex
	at   time.Time
	cats map[string]category.Category
}

const categoryCacheTTL = 30 * time.Second

func (api *duplicateAPI) categories(ctx context.Context) (map[string]category.Category, error) {
	cc := &api.cats
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.cats != nil && time.Since(cc.at) < categoryCacheTTL {
		return cc.cats, nil
	}
	list, err := api.s.db.Categories(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]category.Category, len(list))
	for _, c := range list {
		m[c.Code] = c
	}
	cc.cats, cc.at = m, time.Now()
	return m, nil
}

func (api *duplicateAPI) nearby(c *gin.Context) {
	lat, err := strconv.ParseFloat(c.Query("lat"), 64)
	if err != nil {
		fail(c, apperr.Field("lat", "lat is required: decimal degrees (WGS 84)"))
		return
	}
	lon, err := strconv.ParseFloat(c.Query("lon"), 64)
	if err != nil {
		fail(c, apperr.Field("lon", "lon is required: decimal degrees (WGS 84)"))
		return
	}
	if c.Query("category") == "" {
		fail(c, apperr.Field("category", "category is required: the radius and the related categories depend on it"))
		return
	}
	ctx := c.Request.Context()
	cats, err := api.categories(ctx)
	if err != nil {
		fail(c, err)
		return
	}
	q := report.NearbyQuery{Lat: lat, Lon: lon, Kind: c.Query("kind"), Category: c.Query("category")}
	search, err := report.PlanNearby(q, api.s.now(), cats)
	if err != nil {
		fail(c, err)
		return
	}
	out, err := api.s.db.Nearby(ctx, search)
	if err != nil {
		fail(c, err)
		return
	}
	out.Category = q.Category
	out.Otrygghet = report.PublicCounts(out.Otrygghet, cats)
	for i := range out.Reports {
		out.Reports[i].DistanceM = math.Round(out.Reports[i].DistanceM*10) / 10
	}
	c.Header("Cache-Control", "public, max-age=15")
	c.JSON(http.StatusOK, out)
}
