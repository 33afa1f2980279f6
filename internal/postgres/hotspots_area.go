package postgres

import (
	"context"
	"errors"
	"math"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/wkb"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/hotspot"
)

// HotspotArea is the study area of a hotspot analysis: the polygon in EPSG:3006
// whose cells (by their centre) are analysed, and the municipalities whose
// reports count. The polygon is fetched once; the cell test runs in Go.
type HotspotArea struct {
	Municipalities []string
	hotspot.StudyArea
	// LonLat is the WGS 84 bounding box, for the data version.
	LonLat [4]float64
	// Whole is set when the area is entire municipalities: every report of
	// theirs lies inside, so no spatial filter is needed.
	Whole bool
}

// Every study area arrives as a MultiPolygon in SWEREF 99 TM.
const (
	municipalityAreaSQL = `
SELECT ST_AsBinary(ST_Multi(ST_Transform(geom, 3006))), ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom)
FROM municipalities WHERE code = $1`
	areasTableSQL = `SELECT to_regclass('areas') IS NOT NULL`
	namedAreaSQL  = `
SELECT ST_AsBinary(ST_Multi(ST_CollectionExtract(ST_Transform(geom, 3006), 3))),
       ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom), municipality_code
FROM areas WHERE id = $1`
	// A bbox spans whatever municipalities it touches; only those the caller may
	// see take part, and only their part of the box.
	bboxAreaSQL = `
WITH box AS (SELECT ST_Segmentize(ST_MakeEnvelope($1, $2, $3, $4, 4326), 0.01) AS g),
hit AS (
    SELECT m.code, ST_Intersection(m.geom, box.g) AS g FROM municipalities m, box
    WHERE m.code = ANY($5) AND ST_Intersects(m.geom, box.g)
)
SELECT coalesce((SELECT array_agg(code ORDER BY code) FROM hit), '{}'),
       (SELECT ST_AsBinary(ST_Multi(ST_CollectionExtract(ST_Transform(ST_Union(g), 3006), 3))) FROM hit)`
)

// MunicipalityStudyArea is the whole municipality.
func (db *DB) MunicipalityStudyArea(ctx context.Context, code string) (HotspotArea, error) {
	var b []byte
	var ll [4]float64
	err := db.Pool.QueryRow(ctx, municipalityAreaSQL, code).Scan(&b, &ll[0], &ll[1], &ll[2], &ll[3])
	if errors.Is(err, pgx.ErrNoRows) {
		return HotspotArea{}, apperr.Field("municipality", "no municipality with code %s", code)
	}
	if err != nil {
		return HotspotArea{}, err
	}
	a, err := studyArea([]string{code}, b, ll)
	a.Whole = true
	return a, err
}

// NamedStudyArea is an area (centrum, stadsdel, …) from the areas table. The
// table belongs to the lägesbild migration; without it the parameter is refused.
func (db *DB) NamedStudyArea(ctx context.Context, id uuid.UUID) (HotspotArea, error) {
	var exists bool
	if err := db.Pool.QueryRow(ctx, areasTableSQL).Scan(&exists); err != nil {
		return HotspotArea{}, err
	}
	if !exists {
		return HotspotArea{}, apperr.Field("area", "areas are not available in this installation yet (the areas table is missing); use municipality or bbox")
	}
	var code string
	var b []byte
	var ll [4]float64
	err := db.Pool.QueryRow(ctx, namedAreaSQL, id).Scan(&b, &ll[0], &ll[1], &ll[2], &ll[3], &code)
	if errors.Is(err, pgx.ErrNoRows) {
		return HotspotArea{}, apperr.Errorf(apperr.NotFound, "no area with id %s", id)
	}
	if err != nil {
		return HotspotArea{}, err
	}
	return studyArea([]string{code}, b, ll)
}

