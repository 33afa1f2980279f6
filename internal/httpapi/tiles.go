package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gin-gonic/gin"
	"github.com/klauspost/compress/gzip"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/postgres"
	"github.com/trygg/trygg/internal/tiles"
)

// tileCacheBytes bounds the in-process tile cache. Tiles of report layers are a
// few kB to a few hundred kB; 256 MiB holds the working set of a county's maps.
const tileCacheBytes = 256 << 20

// mapLayers serves the map layers: vector tiles, TileJSON, GeoJSON/CSV and OGC
// API Features. It owns the tile cache.
type mapLayers struct {
	s        *Server
	cache    *tiles.Cache
	hasAreas atomic.Bool // once seen, the areas table stays
}

// mapLayerRoutes registers the map layer routes. Tile routes skip the OpenAPI
// request validation: they check their few parameters themselves, and a warm
// tile must cost little more than a cache lookup.
func (s *Server) mapLayerRoutes(r *gin.Engine) {
	m := &mapLayers{s: s, cache: tiles.NewCache(s.tileCacheBytes)}
	s.Metrics.Registry.MustRegister(tileCacheCollector{cache: m.cache, versions: s.db.TileVersions})
	r.GET("/tiles/:layer", m.tileJSON)
	r.GET("/tiles/:layer/:z/:x/:y", m.tile)
	m.hotspotTileRoutes(r)
	r.GET("/v1/layers/:layer", s.validate, m.features)
	m.ogcRoutes(r.Group("/ogc", s.validate))
}

// layer finds a layer by name and checks the caller may read it. For staff
// layers it returns the token's principal; public layers need no token.
func (m *mapLayers) layer(c *gin.Context, name string) (tiles.Layer, auth.Principal, bool) {
	l, err := tiles.Lookup(name)
	if err == nil && l.Optional && !m.areasExist(c.Request.Context()) {
		err = apperr.Errorf(apperr.NotFound, "layer %q is not available: its table does not exist yet", name)
	}
	if err != nil {
		fail(c, err)
		return l, auth.Principal{}, false
	}
	if l.Access == tiles.Public {
		return l, auth.Principal{}, true
	}
	token, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
	if !ok || strings.TrimSpace(token) == "" {
		c.Header("WWW-Authenticate", `Bearer realm="trygg"`)
		fail(c, apperr.Errorf(apperr.Unauthorized, "layer %s needs a staff bearer token", name))
		return l, auth.Principal{}, false
	}
	p, err := m.s.db.PrincipalByTokenHash(c.Request.Context(), auth.HashToken(strings.TrimSpace(token)))
	if err == nil {
		err = p.Require(auth.ReadAnalytics)
	}
	if err != nil {
		fail(c, err)
		return l, p, false
	}
	p.Municipalities = slices.Sorted(slices.Values(p.Municipalities))
	return l, p, true
}

func (m *mapLayers) areasExist(ctx context.Context) bool {
	if m.hasAreas.Load() {
		return true
	}
	ok, err := m.s.db.HasAreas(ctx)
	if err == nil && ok {
		m.hasAreas.Store(true)
	}
	return ok
}

// tile serves GET /tiles/{layer}/{z}/{x}/{y}.mvt (or .pbf).
func (m *mapLayers) tile(c *gin.Context) {
	t, _, err := tiles.ParseTile(c.Param("z"), c.Param("x"), c.Param("y"))
	if err != nil {
		fail(c, err)
		return
	}
	f, err := tiles.ParseFilter(c.Request.URL.Query())
	if err != nil {
		fail(c, err)
		return
	}
	shape, err := tiles.ParseShape(c.Request.URL.Query())
	if err != nil {
		fail(c, err)
		return
	}
	l, p, ok := m.layer(c, c.Param("layer"))
	if !ok {
		return
	}
	ctx := c.Request.Context()
	req := postgres.TileRequest{Layer: l.Name, Tile: t, Filter: f, Municipalities: p.Municipalities,
		MinCellCount: m.s.cfg.MinCellCount, Now: m.s.now(), Shape: shape}
	r, hit, err := m.render(ctx, l, req)
	if err != nil {
		fail(c, err)
		return
	}
	writeTile(c, r, hit, l.Access == tiles.Public)
}

