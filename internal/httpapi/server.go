// Package httpapi is trygg's HTTP interface: the gin router, its middleware, the
// one mapping from error kinds to HTTP, and the handlers that wire requests to
// the domain services.
package httpapi

import (
	"cmp"
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/trygg/trygg/internal/config"
	"github.com/trygg/trygg/internal/postgres"
	"github.com/trygg/trygg/internal/privacy"
	"github.com/trygg/trygg/internal/report"
	"github.com/trygg/trygg/internal/web"
	"github.com/trygg/trygg/openapi"
)

// Server holds what the handlers need.
type Server struct {
	cfg      config.Config
	db       *postgres.DB
	log      *slog.Logger
	now      func() time.Time
	contract *contract
	limiter  *clientLimiter
	Metrics  *Metrics
	reports  *report.Service
	site     *web.Site
	keys     *privacy.DeviceKeys
	engine   *gin.Engine
	handler  http.Handler // engine, answering HEAD as GET
	// tileCacheBytes bounds the in-process tile cache.
	tileCacheBytes int64
}

// Options adjust a server for tests.
type Options struct {
	Now        func() time.Time
	DeviceKeys *privacy.DeviceKeys // nil: NewDeviceKeys
	// TileCacheBytes bounds the tile cache; 0 means the default (tileCacheBytes).
	TileCacheBytes int64
}

// NewDeviceKeys builds the device-hash keys from the configuration. Without
// TRYGG_HASH_SECRET a random secret is drawn, so hashes made by this process
// match no other process's: fine for a test, wrong in production (warned).
func NewDeviceKeys(cfg config.Config, db *postgres.DB, now func() time.Time, log *slog.Logger) *privacy.DeviceKeys {
	secret := []byte(cfg.HashSecret)
	if len(secret) == 0 {
		secret = make([]byte, 32)
		_, _ = rand.Read(secret)
		log.Warn("TRYGG_HASH_SECRET is not set: device hashes will not match across restarts (one confirmation per device, Open311 retries)")
	}
	return &privacy.DeviceKeys{Secret: secret, Period: cfg.HashKeyPeriod, Store: db, Now: now}
}

// New builds the server and its routes.
func New(cfg config.Config, db *postgres.DB, log *slog.Logger, opts Options) (*Server, error) {
	ct, err := loadContract()
	if err != nil {
		return nil, err
	}
	site, err := web.Load(web.Options{BasemapStyleURL: cfg.BasemapStyleURL})
	if err != nil {
		return nil, err
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	keys := opts.DeviceKeys
	if keys == nil {
		keys = NewDeviceKeys(cfg, db, now, log)
	}
	s := &Server{
		cfg: cfg, db: db, log: log, now: now, contract: ct, keys: keys,
		limiter:        newClientLimiter(cfg.RateLimit, cfg.RateBurst, keys.Limiter),
		Metrics:        newMetrics(db.Pool),
		reports:        &report.Service{Store: db, Now: now},
		site:           site,
		tileCacheBytes: cmp.Or(opts.TileCacheBytes, tileCacheBytes),
	}
	s.engine = s.routes()
	s.handler = answerHeadAsGet(s.engine)
	return s, nil
}

// Handler is the root HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Engine exposes the router (route listing in tests).
func (s *Server) Engine() *gin.Engine { return s.engine }

func (s *Server) health(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) }

// ready checks the database answers and the schema is at the version this binary
// was built for.
func (s *Server) ready(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	v, dirty, err := s.db.SchemaVersion(ctx)
	want := postgres.ExpectedVersion()
	switch {
	case err != nil:
		c.Header("Retry-After", "5")
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "database": "unreachable"})
	case dirty || v != want:
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "schema_version": v, "expected_version": want, "dirty": dirty})
	default:
		c.JSON(http.StatusOK, gin.H{"status": "ready", "schema_version": v})
	}
}

func (s *Server) spec(c *gin.Context) {
	c.Data(http.StatusOK, "application/yaml", openapi.Spec)
}

func (s *Server) metrics() gin.HandlerFunc {
	h := promhttp.HandlerFor(s.Metrics.Registry, promhttp.HandlerOpts{})
	return gin.WrapH(h)
}