// BBoxStudyArea is a WGS 84 box cut to the municipalities in scope.
func (db *DB) BBoxStudyArea(ctx context.Context, minLon, minLat, maxLon, maxLat float64, scope []string) (HotspotArea, error) {
	var codes []string
	var b []byte
	if err := db.Pool.QueryRow(ctx, bboxAreaSQL, minLon, minLat, maxLon, maxLat, scope).Scan(&codes, &b); err != nil {
		return HotspotArea{}, err
	}
	if len(codes) == 0 || b == nil {
		return HotspotArea{}, apperr.Errorf(apperr.Forbidden, "the bbox does not overlap any municipality this token is scoped to")
	}
	return studyArea(codes, b, [4]float64{minLon, minLat, maxLon, maxLat})
}

func studyArea(codes []string, b []byte, lonLat [4]float64) (HotspotArea, error) {
	g, err := wkb.Unmarshal(b)
	if err != nil {
		return HotspotArea{}, err
	}
	mp, ok := g.(*geom.MultiPolygon)
	if !ok || mp.Empty() {
		return HotspotArea{}, apperr.Errorf(apperr.Invalid, "the study area has no surface")
	}
	pi := newPolygonIndex(mp)
	return HotspotArea{
		Municipalities: codes,
		StudyArea:      hotspot.StudyArea{Box: pi.box, Inside: pi.inside},
		LonLat:         lonLat,
	}, nil
}

// polygonIndex answers point-in-polygon by the even-odd rule over every ring
// (holes and parts included). Edges are bucketed into horizontal strips, so a
// test looks only at the few edges whose y-range meets the point's strip: an
// entire municipality at 100 m cells (130 000 tests) takes milliseconds.
type polygonIndex struct {
	box    hotspot.Box
	stripH float64
	strips [][]edge
}

type edge struct{ x0, y0, x1, y1 float64 }

func newPolygonIndex(mp *geom.MultiPolygon) *polygonIndex {
	var edges []edge
	box := hotspot.Box{MinX: math.Inf(1), MinY: math.Inf(1), MaxX: math.Inf(-1), MaxY: math.Inf(-1)}
	for i := 0; i < mp.NumPolygons(); i++ {
		p := mp.Polygon(i)
		for r := 0; r < p.NumLinearRings(); r++ {
			c := p.LinearRing(r).FlatCoords()
			for k := 0; k+3 < len(c); k += 2 {
				e := edge{c[k], c[k+1], c[k+2], c[k+3]}
				if e.y0 != e.y1 { // horizontal edges never cross a horizontal ray
					edges = append(edges, e)
				}
				box.MinX, box.MaxX = min(box.MinX, e.x0), max(box.MaxX, e.x0)
				box.MinY, box.MaxY = min(box.MinY, e.y0), max(box.MaxY, e.y0)
			}
		}
	}
	n := min(max(len(edges)/2, 1), 8192)
	pi := &polygonIndex{box: box, stripH: (box.MaxY - box.MinY) / float64(n), strips: make([][]edge, n)}
	if pi.stripH <= 0 {
		pi.stripH = 1
	}
	for _, e := range edges {
		lo, hi := pi.strip(min(e.y0, e.y1)), pi.strip(max(e.y0, e.y1))
		for s := lo; s <= hi; s++ {
			pi.strips[s] = append(pi.strips[s], e)
		}
	}
	return pi
}

func (pi *polygonIndex) strip(y float64) int {
	return min(max(int((y-pi.box.MinY)/pi.stripH), 0), len(pi.strips)-1)
}

func (pi *polygonIndex) inside(x, y float64) bool {
	if x < pi.box.MinX || x > pi.box.MaxX || y < pi.box.MinY || y > pi.box.MaxY {
		return false
	}
	in := false
	for _, e := range pi.strips[pi.strip(y)] {
		// Half-open in y, so a ray through a vertex counts it once.
		if (e.y0 <= y) != (e.y1 <= y) && x < e.x0+(y-e.y0)*(e.x1-e.x0)/(e.y1-e.y0) {
			in = !in
		}
	}
	return in
}
