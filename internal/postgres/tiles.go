package postgres

import (
	"context"
	"math"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/tiles"
)

// TileRequest is one tile of one layer as the map asks for it.
type TileRequest struct {
	Layer  string
	Tile   tiles.Tile
	Filter tiles.Filter
	// Municipalities scopes the staff layer to a token's kommunkoder.
	Municipalities []string
	// MinCellCount suppresses report_cells cells with fewer reports.
	MinCellCount int
	// Shape of report_cells: squares (the default) or hexagons.
	Shape tiles.Shape
	// Now is the moment age_days is counted to.
	Now time.Time
}

// The report filters shared by every report layer; $4..$8 are kinds, category
// codes or prefixes, statuses, from and to. A NULL list means "all".
const reportFilterSQL = `
  AND ($4::text[] IS NULL OR r.kind = ANY($4))
  AND ($5::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest($5::text[]) p WHERE r.category = p OR r.category LIKE p || '.%'))
  AND ($6::text[] IS NULL OR r.status = ANY($6))
  AND ($7::timestamptz IS NULL OR r.observed_at >= $7)
  AND ($8::timestamptz IS NULL OR r.observed_at < $8)`

// The tile and its margin: e is the tile in EPSG:3857; ll is the tile with the
// MVT buffer, cut to Sweden (swedenBoxSQL) and densified before it goes to WGS 84
// for index lookups on reports.geom. The cut keeps low-zoom tiles, which reach
// past the antimeridian and the poles with their buffer, inside what the
// projections can handle.
const tileEnvSQL = `
WITH env AS (
  SELECT ST_TileEnvelope($1::integer, $2::integer, $3::integer) AS e,
         ST_Transform(ST_ClipByBox2D(
           ST_Segmentize(ST_TileEnvelope($1::integer, $2::integer, $3::integer, margin => 64.0 / 4096), 40075016.7 / 2 ^ $1::integer / 16),
           ST_Transform(` + swedenBoxSQL + `, 3857)::box2d), 4326) AS ll
)`

// A point layer's query ends by choosing: a tile with more than its cap of points
// (tiles.MaxPoints) ships squares of tiles.ClusterPixels instead, each at the
// mean of its points with how many it stands for.
const (
	reportsClusterSQL = `
, n AS (SELECT count(*) AS c FROM pts)
SELECT CASE WHEN (SELECT c FROM n) <= $11 THEN (SELECT ST_AsMVT(p, 'reports', 4096, 'geom') FROM pts p)
ELSE (SELECT ST_AsMVT(q, 'reports', 4096, 'geom') FROM (` + clusterRowsSQL + `) q) END`
	publicClusterSQL = `
, n AS (SELECT count(*) AS c FROM pts)
SELECT CASE WHEN (SELECT c FROM n) <= $9 THEN (SELECT ST_AsMVT(p, 'reports_public', 4096, 'geom') FROM pts p)
ELSE (SELECT ST_AsMVT(q, 'reports_public', 4096, 'geom') FROM (` + clusterRowsSQL + `) q) END`
	clusterRowsSQL = `
  SELECT ST_SnapToGrid(ST_Centroid(ST_Collect(geom)), 1) AS geom, true AS cluster, count(*)::integer AS point_count
  FROM pts GROUP BY floor(ST_X(geom) / 64), floor(ST_Y(geom) / 64)`
)

// reportsTileSQL: exact points for staff, $9 = the token's municipalities,
// $10 = now, $11 = the point cap.
const reportsTileSQL = tileEnvSQL + `
, raw AS (
  SELECT ST_AsMVTGeom(ST_Transform(r.geom, 3857), env.e, 4096, 64, true) AS geom,
         r.id::text AS id, r.reference, r.kind, r.category, r.status, r.municipality_code AS municipality,
         to_char(r.observed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS observed_at,
         floor(extract(epoch FROM ($10::timestamptz - r.received_at)) / 86400)::integer AS age_days
  FROM reports r, env
  WHERE r.geom && env.ll AND r.municipality_code = ANY($9)` + reportFilterSQL + `
), pts AS (SELECT * FROM raw WHERE geom IS NOT NULL)` + reportsClusterSQL

// publicPointSQL is where the public may see a published report: its point, or
// for sensitive categories the centre of its 100 m SWEREF 99 TM square
// (tiles.SensitiveGridM). Restricted categories are never points.
const publicPointSQL = `CASE WHEN c.sensitivity = 'sensitive'
    THEN ST_Transform(ST_SetSRID(ST_MakePoint(floor(ST_X(r.geom_sweref) / 100) * 100 + 50,
                                              floor(ST_Y(r.geom_sweref) / 100) * 100 + 50), 3006), 4326)
    ELSE r.geom END`