// writeTile answers with a rendered tile: ETag (another for the gzip bytes),
// 304 on If-None-Match, 204 when the tile is empty, gzip when accepted.
func writeTile(c *gin.Context, r tiles.Rendered, hit, public bool) {
	// X-Tile-Cache says whether the in-process cache answered (for operators and
	// the benchmark; CDNs ignore it).
	if hit {
		c.Header("X-Tile-Cache", "hit")
	} else {
		c.Header("X-Tile-Cache", "miss")
	}
	if public {
		c.Header("Cache-Control", "public, max-age=60")
	} else {
		c.Header("Cache-Control", "private, no-cache")
	}
	c.Header("Vary", "Accept-Encoding")
	body, etag := r.Body, r.ETag
	gz := len(r.Body) > 0 && acceptsGzip(c.GetHeader("Accept-Encoding"))
	if gz {
		body, etag = r.Gzip, tileGzipETag(r.ETag)
	}
	c.Header("ETag", etag)
	if etagMatches(c.GetHeader("If-None-Match"), etag) {
		c.Status(http.StatusNotModified)
		return
	}
	if len(r.Body) == 0 {
		c.Status(http.StatusNoContent)
		return
	}
	if gz {
		c.Header("Content-Encoding", "gzip")
	}
	c.Data(http.StatusOK, "application/vnd.mapbox-vector-tile", body)
}

// render returns the tile from the cache or builds it.
//
// While the database's tile versions are followed in memory (db.TileVersions is
// live), a cached tile is checked against them without a query, and a tile the
// cache lacks costs exactly its own query. Otherwise a cached tile is checked
// against the version of its squares in the database (one small query), and a
// missing tile is built together with that version in one round trip.
//
// Either way the version is read before the tile: a report committed in between
// is then in a tile stamped with the old version, which the next request
// rebuilds — never the other way round.
func (m *mapLayers) render(ctx context.Context, l tiles.Layer, req postgres.TileRequest) (tiles.Rendered, bool, error) {
	scope := req.Municipalities
	if l.Name == "reports" {
		// age_days changes at midnight.
		scope = append(slices.Clip(scope), req.Now.UTC().Format("2006-01-02"))
	}
	name := l.Name
	if l.Name == "report_cells" {
		name += ":" + string(req.Shape)
	}
	key := tiles.Key(name, req.Tile, req.Filter, scope)
	cacheable := !l.Optional // areas change without a version stamp
	var cached tiles.Rendered
	var have bool
	if cacheable {
		cached, have = m.cache.Get(key)
	}
	hit := func() (tiles.Rendered, bool, error) {
		m.cache.Count(true)
		return cached, true, nil
	}
	var r tiles.Rendered
	var err error
	versions := m.s.db.TileVersions
	switch {
	case !l.Filtered && have:
		// Boundaries change only with a migration, and so with a restart.
		return hit()
	case !l.Filtered:
		r.Body, err = m.s.db.Tile(ctx, req)
	case versions.Live():
		r.Local = versions.Of(req.Tile.Squares())
		if have && cached.Local == r.Local {
			return hit()
		}
		r.Body, err = m.s.db.Tile(ctx, req)
	case have:
		if r.Version, err = m.s.db.TileVersion(ctx, req.Tile.Squares()); err != nil {
			return tiles.Rendered{}, false, err
		}
		if r.Version == cached.Version {
			return hit()
		}
		r.Body, err = m.s.db.Tile(ctx, req)
	default:
		r.Version, r.Body, err = m.s.db.TileWithVersion(ctx, req)
	}
	if err != nil {
		return tiles.Rendered{}, false, err
	}
	r.ETag = tileETag(r.Body)
	if len(r.Body) > 0 {
		r.Gzip = gzipBytes(r.Body)
	}
	if cacheable {
		m.cache.Count(false)
		m.cache.Add(key, r)
	}
	return r, false, nil
}

// tileETag is a strong ETag: the first 128 bits of the tile's SHA-256.
func tileETag(b []byte) string {
	h := sha256.Sum256(b)
	return `"` + hex.EncodeToString(h[:16]) + `"`
}

// tileGzipETag differs from the identity ETag: a strong validator names exact bytes.
func tileGzipETag(etag string) string { return strings.TrimSuffix(etag, `"`) + `-gz"` }

// gzipWriters are reused: a new compressor allocates several hundred kB, more
// than compressing a small tile costs. The compressor is klauspost/compress's
// (already in the binary through promhttp): at its fastest level it makes
// about the same bytes as the standard library's fastest in well under half the
// time, and compressing is the largest share of what a cold tile costs in Go
// (scripts/bench-tiles).
var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	return w
}}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(b)/2 + 64)
	w := gzipWriters.Get().(*gzip.Writer)
	w.Reset(&buf)
	_, _ = w.Write(b)
	_ = w.Close()
	gzipWriters.Put(w)
	return buf.Bytes()
}

// acceptsGzip reads Accept-Encoding, honouring an explicit q=0.
func acceptsGzip(h string) bool {
	for _, part := range strings.Split(h, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "*" {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}
