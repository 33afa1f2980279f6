package area

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/geojson"

	"github.com/trygg/trygg/internal/apperr"
)

// ImportOptions say how features become areas.
type ImportOptions struct {
	Municipality string
	Kind         Kind
	// NameProperty is the feature property holding the name; when empty, "name",
	// "namn" and any property whose key ends in "namn" or "name" are tried.
	NameProperty string
	// PriorityNames marks the areas with these names as priority areas.
	PriorityNames []string
}

// crs84 names accepted as WGS 84 longitude/latitude, RFC 7946's only CRS.
var crs84 = []string{"urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "urn:ogc:def:crs:EPSG::4326", "EPSG:4326"}

type featureCollection struct {
	Type string `json:"type"`
	CRS  *struct {
		Properties struct {
			Name string `json:"name"`
		} `json:"properties"`
	} `json:"crs"`
	Features []struct {
		Type       string          `json:"type"`
		Properties map[string]any  `json:"properties"`
		Geometry   json.RawMessage `json:"geometry"`
	} `json:"features"`
}

// ParseGeoJSON reads a FeatureCollection of Polygons and MultiPolygons into areas.
// Anything wrong — another CRS, coordinates that are not longitude/latitude, a
// feature without a polygon or a name — fails the whole file, naming the feature.
func ParseGeoJSON(data []byte, opts ImportOptions) ([]Area, error) {
	var fc featureCollection
	if err := json.Unmarshal(data, &fc); err != nil {
		return nil, apperr.Errorf(apperr.Invalid, "not GeoJSON: %v", err)
	}
	if fc.Type != "FeatureCollection" {
		return nil, apperr.Errorf(apperr.Invalid, "expected a GeoJSON FeatureCollection, got %q", fc.Type)
	}
	if fc.CRS != nil && !isCRS84(fc.CRS.Properties.Name) {
		return nil, apperr.Errorf(apperr.Invalid, "coordinates must be WGS 84 longitude/latitude (CRS84, as RFC 7946 requires); the file declares %s — reproject it first", fc.CRS.Properties.Name)
	}
	if len(fc.Features) == 0 {
		return nil, apperr.Errorf(apperr.Invalid, "the FeatureCollection has no features")
	}
	kind, err := ParseKind(string(opts.Kind))
	if err != nil {
		return nil, err
	}
	priority := map[string]bool{}
	for _, n := range opts.PriorityNames {
		priority[strings.ToLower(strings.TrimSpace(n))] = true
	}
	out := make([]Area, 0, len(fc.Features))
	seen := map[string]int{}
	for i, f := range fc.Features {
		name := featureName(f.Properties, opts.NameProperty)
		where := fmt.Sprintf("feature %d", i+1)
		if name != "" {
			where += " (" + name + ")"
		}
		if name == "" {
			return nil, apperr.Errorf(apperr.Invalid, "%s has no name property", where)
		}
		if j, dup := seen[name]; dup {
			return nil, apperr.Errorf(apperr.Invalid, "%s has the same name as feature %d", where, j)
		}
		seen[name] = i + 1
		mp, err := multiPolygon(f.Geometry)
		if err != nil {
			return nil, apperr.Errorf(apperr.Invalid, "%s: %v", where, err)
		}
		a := Area{Municipality: opts.Municipality, Kind: kind, Name: name, Geometry: mp, Priority: priority[strings.ToLower(name)]}
		if err := a.Validate(); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

func isCRS84(name string) bool {
	for _, c := range crs84 {
		if strings.EqualFold(name, c) {
			return true
		}
	}
	return false
}

func featureName(props map[string]any, key string) string {
	str := func(v any) string {
		switch v := v.(type) {
		case string:
			return strings.TrimSpace(v)
		case float64:
			return fmt.Sprint(v)
		}
		return ""
	}
	if key != "" {
		return str(props[key])
	}
	for _, k := range []string{"name", "namn", "Name", "NAMN"} {
		if s := str(props[k]); s != "" {
			return s
		}
	}
	for k, v := range props {
		l := strings.ToLower(k)
		if strings.Contains(l, "namn") || strings.HasSuffix(l, "name") {
			if s := str(v); s != "" {
				return s
			}
		}
	}
	return ""
}

// MultiPolygonFromGeoJSON decodes a Polygon or MultiPolygon geometry object.
func MultiPolygonFromGeoJSON(raw []byte) (*geom.MultiPolygon, error) { return multiPolygon(raw) }

func multiPolygon(raw json.RawMessage) (*geom.MultiPolygon, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, fmt.Errorf("no geometry")
	}
	var g geom.T
	if err := geojson.Unmarshal(raw, &g); err != nil {
		return nil, fmt.Errorf("geometry: %v", err)
	}
	var mp *geom.MultiPolygon
	switch t := g.(type) {
	case *geom.Polygon:
		mp = toXY(t, nil)
	case *geom.MultiPolygon:
		mp = toXY(nil, t)
	default:
		return nil, fmt.Errorf("geometry is a %T, not a Polygon or MultiPolygon", g)
	}
	flat := mp.FlatCoords()
	for i := 0; i+1 < len(flat); i += 2 {
		x, y := flat[i], flat[i+1]
		if math.IsNaN(x) || math.IsNaN(y) || x < -180 || x > 180 || y < -90 || y > 90 {
			return nil, fmt.Errorf("coordinate (%g, %g) is not longitude/latitude — is the file in another CRS (e.g. SWEREF 99 TM)?", x, y)
		}
	}
	return mp, nil
}

// toXY drops any third coordinate so the geometry fits a 2D column.
func toXY(p *geom.Polygon, m *geom.MultiPolygon) *geom.MultiPolygon {
	out := geom.NewMultiPolygon(geom.XY)
	add := func(poly *geom.Polygon) {
		rings := make([][]geom.Coord, 0, poly.NumLinearRings())
		for i := 0; i < poly.NumLinearRings(); i++ {
			r := poly.LinearRing(i)
			cs := make([]geom.Coord, r.NumCoords())
			for j := range cs {
				c := r.Coord(j)
				cs[j] = geom.Coord{c[0], c[1]}
			}
			rings = append(rings, cs)
		}
		_ = out.Push(geom.NewPolygon(geom.XY).MustSetCoords(rings))
	}
	if p != nil {
		add(p)
	}
	if m != nil {
		for i := 0; i < m.NumPolygons(); i++ {
			add(m.Polygon(i))
		}
	}
	return out
}
