package httpapi

import (
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/trygg/trygg/internal/tiles"
)

// Metrics are the Prometheus series the service exports. Each Server has its own
// registry so tests can run several servers in one process.
type Metrics struct {
	Registry        *prometheus.Registry
	requests        *prometheus.CounterVec
	latency         *prometheus.HistogramVec
	ReportsAccepted *prometheus.CounterVec
}

func newMetrics(pool *pgxpool.Pool) *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "trygg_http_requests_total", Help: "HTTP requests by route template, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "trygg_http_request_duration_seconds", Help: "HTTP request latency by route template and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method"}),
		ReportsAccepted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "trygg_reports_accepted_total", Help: "Reports stored, by kind and source.",
		}, []string{"kind", "source"}),
	}
	m.Registry.MustRegister(m.requests, m.latency, m.ReportsAccepted,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		poolCollector{pool: pool})
	return m
}

func (m *Metrics) observe(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := routeOf(c)
	m.requests.WithLabelValues(route, c.Request.Method, strconv.Itoa(c.Writer.Status())).Inc()
	m.latency.WithLabelValues(route, c.Request.Method).Observe(time.Since(start).Seconds())
}

var (
	poolAcquired = prometheus.NewDesc("trygg_db_pool_acquired_conns", "Connections in use.", nil, nil)
	poolIdle     = prometheus.NewDesc("trygg_db_pool_idle_conns", "Idle connections.", nil, nil)
	poolTotal    = prometheus.NewDesc("trygg_db_pool_total_conns", "Open connections.", nil, nil)
	poolMax      = prometheus.NewDesc("trygg_db_pool_max_conns", "Pool size limit.", nil, nil)
	poolWaits    = prometheus.NewDesc("trygg_db_pool_empty_acquire_total", "Acquires that had to wait for a connection.", nil, nil)
	poolWaitSecs = prometheus.NewDesc("trygg_db_pool_acquire_wait_seconds_total", "Time spent waiting for connections.", nil, nil)
)

// poolCollector reads pgxpool statistics at scrape time.
type poolCollector struct{ pool *pgxpool.Pool }

func (p poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolAcquired, poolIdle, poolTotal, poolMax, poolWaits, poolWaitSecs} {
		ch <- d
	}
}

func (p poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := p.pool.Stat()
	ch <- prometheus.MustNewConstMetric(poolAcquired, prometheus.GaugeValue, float64(s.AcquiredConns()))
	ch <- prometheus.MustNewConstMetric(poolIdle, prometheus.GaugeValue, float64(s.IdleConns()))
	ch <- prometheus.MustNewConstMetric(poolTotal, prometheus.GaugeValue, float64(s.TotalConns()))
	ch <- prometheus.MustNewConstMetric(poolMax, prometheus.GaugeValue, float64(s.MaxConns()))
	ch <- prometheus.MustNewConstMetric(poolWaits, prometheus.CounterValue, float64(s.EmptyAcquireCount()))
	ch <- prometheus.MustNewConstMetric(poolWaitSecs, prometheus.CounterValue, s.EmptyAcquireWaitTime().Seconds())
}

var (
	tileCacheHits      = prometheus.NewDesc("trygg_tile_cache_hits_total", "Tile requests answered from the in-process tile cache.", nil, nil)
	tileCacheMisses    = prometheus.NewDesc("trygg_tile_cache_misses_total", "Tile requests the cache could not answer with a current tile (absent or stale), so the tile was built.", nil, nil)
	tileCacheEvictions = prometheus.NewDesc("trygg_tile_cache_evictions_total", "Tiles dropped from the cache to stay within its size.", nil, nil)
	tileCacheEntries   = prometheus.NewDesc("trygg_tile_cache_entries", "Tiles held in the cache.", nil, nil)
	tileCacheBytesDesc = prometheus.NewDesc("trygg_tile_cache_bytes", "Bytes the cache holds (tiles, their gzip copies, keys and bookkeeping).", nil, nil)
	tileVersionsLive   = prometheus.NewDesc("trygg_tile_versions_live", "1 while the map's data versions are followed in memory (LISTEN), 0 while cached tiles are checked against the database.", nil, nil)
)

// tileCacheCollector reads the tile cache's counters at scrape time.
type tileCacheCollector struct {
	cache    *tiles.Cache
	versions *tiles.Versions
}

func (t tileCacheCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{tileCacheHits, tileCacheMisses, tileCacheEvictions, tileCacheEntries, tileCacheBytesDesc, tileVersionsLive} {
		ch <- d
	}
}

func (t tileCacheCollector) Collect(ch chan<- prometheus.Metric) {
	s := t.cache.Stats()
	ch <- prometheus.MustNewConstMetric(tileCacheHits, prometheus.CounterValue, float64(s.Hits))
	ch <- prometheus.MustNewConstMetric(tileCacheMisses, prometheus.CounterValue, float64(s.Misses))
	ch <- prometheus.MustNewConstMetric(tileCacheEvictions, prometheus.CounterValue, float64(s.Evictions))
	ch <- prometheus.MustNewConstMetric(tileCacheEntries, prometheus.GaugeValue, float64(s.Entries))
	ch <- prometheus.MustNewConstMetric(tileCacheBytesDesc, prometheus.GaugeValue, float64(s.Bytes))
	live := 0.0
	if t.versions.Live() {
		live = 1
	}
	ch <- prometheus.MustNewConstMetric(tileVersionsLive, prometheus.GaugeValue, live)
}