// publicTileSQL selects on the public point, never the exact one: which tile a
// point lands in must not say more than its square does. The index lookup on
// the exact point is widened by 0.002° (at least 80 m, even at 69° N where a
// degree of longitude is 40 km) to catch every report whose square centre
// (≤ 71 m away) falls in the tile. $9 = the point cap.
const publicTileSQL = tileEnvSQL + `
, pub AS (
  SELECT ` + publicPointSQL + ` AS g,
         r.kind, r.category, r.status, (r.observed_at AT TIME ZONE 'Europe/Stockholm')::date::text AS observed_on,
         c.sensitivity = 'sensitive' AS coarsened
  FROM reports r JOIN categories c ON c.code = r.category, env
  WHERE r.visibility = 'published' AND c.sensitivity <> 'restricted'
    AND r.geom && ST_Expand(env.ll, 0.002)` + reportFilterSQL + `
), raw AS (
  SELECT ST_AsMVTGeom(ST_Transform(g, 3857), env.e, 4096, 64, true) AS geom, kind, category, status, observed_on, coarsened
  FROM pub, env
), pts AS (SELECT * FROM raw WHERE geom IS NOT NULL)` + publicClusterSQL

// cellsTileSQL counts published reports (restricted ones too: counts are what
// they may be shown as) in EPSG:3006 squares of $9 metres and leaves out squares
// with fewer than $10. Every report of a square that touches the tile is counted,
// wherever in the square it lies.
const cellsTileSQL = tileEnvSQL + `
, cells AS (
  SELECT floor(ST_X(r.geom_sweref) / $9) AS cx, floor(ST_Y(r.geom_sweref) / $9) AS cy, count(*) AS n
  FROM reports r, env
  WHERE r.visibility = 'published'
    AND r.geom_sweref && ST_Expand(ST_Transform(env.ll, 3006), $9)` + reportFilterSQL + `
  GROUP BY 1, 2
)
SELECT ST_AsMVT(q, 'report_cells', 4096, 'geom') FROM (
  SELECT ST_AsMVTGeom(ST_Transform(ST_MakeEnvelope(cx * $9, cy * $9, (cx + 1) * $9, (cy + 1) * $9, 3006), 3857),
                      env.e, 4096, 64, true) AS geom,
         n::integer AS count, $9::integer AS cell_size_m, 'square' AS shape
  FROM cells, env WHERE n >= $10
) q WHERE geom IS NOT NULL`

// cellsHexTileSQL is cellsTileSQL with hexagons of edge $9 metres (hex_cell,
// migration 000012). A hexagon reaches at most $9 from its centre, so every
// report of a hexagon that touches the tile is within 2 × $9 of it.
const cellsHexTileSQL = tileEnvSQL + `
, cells AS (
  SELECT h[1] AS hq, h[2] AS hr, count(*) AS n
  FROM (SELECT hex_cell(ST_X(r.geom_sweref), ST_Y(r.geom_sweref), $9::integer) AS h
        FROM reports r, env
        WHERE r.visibility = 'published'
          AND r.geom_sweref && ST_Expand(ST_Transform(env.ll, 3006), 2 * $9::integer)` + reportFilterSQL + `
  ) p
  GROUP BY 1, 2
)
SELECT ST_AsMVT(q, 'report_cells', 4096, 'geom') FROM (
  SELECT ST_AsMVTGeom(ST_Transform(hex_cell_polygon(hq, hr, $9::integer, 3006), 3857), env.e, 4096, 64, true) AS geom,
         n::integer AS count, $9::integer AS cell_size_m, 'hex' AS shape
  FROM cells, env WHERE n >= $10::integer
) q WHERE geom IS NOT NULL`

// swedenBoxSQL bounds every report (each lies in a Swedish municipality, with
// margin). Lookup boxes are cut to it before they go to SWEREF 99 TM, a
// transverse Mercator that cannot project points far from Sweden.
const swedenBoxSQL = `ST_MakeEnvelope(9, 54, 26, 71, 4326)`

// Polygons are simplified to one tile pixel ($4) before ST_AsMVTGeom snaps them
// to the tile grid, so low zooms do not ship vertices nobody can see.
const municipalitiesTileSQL = tileEnvSQL + `
SELECT ST_AsMVT(q, 'municipalities', 4096, 'geom') FROM (
  SELECT ST_AsMVTGeom(ST_SimplifyPreserveTopology(ST_Transform(m.geom, 3857), $4), env.e, 4096, 64, true) AS geom,
         m.code, m.name, m.county_code
  FROM municipalities m, env WHERE m.geom && env.ll
) q WHERE geom IS NOT NULL`

