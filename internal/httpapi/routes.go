package httpapi

import (
	"github.com/gin-gonic/gin"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/web"
)

func (s *Server) routes() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	// No proxy is trusted unless configured: otherwise any client could pick its
	// own X-Forwarded-For and escape the per-client rate limits.
	_ = r.SetTrustedProxies(nil)
	r.NoRoute(func(c *gin.Context) { fail(c, apperr.Errorf(apperr.NotFound, "no such route")) })
	r.NoMethod(func(c *gin.Context) { fail(c, apperr.Errorf(apperr.Invalid, "method not allowed on this route")) })
	r.Use(requestID, securityHeaders(newPagePolicy(web.Options{BasemapStyleURL: s.cfg.BasemapStyleURL})),
		recoverPanics, s.Metrics.observe, logRequests(s.log), timeout(s.cfg.RequestTimeout), cors(s.cfg.CORSOrigins))

	r.GET("/healthz", s.health)
	r.GET("/readyz", s.ready)
	r.GET("/metrics", s.metrics())
	r.GET("/openapi.yaml", s.spec)

	// Public writes are rate limited before they are validated: an invalid
	// request costs the same work and must not escape the limit.
	v1 := r.Group("/v1", s.limitPublicWrites, s.validate)
	v1.GET("/categories", s.listCategories)
	v1.GET("/municipalities/locate", s.locate)
	v1.POST("/reports", limitBody(s.cfg.BodyLimit), s.limitWrites, s.createReport)
	v1.GET("/reports/:id", s.followUp)
	s.photoRoutes(v1)

	staff := r.Group("/v1/staff", s.authenticate, s.validate)
	dups := newDuplicateAPI(s)
	s.staffReportRoutes(staff, dups)
	s.deliveryRoutes(staff)
	dups.routes(v1, staff)
	s.hotspotRoutes(r)
	s.lagesbildRoutes(r)
	s.mapLayerRoutes(r)
	newOpen311API(s).routes(r)
	newWalkAPI(s).routes(r)
	s.adminRoutes(r)
	// The web pages (/, /map, /promises, …) and their /assets/; see internal/web.
	s.site.Register(r)
	return r
}
