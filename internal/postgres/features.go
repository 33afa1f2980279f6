package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/wkb"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/tiles"
)

// FeatureQuery asks for the features of one layer, as GeoJSON, CSV and OGC API
// Features read them.
type FeatureQuery struct {
	Layer          string
	Filter         tiles.Filter
	Municipalities []string  // staff scope for the reports layer
	BBox           []float64 // west, south, east, north in WGS 84; nil for all
	ID             string    // one feature; "" for all
	Limit, Offset  int
	CellSize       int // report_cells square side or hexagon edge in metres
	Shape          tiles.Shape
	MinCellCount   int       // report_cells suppression
	Now            time.Time // age_days is counted to this
}

// Feature is one feature of a layer. Lon and Lat are the point, or a point on a
// polygon's surface, for CSV.
type Feature struct {
	ID         string
	Geometry   geom.T
	Properties json.RawMessage
	Lon, Lat   float64
}

// Binds of every feature query: $1..$5 the report filter, $6..$9 the bbox, $10 an
// id, $11 limit, $12 offset, $13 and $14 what the layer needs.
const featureFilterSQL = `
  AND ($1::text[] IS NULL OR r.kind = ANY($1))
  AND ($2::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest($2::text[]) p WHERE r.category = p OR r.category LIKE p || '.%'))
  AND ($3::text[] IS NULL OR r.status = ANY($3))
  AND ($4::timestamptz IS NULL OR r.observed_at >= $4)
  AND ($5::timestamptz IS NULL OR r.observed_at < $5)`

const featureBBoxSQL = `ST_MakeEnvelope($6::float8, $7::float8, $8::float8, $9::float8, 4326)`

const (
	reportsFeaturesSQL = `
SELECT r.id::text AS id, r.geom AS g,
       jsonb_build_object('reference', r.reference, 'kind', r.kind, 'category', r.category, 'status', r.status,
         'municipality', r.municipality_code,
         'observed_at', to_char(r.observed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
         'age_days', floor(extract(epoch FROM ($14::timestamptz - r.received_at)) / 86400)::integer) AS props
FROM reports r
WHERE r.municipality_code = ANY($13::text[])
  AND ($6::float8 IS NULL OR r.geom && ` + featureBBoxSQL + `)` + featureFilterSQL

	publicFeaturesSQL = `
SELECT r.id::text AS id, ` + publicPointSQL + ` AS g,
       jsonb_build_object('kind', r.kind, 'category', r.category, 'status', r.status,
         'observed_on', (r.observed_at AT TIME ZONE 'Europe/Stockholm')::date::text,
         'coarsened', c.sensitivity = 'sensitive') AS props
FROM reports r JOIN categories c ON c.code = r.category
WHERE r.visibility = 'published' AND c.sensitivity <> 'restricted'
  AND ($6::float8 IS NULL OR r.geom && ST_Expand(` + featureBBoxSQL + `, 0.002))` + featureFilterSQL

	cellsFeaturesSQL = `
SELECT $13::integer || ':' || cx || ':' || cy AS id,
       ST_Transform(ST_MakeEnvelope(cx * $13, cy * $13, (cx + 1) * $13, (cy + 1) * $13, 3006), 4326) AS g,
       jsonb_build_object('count', n, 'cell_size_m', $13::integer, 'shape', 'square') AS props
FROM (
  SELECT floor(ST_X(r.geom_sweref) / $13::integer)::bigint AS cx, floor(ST_Y(r.geom_sweref) / $13::integer)::bigint AS cy, count(*) AS n
  FROM reports r
  WHERE r.visibility = 'published'
    AND ($6::float8 IS NULL OR r.geom_sweref && ST_Expand(ST_Transform(ST_Segmentize(ST_Intersection(` + featureBBoxSQL + `, ` + swedenBoxSQL + `), 0.05), 3006), $13::integer))` + featureFilterSQL + `
  GROUP BY 1, 2
) cells WHERE n >= $14::integer`

	// Hexagons of edge $13 (hex_cell, migration 000012); ids are hex:size:q:r.
	cellsHexFeaturesSQL = `
SELECT 'hex:' || $13::integer || ':' || hq || ':' || hr AS id,
       ST_Transform(hex_cell_polygon(hq, hr, $13::integer, 3006), 4326) AS g,
       jsonb_build_object('count', n, 'cell_size_m', $13::integer, 'shape', 'hex') AS props
FROM (
  SELECT h[1] AS hq, h[2] AS hr, count(*) AS n
  FROM (SELECT hex_cell(ST_X(r.geom_sweref), ST_Y(r.geom_sweref), $13::integer) AS h
        FROM reports r
        WHERE r.visibility = 'published'
          AND ($6::float8 IS NULL OR r.geom_sweref && ST_Expand(ST_Transform(ST_Segmentize(ST_Intersection(` + featureBBoxSQL + `, ` + swedenBoxSQL + `), 0.05), 3006), 2 * $13::integer))` + featureFilterSQL + `
  ) p
  GROUP BY 1, 2
) cells WHERE n >= $14::integer`

	// Report filters do not apply to polygon layers; num_nulls only gives their
	// binds a type, which PostgreSQL needs for every bind it is sent.
	polygonFilterSQL = `
  AND num_nulls($1::text[], $2::text[], $3::text[], $4::timestamptz, $5::timestamptz) >= 0`

	municipalitiesFeaturesSQL = `
SELECT m.code AS id, m.geom AS g, jsonb_build_object('code', m.code, 'name', m.name, 'county_code', m.county_code) AS props
FROM municipalities m
WHERE ($6::float8 IS NULL OR m.geom && ` + featureBBoxSQL + `)` + polygonFilterSQL

	areasFeaturesSQL = `
SELECT a.id::text AS id, a.geom AS g,
       jsonb_build_object('municipality', a.municipality_code, 'kind', a.kind, 'name', a.name, 'priority', a.priority) AS props
FROM areas a
WHERE ($6::float8 IS NULL OR a.geom && ` + featureBBoxSQL + `)` + polygonFilterSQL
)

