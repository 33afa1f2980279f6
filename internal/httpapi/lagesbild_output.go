package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"
	"github.com/twpayne/go-geom/encoding/geojson"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/area"
	"github.com/trygg/trygg/internal/lagesbild"
)

// writeLagesbild writes l in the format asked for: json (default), csv (one
// section, or a zip of all), geojson (areas with their counts) or html (print).
func (s *Server) writeLagesbild(c *gin.Context, l lagesbild.Lagesbild) {
	name := "lagesbild-" + l.Municipality + "-" + l.Period.Label
	switch c.DefaultQuery("format", "json") {
	case "json":
		c.JSON(http.StatusOK, l)
	case "csv":
		tables := l.Tables()
		var buf bytes.Buffer
		if sec := c.Query("section"); sec != "" {
			i := slices.Index(lagesbild.Sections, sec)
			if i < 0 {
				fail(c, apperr.Field("section", "unknown section %q", sec))
				return
			}
			if err := lagesbild.WriteCSV(&buf, tables[i]); err != nil {
				fail(c, err)
				return
			}
			c.Header("Content-Disposition", `attachment; filename="`+name+"-"+sec+`.csv"`)
			c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
			return
		}
		if err := lagesbild.WriteZip(&buf, tables); err != nil {
			fail(c, err)
			return
		}
		c.Header("Content-Disposition", `attachment; filename="`+name+`.zip"`)
		c.Data(http.StatusOK, "application/zip", buf.Bytes())
	case "geojson":
		areas, err := s.lagesbildAreas(c, l)
		if err != nil {
			fail(c, err)
			return
		}
		fc := geojson.FeatureCollection{Features: []*geojson.Feature{}}
		for _, a := range areas {
			props := map[string]any{"id": a.ID, "name": a.Name, "kind": a.Kind, "priority": a.Priority, "period": l.Period.Label}
			if row, ok := areaRow(l, a); ok {
				props["count"], props["previous"], props["last_year"] = row.Count, row.Previous, row.LastYear
			}
			fc.Features = append(fc.Features, &geojson.Feature{ID: a.ID.String(), Geometry: a.Geometry, Properties: props})
		}
		b, err := json.Marshal(&fc)
		if err != nil {
			fail(c, err)
			return
		}
		c.Data(http.StatusOK, "application/geo+json", b)
	case "html":
		areas, err := s.lagesbildAreas(c, l)
		if err != nil {
			fail(c, err)
			return
		}
		shapes := make([]lagesbild.MapArea, 0, len(areas))
		for _, a := range areas {
			row, _ := areaRow(l, a)
			m := lagesbild.MapArea{Name: a.Name, Count: row.Count, Priority: a.Priority}
			for i := 0; i < a.Geometry.NumPolygons(); i++ {
				p := a.Geometry.Polygon(i)
				for j := 0; j < p.NumLinearRings(); j++ {
					var ring [][2]float64
					for _, co := range p.LinearRing(j).Coords() {
						ring = append(ring, [2]float64{co[0], co[1]})
					}
					m.Rings = append(m.Rings, ring)
				}
			}
			shapes = append(shapes, m)
		}
		var buf bytes.Buffer
		if err := lagesbild.WriteHTML(&buf, l, shapes); err != nil {
			fail(c, err)
			return
		}
		c.Data(http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
	default:
		fail(c, apperr.Field("format", "format must be json, csv, geojson or html"))
	}
}

// lagesbildAreas returns the polygons of the areas the lägesbild counts.
func (s *Server) lagesbildAreas(c *gin.Context, l lagesbild.Lagesbild) ([]area.Area, error) {
	all, err := s.db.Areas(c.Request.Context(), area.Filter{Municipalities: []string{l.Municipality}})
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, a := range all {
		if _, ok := areaRow(l, a); ok {
			out = append(out, a)
		}
	}
	return out, nil
}

func areaRow(l lagesbild.Lagesbild, a area.Area) (lagesbild.Row, bool) {
	for _, r := range l.Areas {
		if r.Key == a.ID.String() {
			return r, true
		}
	}
	return lagesbild.Row{}, false
}