const areasTileSQL = tileEnvSQL + `
SELECT ST_AsMVT(q, 'areas', 4096, 'geom') FROM (
  SELECT ST_AsMVTGeom(ST_SimplifyPreserveTopology(ST_Transform(a.geom, 3857), $4), env.e, 4096, 64, true) AS geom,
         a.id::text AS id, a.municipality_code AS municipality, a.kind, a.name, a.priority
  FROM areas a, env WHERE a.geom && env.ll
) q WHERE geom IS NOT NULL`

// tileVersionSQL sums the stamps rather than taking the largest: stamps come
// from a sequence in the order they were drawn, not the order their transactions
// committed, so a square can get a smaller stamp after its neighbour got a larger
// one. Any stamp that grows makes the sum grow.
const tileVersionSQL = `
SELECT coalesce(sum(version), 0)::bigint FROM tile_versions WHERE x BETWEEN $1 AND $2 AND y BETWEEN $3 AND $4`

const hasAreasSQL = `SELECT to_regclass('areas') IS NOT NULL`

// TileVersion returns the data version of a tile's squares.
func (db *DB) TileVersion(ctx context.Context, sq tiles.VersionSquares) (int64, error) {
	var v int64
	err := db.Pool.QueryRow(ctx, tileVersionSQL, sq.X0, sq.X1, sq.Y0, sq.Y1).Scan(&v)
	return v, err
}

// HasAreas reports whether the areas table exists (it comes with lägesbild).
func (db *DB) HasAreas(ctx context.Context) (bool, error) {
	var ok bool
	err := db.Pool.QueryRow(ctx, hasAreasSQL).Scan(&ok)
	return ok, err
}

// TileQuery returns the SQL and arguments that render a tile; exported so the
// tile benchmark can time the bare query beside the HTTP path.
func TileQuery(req TileRequest) (string, []any, error) {
	t := req.Tile
	args := []any{t.Z, t.X, t.Y}
	f := req.Filter
	filterArgs := []any{nullList(f.Kinds), nullList(f.Categories), nullList(f.Statuses), nullTime(f.From), nullTime(f.To)}
	switch req.Layer {
	case "reports":
		return reportsTileSQL, append(append(args, filterArgs...), req.Municipalities, req.Now, tiles.MaxPoints), nil
	case "reports_public":
		return publicTileSQL, append(append(args, filterArgs...), tiles.MaxPoints), nil
	case "report_cells":
		sql := cellsTileSQL
		if req.Shape == tiles.Hex {
			sql = cellsHexTileSQL
		}
		return sql, append(append(args, filterArgs...), tiles.CellSizeFor(req.Shape, t.Z), max(req.MinCellCount, 1)), nil
	case "municipalities":
		return municipalitiesTileSQL, append(args, pixelSize(t.Z)), nil
	case "areas":
		return areasTileSQL, append(args, pixelSize(t.Z)), nil
	}
	return "", nil, apperr.Errorf(apperr.NotFound, "no map layer %q", req.Layer)
}

// TileWithVersion reads the data version of the tile's squares and renders the
// tile in one network round trip (a pipelined batch), for a tile the cache has
// never held. The version is read first, so the tile is at least as new as it.
func (db *DB) TileWithVersion(ctx context.Context, req TileRequest) (int64, []byte, error) {
	q, args, err := TileQuery(req)
	if err != nil {
		return 0, nil, err
	}
	sq := req.Tile.Squares()
	b := &pgx.Batch{}
	var v int64
	var tile []byte
	b.Queue(tileVersionSQL, sq.X0, sq.X1, sq.Y0, sq.Y1).QueryRow(func(r pgx.Row) error { return r.Scan(&v) })
	b.Queue(q, args...).QueryRow(func(r pgx.Row) error { return r.Scan(&tile) })
	if err := db.Pool.SendBatch(ctx, b).Close(); err != nil {
		return 0, nil, err
	}
	return v, tile, nil
}

// Tile renders one tile as MVT bytes; an empty slice means an empty tile.
func (db *DB) Tile(ctx context.Context, req TileRequest) ([]byte, error) {
	q, args, err := TileQuery(req)
	if err != nil {
		return nil, err
	}
	var b []byte
	if err := db.Pool.QueryRow(ctx, q, args...).Scan(&b); err != nil {
		return nil, err
	}
	return b, nil
}

// pixelSize is the width of one MVT unit in EPSG:3857 metres at zoom z.
func pixelSize(z int) float64 {
	return 2 * math.Pi * 6378137 / math.Exp2(float64(z)) / tiles.Extent
}

func nullList(l []string) []string {
	if len(l) == 0 {
		return nil
	}
	return l
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
