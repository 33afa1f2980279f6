package httpapi

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/postgres"
	"github.com/trygg/trygg/internal/tiles"
)

// hotspotTileFields are the properties of a hotspot tile's features.
var hotspotTileFields = map[string]string{
	"i": "Number", "j": "Number", "count": "Number", "bin": "Number", "z": "Number", "density": "Number",
}

// hotspotTileRoutes registers the map layer "hotspots": the result of GET
// /v1/hotspots for the same query string, drawn as vector tiles. The routes
// are static paths beside /tiles/{layer}, which serves the report layers. Like
// the other tile routes they skip the OpenAPI request check; the parameters
// are those of /v1/hotspots and are checked by parseHotspotQuery.
func (m *mapLayers) hotspotTileRoutes(r *gin.Engine) {
	r.GET("/tiles/hotspots.json", m.s.authenticate, m.hotspotTileJSON)
	r.GET("/tiles/hotspots/:z/:x/:y", m.s.authenticate, m.hotspotTile)
}

// hotspotTile serves GET /tiles/hotspots/{z}/{x}/{y}.mvt (or .pbf) with the
// HTTP semantics of the other tile layers: strong ETag (another for gzip),
// 304, gzip, 204 for an empty tile.
func (m *mapLayers) hotspotTile(c *gin.Context) {
	p, ok := principal(c, hotspotReaders)
	if !ok {
		return
	}
	t, _, err := tiles.ParseTile(c.Param("z"), c.Param("x"), c.Param("y"))
	if err != nil {
		fail(c, err)
		return
	}
	r, hit, err := m.s.hotspotTile(c.Request.Context(), p, c.Request.URL.Query(), t, m.cache)
	if err != nil {
		fail(c, err)
		return
	}
	writeTile(c, r, hit, false)
}

// hotspotTile renders the hotspot result for params (the query string of GET
// /v1/hotspots) as tile t with one layer, "hotspots". The analysis comes from
// the hotspot result cache; only the cells near the tile are sent to PostGIS,
// which draws them with ST_AsMVTGeom. Rendered tiles are cached under the
// result's key (parameters, scope and data version) and the tile, so a new
// or changed report in the study area makes every tile of it new. The caller
// has authenticated p; role and scope are checked here.
func (s *Server) hotspotTile(ctx context.Context, p auth.Principal, params url.Values, t tiles.Tile, cache *tiles.Cache) (tiles.Rendered, bool, error) {
	v, ok := hotspotAPIs.Load(s)
	if !ok {
		return tiles.Rendered{}, false, apperr.Errorf(apperr.Internal, "hotspot routes are not registered")
	}
	if err := p.Require(hotspotReaders); err != nil {
		return tiles.Rendered{}, false, err
	}
	if err := t.Validate(); err != nil {
		return tiles.Rendered{}, false, err
	}
	q, err := parseHotspotQuery(params)
	if err != nil {
		return tiles.Rendered{}, false, err
	}
	res, resultTag, err := v.(*hotspotAPI).result(ctx, p, q, &hotspotTimings{})
	if err != nil {
		return tiles.Rendered{}, false, err
	}
	key := fmt.Sprintf("hotspots|%s|%d/%d/%d", resultTag, t.Z, t.X, t.Y)
	if cache != nil && !q.NoCache {
		if r, ok := cache.Get(key); ok {
			return r, true, nil
		}
	}
	box, inside, err := s.db.HotspotTileBox(ctx, t.Z, t.X, t.Y)
	if err != nil {
		return tiles.Rendered{}, false, err
	}
	box = grow(box, 2*res.Grid.Size) // cells reaching into the tile and its buffer
	var cells []postgres.HotspotTileCell
	for _, c := range res.Cells {
		if !inside {
			break
		}
		ctr := res.Grid.Center(hotspotIndex(c))
		if ctr.X >= box.MinX && ctr.X <= box.MaxX && ctr.Y >= box.MinY && ctr.Y <= box.MaxY {
			cells = append(cells, postgres.HotspotTileCell{I: c.I, J: c.J, Count: c.Count, Bin: int32(c.Bin), Z: c.Z, Density: c.Density})
		}
	}
	var body []byte
	if len(cells) > 0 {
		if body, err = s.db.HotspotTile(ctx, res.Grid, cells, t.Z, t.X, t.Y); err != nil {
			return tiles.Rendered{}, false, err
		}
	}
	r := tiles.Rendered{Body: body, ETag: tileETag(body)}
	if len(body) > 0 {
		r.Gzip = gzipBytes(body)
	}
	if cache != nil {
		cache.Add(key, r)
	}
	return r, false, nil
}

