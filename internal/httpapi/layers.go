package httpapi

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/twpayne/go-geom/encoding/geojson"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/postgres"
	"github.com/trygg/trygg/internal/tiles"
)

// Paging limits of the GeoJSON/CSV export.
const (
	layerDefaultLimit = 1000
	layerMaxLimit     = 10000
)

// publicBase is the scheme and host links are built on: TRYGG_PUBLIC_URL when set,
// else what the request came in by (behind a proxy, X-Forwarded-Proto/-Host).
func (m *mapLayers) publicBase(c *gin.Context) string {
	if m.s.cfg.PublicURL != "" {
		return m.s.cfg.PublicURL
	}
	scheme := "http"
	if c.Request.TLS != nil {
		scheme = "https"
	}
	if p := c.GetHeader("X-Forwarded-Proto"); p == "http" || p == "https" {
		scheme = p
	}
	host := c.Request.Host
	if h := c.GetHeader("X-Forwarded-Host"); h != "" && !strings.ContainsAny(h, "/ ,") {
		host = h
	}
	return scheme + "://" + host
}

// filterQuery keeps the report filter parameters of a request, for links that
// must show the same selection.
func filterQuery(q url.Values) url.Values {
	out := url.Values{}
	for _, k := range []string{"kind", "category", "status", "from", "to", "shape"} {
		if v, ok := q[k]; ok {
			out[k] = v
		}
	}
	return out
}

// tileJSON serves GET /tiles/{layer}.json (TileJSON 3.0.0).
func (m *mapLayers) tileJSON(c *gin.Context) {
	name, ok := strings.CutSuffix(c.Param("layer"), ".json")
	if !ok {
		fail(c, apperr.Errorf(apperr.NotFound, "TileJSON is at /tiles/{layer}.json"))
		return
	}
	if _, err := tiles.ParseFilter(c.Request.URL.Query()); err != nil {
		fail(c, err)
		return
	}
	if _, err := tiles.ParseShape(c.Request.URL.Query()); err != nil {
		fail(c, err)
		return
	}
	l, p, ok := m.layer(c, name)
	if !ok {
		return
	}
	bounds, err := m.s.db.LayerBounds(c.Request.Context(), p.Municipalities)
	if err != nil {
		fail(c, err)
		return
	}
	tmpl := m.publicBase(c) + "/tiles/" + l.Name + "/{z}/{x}/{y}.mvt"
	if q := filterQuery(c.Request.URL.Query()).Encode(); q != "" {
		tmpl += "?" + q
	}
	fields := map[string]string{}
	for _, f := range l.Fields {
		fields[f.Name] = f.Type
	}
	if l.Access == tiles.Public {
		c.Header("Cache-Control", "public, max-age=300")
	} else {
		c.Header("Cache-Control", "private, no-cache")
	}
	c.JSON(http.StatusOK, gin.H{
		"tilejson": "3.0.0", "name": l.Title, "description": l.Description, "version": "1.0.0",
		"scheme": "xyz", "tiles": []string{tmpl}, "minzoom": l.MinZoom, "maxzoom": l.MaxZoom,
		"bounds": bounds, "center": []float64{(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, 8},
		"attribution":   "trygg; municipality boundaries: Valmyndigheten via okfse/sweden-geojson",
		"vector_layers": []gin.H{{"id": l.Name, "description": l.Description, "minzoom": l.MinZoom, "maxzoom": l.MaxZoom, "fields": fields}},
	})
}

// pageParams are what GeoJSON, CSV and OGC items have in common.
type pageParams struct {
	query         postgres.FeatureQuery
	limit, offset int
}

// parsePage reads bbox, limit, offset, cell_size and the report filter.
func (m *mapLayers) parsePage(c *gin.Context, l tiles.Layer, p auth.Principal, defLimit int) (pageParams, error) {
	q := c.Request.URL.Query()
	var pp pageParams
	f, err := tiles.ParseFilter(q)
	if err != nil {
		return pp, err
	}
	pp.limit, pp.offset = defLimit, 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return pp, apperr.Field("limit", "limit must be a positive integer")
		}
		// OGC API Features: a limit above the maximum is clamped, not refused.
		pp.limit = min(n, layerMaxLimit)
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return pp, apperr.Field("offset", "offset must be a non-negative integer")
		}
		pp.offset = n
	}
	var bbox []float64
	if v := q.Get("bbox"); v != "" {
		if bbox, err = layerBBox(v); err != nil {
			return pp, err
		}
	}
	shape, err := tiles.ParseShape(q)
	if err != nil {
		return pp, err
	}
	// A hexagon's size is its edge; the smallest has the area of the smallest square.
	cell, least := 500, tiles.SensitiveGridM
	if shape == tiles.Hex {
		cell, least = tiles.HexEdgeFor(500), tiles.HexEdgeFor(tiles.SensitiveGridM)
	}
	if v := q.Get("cell_size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < least || n > 100000 {
			return pp, apperr.Field("cell_size", "cell_size must be whole metres from %d to 100000 for %s cells", least, shape)
		}
		cell = n
	}
	pp.query = postgres.FeatureQuery{Layer: l.Name, Filter: f, Municipalities: p.Municipalities, BBox: bbox,
		Limit: pp.limit + 1, Offset: pp.offset, CellSize: cell, Shape: shape, MinCellCount: m.s.cfg.MinCellCount, Now: m.s.now()}
	return pp, nil
}

