package httpapi

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/postgres"
	"github.com/trygg/trygg/internal/tiles"
)

// OGC API – Features, Part 1: Core (OGC 17-069r4), so QGIS and other GIS clients
// can add the layers as a data source. Only the classes declared here are
// implemented and tested; HTML and OpenAPI-definition classes are not claimed.
var ogcConformance = []string{
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
}

const (
	ogcDefaultLimit = 10
	crs84           = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
)

func (m *mapLayers) ogcRoutes(g *gin.RouterGroup) {
	g.GET("", m.ogcLanding)
	g.GET("/conformance", m.ogcConformance)
	g.GET("/collections", m.ogcCollections)
	g.GET("/collections/:collectionId", m.ogcCollection)
	g.GET("/collections/:collectionId/items", m.ogcItems)
	g.GET("/collections/:collectionId/items/:featureId", m.ogcItem)
}

// ogcFormat refuses f= values other than JSON: the only encodings declared.
func ogcFormat(c *gin.Context) bool {
	switch c.Query("f") {
	case "", "json", "geojson":
		return true
	}
	fail(c, apperr.Field("f", "only f=json (or geojson) is offered"))
	return false
}

func (m *mapLayers) ogcLanding(c *gin.Context) {
	if !ogcFormat(c) {
		return
	}
	b := m.publicBase(c)
	c.JSON(http.StatusOK, gin.H{
		"title":       "trygg map layers",
		"description": "Reports of otrygghet and felanmälningar, report counts per cell, municipalities and areas, as OGC API – Features.",
		"links": []link{
			{Href: b + "/ogc", Rel: "self", Type: "application/json", Title: "this document"},
			{Href: b + "/openapi.yaml", Rel: "service-desc", Type: "application/vnd.oai.openapi;version=3.0", Title: "the API definition"},
			{Href: b + "/ogc/conformance", Rel: "conformance", Type: "application/json", Title: "conformance classes"},
			{Href: b + "/ogc/collections", Rel: "data", Type: "application/json", Title: "collections"},
		},
	})
}

func (m *mapLayers) ogcConformance(c *gin.Context) {
	if !ogcFormat(c) {
		return
	}
	c.JSON(http.StatusOK, gin.H{"conformsTo": ogcConformance})
}

// ogcCollectionDoc describes one layer as a collection.
func (m *mapLayers) ogcCollectionDoc(c *gin.Context, l tiles.Layer, bounds [4]float64) gin.H {
	b := m.publicBase(c) + "/ogc/collections/" + l.Name
	return gin.H{
		"id": l.Name, "title": l.Title, "description": l.Description, "itemType": "feature",
		"crs":    []string{crs84},
		"extent": gin.H{"spatial": gin.H{"bbox": [][4]float64{bounds}, "crs": crs84}},
		"links": []link{
			{Href: b, Rel: "self", Type: "application/json", Title: l.Title},
			{Href: b + "/items", Rel: "items", Type: "application/geo+json", Title: l.Title + " (GeoJSON)"},
		},
	}
}

// ogcVisible lists the collections the caller can read: staff layers only with a
// token that may read them.
func (m *mapLayers) ogcVisible(c *gin.Context) []tiles.Layer {
	var out []tiles.Layer
	staff := c.GetHeader("Authorization") != ""
	for _, l := range tiles.Layers {
		if l.Access == tiles.Staff && !staff {
			continue
		}
		if l.Optional && !m.areasExist(c.Request.Context()) {
			continue
		}
		out = append(out, l)
	}
	return out
}

func (m *mapLayers) ogcCollections(c *gin.Context) {
	if !ogcFormat(c) {
		return
	}
	var cols []gin.H
	for _, l := range m.ogcVisible(c) {
		l, p, ok := m.layer(c, l.Name)
		if !ok {
			return
		}
		bounds, err := m.s.db.LayerBounds(c.Request.Context(), p.Municipalities)
		if err != nil {
			fail(c, err)
			return
		}
		cols = append(cols, m.ogcCollectionDoc(c, l, bounds))
	}
	b := m.publicBase(c)
	c.JSON(http.StatusOK, gin.H{
		"links":       []link{{Href: b + "/ogc/collections", Rel: "self", Type: "application/json", Title: "collections"}},
		"collections": cols,
	})
}

func (m *mapLayers) ogcCollection(c *gin.Context) {
	if !ogcFormat(c) {
		return
	}
	l, p, ok := m.layer(c, c.Param("collectionId"))
	if !ok {
		return
	}
	bounds, err := m.s.db.LayerBounds(c.Request.Context(), p.Municipalities)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, m.ogcCollectionDoc(c, l, bounds))
}