// The page queries: a layer's rows (id, g, props) with the bbox tested on g, the
// geometry the caller may see, so that a bbox cannot locate a coarsened point more
// closely than its square.
const (
	reportsPageSQL        = `SELECT id, ST_AsBinary(g), props, ST_X(ST_PointOnSurface(g)), ST_Y(ST_PointOnSurface(g)) FROM (` + reportsFeaturesSQL + `) s` + pageTailSQL
	publicPageSQL         = `SELECT id, ST_AsBinary(g), props, ST_X(ST_PointOnSurface(g)), ST_Y(ST_PointOnSurface(g)) FROM (` + publicFeaturesSQL + `) s` + pageTailSQL
	cellsPageSQL          = `SELECT id, ST_AsBinary(g), props, ST_X(ST_PointOnSurface(g)), ST_Y(ST_PointOnSurface(g)) FROM (` + cellsFeaturesSQL + `) s` + pageTailSQL
	cellsHexPageSQL       = `SELECT id, ST_AsBinary(g), props, ST_X(ST_PointOnSurface(g)), ST_Y(ST_PointOnSurface(g)) FROM (` + cellsHexFeaturesSQL + `) s` + pageTailSQL
	municipalitiesPageSQL = `SELECT id, ST_AsBinary(g), props, ST_X(ST_PointOnSurface(g)), ST_Y(ST_PointOnSurface(g)) FROM (` + municipalitiesFeaturesSQL + `) s` + pageTailSQL
	areasPageSQL          = `SELECT id, ST_AsBinary(g), props, ST_X(ST_PointOnSurface(g)), ST_Y(ST_PointOnSurface(g)) FROM (` + areasFeaturesSQL + `) s` + pageTailSQL
	pageTailSQL           = `
WHERE ($6::float8 IS NULL OR ST_Intersects(g, ` + featureBBoxSQL + `))
  AND ($10::text IS NULL OR id = $10)
ORDER BY id LIMIT $11 OFFSET $12`
)

// Features returns one page of a layer's features, ordered by id.
func (db *DB) Features(ctx context.Context, q FeatureQuery) ([]Feature, error) {
	f := q.Filter
	args := []any{nullList(f.Kinds), nullList(f.Categories), nullList(f.Statuses), nullTime(f.From), nullTime(f.To)}
	if len(q.BBox) == 4 {
		args = append(args, q.BBox[0], q.BBox[1], q.BBox[2], q.BBox[3])
	} else {
		args = append(args, nil, nil, nil, nil)
	}
	var id *string
	if q.ID != "" {
		id = &q.ID
	}
	args = append(args, id, q.Limit, q.Offset)
	var sql string
	switch q.Layer {
	case "reports":
		sql, args = reportsPageSQL, append(args, q.Municipalities, q.Now)
	case "reports_public":
		sql = publicPageSQL
	case "report_cells":
		sql, args = cellsPageSQL, append(args, max(q.CellSize, tiles.SensitiveGridM), max(q.MinCellCount, 1))
		if q.Shape == tiles.Hex {
			sql, args[12] = cellsHexPageSQL, max(q.CellSize, tiles.HexEdgeFor(tiles.SensitiveGridM))
		}
	case "municipalities":
		sql = municipalitiesPageSQL
	case "areas":
		sql = areasPageSQL
	default:
		return nil, apperr.Errorf(apperr.NotFound, "no map layer %q", q.Layer)
	}
	rows, err := db.Pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Feature
	for rows.Next() {
		var ft Feature
		var b []byte
		if err := rows.Scan(&ft.ID, &b, &ft.Properties, &ft.Lon, &ft.Lat); err != nil {
			return nil, err
		}
		if ft.Geometry, err = wkb.Unmarshal(b); err != nil {
			return nil, err
		}
		out = append(out, ft)
	}
	return out, rows.Err()
}

const layerBoundsSQL = `
SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
FROM (SELECT ST_Extent(geom)::geometry AS e FROM municipalities WHERE $1::text[] IS NULL OR code = ANY($1)) q`

// LayerBounds returns west, south, east, north of the municipalities (all of
// them when codes is empty).
func (db *DB) LayerBounds(ctx context.Context, codes []string) ([4]float64, error) {
	var b [4]float64
	err := db.Pool.QueryRow(ctx, layerBoundsSQL, nullList(codes)).Scan(&b[0], &b[1], &b[2], &b[3])
	return b, err
}