// layerBBox reads "west,south,east,north" in WGS 84 degrees.
func layerBBox(s string) ([]float64, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return nil, apperr.Field("bbox", "bbox must be west,south,east,north in degrees")
	}
	b := make([]float64, 4)
	for i, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, apperr.Field("bbox", "bbox value %q is not a number", p)
		}
		b[i] = v
	}
	if b[0] < -180 || b[2] > 180 || b[1] < -90 || b[3] > 90 || b[0] > b[2] || b[1] > b[3] {
		return nil, apperr.Field("bbox", "bbox must lie within -180,-90,180,90 with west <= east and south <= north")
	}
	return b, nil
}

// features serves GET /v1/layers/{layer}.geojson and .csv.
func (m *mapLayers) features(c *gin.Context) {
	name, format, _ := strings.Cut(c.Param("layer"), ".")
	if format != "geojson" && format != "csv" {
		fail(c, apperr.Errorf(apperr.NotFound, "layers are at /v1/layers/{layer}.geojson or .csv"))
		return
	}
	l, p, ok := m.layer(c, name)
	if !ok {
		return
	}
	pp, err := m.parsePage(c, l, p, layerDefaultLimit)
	if err != nil {
		fail(c, err)
		return
	}
	fs, err := m.s.db.Features(c.Request.Context(), pp.query)
	if err != nil {
		fail(c, err)
		return
	}
	more := len(fs) > pp.limit
	fs = fs[:min(len(fs), pp.limit)]
	links := pageLinks(m.publicBase(c)+c.Request.URL.Path, c.Request.URL.Query(), pp, more, "application/geo+json")
	if l.Access == tiles.Staff {
		c.Header("Cache-Control", "private, no-cache")
	}
	if format == "csv" {
		writeFeatureCSV(c, l, fs, links)
		return
	}
	out, err := featureCollection(fs, links)
	if err != nil {
		fail(c, err)
		return
	}
	c.Data(http.StatusOK, "application/geo+json", out)
}

// link is a web link as OGC API and GeoJSON paging carry them.
type link struct {
	Href  string `json:"href"`
	Rel   string `json:"rel"`
	Type  string `json:"type,omitempty"`
	Title string `json:"title,omitempty"`
}

// pageLinks gives self, and next/prev when there are such pages.
func pageLinks(base string, q url.Values, pp pageParams, more bool, typ string) []link {
	at := func(offset int) string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set("limit", strconv.Itoa(pp.limit))
		v.Set("offset", strconv.Itoa(offset))
		return base + "?" + v.Encode()
	}
	links := []link{{Href: at(pp.offset), Rel: "self", Type: typ}}
	if more {
		links = append(links, link{Href: at(pp.offset + pp.limit), Rel: "next", Type: typ})
	}
	if pp.offset > 0 {
		links = append(links, link{Href: at(max(pp.offset-pp.limit, 0)), Rel: "prev", Type: typ})
	}
	return links
}

// geoFeature is one RFC 7946 feature; links are a foreign member (OGC items).
type geoFeature struct {
	Type       string            `json:"type"`
	ID         string            `json:"id"`
	Geometry   *geojson.Geometry `json:"geometry"`
	Properties json.RawMessage   `json:"properties"`
	Links      []link            `json:"links,omitempty"`
}

func toGeoFeature(f postgres.Feature) (geoFeature, error) {
	g, err := geojson.Encode(f.Geometry)
	if err != nil {
		return geoFeature{}, err
	}
	return geoFeature{Type: "Feature", ID: f.ID, Geometry: g, Properties: f.Properties}, nil
}

func featureCollection(fs []postgres.Feature, links []link) ([]byte, error) {
	out := struct {
		Type           string       `json:"type"`
		Features       []geoFeature `json:"features"`
		Links          []link       `json:"links"`
		NumberReturned int          `json:"numberReturned"`
	}{Type: "FeatureCollection", Features: []geoFeature{}, Links: links, NumberReturned: len(fs)}
	for _, f := range fs {
		gf, err := toGeoFeature(f)
		if err != nil {
			return nil, err
		}
		out.Features = append(out.Features, gf)
	}
	return json.Marshal(out)
}

// writeFeatureCSV writes id, lon, lat and the layer's fields; paging is in the
// Link header.
func writeFeatureCSV(c *gin.Context, l tiles.Layer, fs []postgres.Feature, links []link) {
	var hdr []string
	for _, lk := range links {
		if lk.Rel != "self" {
			hdr = append(hdr, fmt.Sprintf(`<%s>; rel="%s"`, lk.Href, lk.Rel))
		}
	}
	if len(hdr) > 0 {
		c.Header("Link", strings.Join(hdr, ", "))
	}
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Status(http.StatusOK)
	w := csv.NewWriter(c.Writer)
	cols := []string{"id", "lon", "lat"}
	for _, f := range l.Fields {
		if f.Name != "id" && f.Name != "cluster" && f.Name != "point_count" {
			cols = append(cols, f.Name)
		}
	}
	_ = w.Write(cols)
	for _, f := range fs {
		var props map[string]any
		_ = json.Unmarshal(f.Properties, &props)
		row := []string{f.ID, strconv.FormatFloat(f.Lon, 'f', 6, 64), strconv.FormatFloat(f.Lat, 'f', 6, 64)}
		for _, col := range cols[3:] {
			row = append(row, csvValue(props[col]))
		}
		_ = w.Write(row)
	}
	w.Flush()
}

func csvValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		// A cell starting with = + - @ is a formula to spreadsheets.
		if x != "" && strings.ContainsRune("=+-@", rune(x[0])) {
			return "'" + x
		}
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	default:
		return fmt.Sprint(x)
	}
}