// hotspotTileJSON serves GET /tiles/hotspots.json: TileJSON 3.0.0 whose tile
// URL carries the same hotspot parameters. The parameters and the study area
// are checked now, so a map is not set up for tiles that would all fail. The
// analysis is run (or taken from the cache) now too, once, rather than by the
// first tiles a map asks for at the same time; its summary and the range of
// each field (tilestats, as tippecanoe writes them) let a map draw its legend
// and colour scale without the GeoJSON.
func (m *mapLayers) hotspotTileJSON(c *gin.Context) {
	p, ok := principal(c, hotspotReaders)
	if !ok {
		return
	}
	params := c.Request.URL.Query()
	q, err := parseHotspotQuery(params)
	if err != nil {
		fail(c, err)
		return
	}
	h, ok := hotspotAPIs.Load(m.s)
	if !ok {
		fail(c, apperr.Errorf(apperr.Internal, "hotspot routes are not registered"))
		return
	}
	area, err := h.(*hotspotAPI).studyArea(c.Request.Context(), p, q)
	if err != nil {
		fail(c, err)
		return
	}
	res, _, err := h.(*hotspotAPI).result(c.Request.Context(), p, q, &hotspotTimings{})
	if err != nil {
		fail(c, err)
		return
	}
	bounds, err := m.s.db.LayerBounds(c.Request.Context(), area.Municipalities)
	if err != nil {
		fail(c, err)
		return
	}
	if q.BBox != nil {
		bounds = [4]float64{q.BBox[0], q.BBox[1], q.BBox[2], q.BBox[3]}
	}
	params.Del("nocache")
	tmpl := m.publicBase(c) + "/tiles/hotspots/{z}/{x}/{y}.mvt"
	if enc := params.Encode(); enc != "" {
		tmpl += "?" + enc
	}
	const desc = "Getis-Ord Gi* (or kernel density) cells of GET /v1/hotspots for the same parameters: bin −3…+3, z, count, density."
	c.Header("Cache-Control", "private, no-cache")
	c.JSON(http.StatusOK, gin.H{
		"tilejson": "3.0.0", "name": "Hotspots", "description": desc, "version": "1.0.0",
		"scheme": "xyz", "tiles": []string{tmpl}, "minzoom": 0, "maxzoom": tiles.MaxZoom,
		"bounds": bounds, "center": []float64{(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, 10},
		"attribution":   "trygg",
		"vector_layers": []gin.H{{"id": "hotspots", "description": desc, "minzoom": 0, "maxzoom": tiles.MaxZoom, "fields": hotspotTileFields}},
		"summary":       res.Summary,
		"tilestats":     hotspotTileStats(res),
	})
}

// hotspotTileStats is the tilestats member of the hotspot TileJSON: how many
// cells the layer has and the smallest and largest value of each field.
func hotspotTileStats(res *HotspotResult) gin.H {
	names := []string{"i", "j", "count", "bin", "z", "density"}
	lo, hi := make([]float64, len(names)), make([]float64, len(names))
	for f := range names {
		lo[f], hi[f] = math.Inf(1), math.Inf(-1)
	}
	for _, c := range res.Cells {
		v := []float64{float64(c.I), float64(c.J), float64(c.Count), float64(c.Bin), c.Z, c.Density}
		for f := range names {
			if !math.IsNaN(v[f]) && !math.IsInf(v[f], 0) { // JSON carries neither
				lo[f], hi[f] = min(lo[f], v[f]), max(hi[f], v[f])
			}
		}
	}
	attrs := make([]gin.H, 0, len(names))
	for f, n := range names {
		if lo[f] <= hi[f] {
			attrs = append(attrs, gin.H{"attribute": n, "type": "number", "min": lo[f], "max": hi[f]})
		}
	}
	return gin.H{"layerCount": 1, "layers": []gin.H{{
		"layer": "hotspots", "count": len(res.Cells), "geometry": "Polygon",
		"attributeCount": len(attrs), "attributes": attrs,
	}}}
}