// ogcItems serves the features of a collection: bbox, limit, offset, datetime,
// properties and the report filters.
func (m *mapLayers) ogcItems(c *gin.Context) {
	if !ogcFormat(c) {
		return
	}
	l, p, ok := m.layer(c, c.Param("collectionId"))
	if !ok {
		return
	}
	pp, err := m.parsePage(c, l, p, ogcDefaultLimit)
	if err == nil {
		err = ogcDatetime(c.Query("datetime"), &pp)
	}
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
	if props := c.Query("properties"); props != "" {
		keepProperties(fs, strings.Split(props, ","))
	}
	b := m.publicBase(c)
	links := pageLinks(b+c.Request.URL.Path, c.Request.URL.Query(), pp, more, "application/geo+json")
	links = append(links, link{Href: b + "/ogc/collections/" + l.Name, Rel: "collection", Type: "application/json"})
	out, err := featureCollection(fs, links)
	if err != nil {
		fail(c, err)
		return
	}
	// timeStamp is required next to numberReturned by the core's response rules.
	out = append(out[:len(out)-1], []byte(`,"timeStamp":"`+m.s.now().UTC().Format(time.RFC3339)+`"}`)...)
	if l.Access == tiles.Staff {
		c.Header("Cache-Control", "private, no-cache")
	}
	c.Data(http.StatusOK, "application/geo+json", out)
}

func (m *mapLayers) ogcItem(c *gin.Context) {
	if !ogcFormat(c) {
		return
	}
	l, p, ok := m.layer(c, c.Param("collectionId"))
	if !ok {
		return
	}
	pp, err := m.parsePage(c, l, p, 1)
	if err != nil {
		fail(c, err)
		return
	}
	pp.query.ID, pp.query.Limit, pp.query.Offset = c.Param("featureId"), 1, 0
	fs, err := m.s.db.Features(c.Request.Context(), pp.query)
	if err != nil {
		fail(c, err)
		return
	}
	if len(fs) == 0 {
		fail(c, apperr.Errorf(apperr.NotFound, "no feature %q in %s", c.Param("featureId"), l.Name))
		return
	}
	gf, err := toGeoFeature(fs[0])
	if err != nil {
		fail(c, err)
		return
	}
	b := m.publicBase(c) + "/ogc/collections/" + l.Name
	gf.Links = []link{
		{Href: b + "/items/" + gf.ID, Rel: "self", Type: "application/geo+json"},
		{Href: b, Rel: "collection", Type: "application/json"},
	}
	if l.Access == tiles.Staff {
		c.Header("Cache-Control", "private, no-cache")
	}
	c.Header("Content-Type", "application/geo+json")
	c.JSON(http.StatusOK, gf)
}

// ogcDatetime reads an instant or an interval ("a/b", with ".." or "" for an
// open end) onto the report filter's observed_at range.
func ogcDatetime(s string, pp *pageParams) error {
	if s == "" {
		return nil
	}
	parse := func(v string) (time.Time, error) {
		if v == "" || v == ".." {
			return time.Time{}, nil
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return t, apperr.Field("datetime", "datetime must be an RFC 3339 instant or an interval a/b with .. for an open end")
		}
		return t.UTC(), nil
	}
	from, to, interval := strings.Cut(s, "/")
	a, err := parse(from)
	if err != nil {
		return err
	}
	if !interval {
		if a.IsZero() {
			return apperr.Field("datetime", "datetime .. needs an interval")
		}
		pp.query.Filter.From, pp.query.Filter.To = a, a.Add(time.Second)
		return nil
	}
	b, err := parse(to)
	if err != nil {
		return err
	}
	if !b.IsZero() {
		// The interval's end is inclusive, the filter's is not; PostgreSQL keeps
		// microseconds.
		b = b.Add(time.Microsecond)
	}
	if !a.IsZero() && !b.IsZero() && b.Before(a) {
		return apperr.Field("datetime", "the interval ends before it starts")
	}
	pp.query.Filter.From, pp.query.Filter.To = a, b
	return nil
}

// keepProperties drops every property not named (OGC "properties" parameter).
func keepProperties(fs []postgres.Feature, names []string) {
	for i := range fs {
		var props map[string]json.RawMessage
		if json.Unmarshal(fs[i].Properties, &props) != nil {
			continue
		}
		kept := map[string]json.RawMessage{}
		for _, n := range names {
			if v, ok := props[strings.TrimSpace(n)]; ok {
				kept[strings.TrimSpace(n)] = v
			}
		}
		fs[i].Properties, _ = json.Marshal(kept)
	}
}
