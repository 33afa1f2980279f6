package postgres

import (
	"context"

	"github.com/trygg/trygg/internal/hotspot"
)

// HotspotTileCell is what a hotspot vector tile carries for one cell.
type HotspotTileCell struct {
	I, J, Count, Bin int32
	Z, Density       float64
}

// The envelope is densified before it is projected: a tile's edges are
// straight in Web Mercator but curved in SWEREF 99 TM, and the box of the four
// corners alone misses a strip of cells along an edge at low zoom (kilometres
// at z 6). It is first cut to the longitudes and latitudes a study area can
// have (those of a bbox study area): SWEREF 99 TM has no coordinates for the
// far side of the globe, which low-zoom tiles reach.
const hotspotTileBoxSQL = `
SELECT ST_IsEmpty(b), coalesce(ST_XMin(b), 0), coalesce(ST_YMin(b), 0), coalesce(ST_XMax(b), 0), coalesce(ST_YMax(b), 0)
FROM ST_TileEnvelope($1, $2, $3) e,
     ST_Transform(ST_ClipByBox2D(ST_Transform(ST_Segmentize(e, (ST_XMax(e) - ST_XMin(e)) / 64), 4326),
                                 ST_MakeEnvelope(5, 50, 30, 75, 4326)), 3006) b`

// HotspotTileBox is the extent of web map tile z/x/y in EPSG:3006, so the
// caller can pick the cells a tile needs before sending them. ok is false
// when the tile lies wholly outside the region a study area can cover.
func (db *DB) HotspotTileBox(ctx context.Context, z, x, y int) (b hotspot.Box, ok bool, err error) {
	var empty bool
	err = db.Pool.QueryRow(ctx, hotspotTileBoxSQL, z, x, y).Scan(&empty, &b.MinX, &b.MinY, &b.MaxX, &b.MaxY)
	return b, !empty, translate(err)
}

// Cells are rebuilt from (i, j) with PostGIS's own grid functions, the
// numbering hotspot.Grid shares, and cut to the tile in ST_AsMVTGeom.
const hotspotTileSQL = `
SELECT coalesce(ST_AsMVT(t, 'hotspots', 4096, 'geom'), '') FROM (
    SELECT ST_AsMVTGeom(ST_Transform(ST_SetSRID(
               CASE WHEN $5 = 'hex' THEN ST_Hexagon($4, i, j) ELSE ST_Square($4, i, j) END, 3006), 3857),
               ST_TileEnvelope($1, $2, $3), 4096, 64) AS geom,
           i, j, n AS count, bin, z, density
    FROM unnest($6::int[], $7::int[], $8::int[], $9::int[], $10::float8[], $11::float8[]) AS u(i, j, n, bin, z, density)
) t WHERE geom IS NOT NULL`

// HotspotTile renders cells of grid g as a Mapbox vector tile with one layer,
// "hotspots" (extent 4096, buffer 64), properties i, j, count, bin, z and
// density. An empty result is an empty slice.
func (db *DB) HotspotTile(ctx context.Context, g hotspot.Grid, cells []HotspotTileCell, z, x, y int) ([]byte, error) {
	n := len(cells)
	is, js, counts, bins := make([]int32, n), make([]int32, n), make([]int32, n), make([]int32, n)
	zs, ds := make([]float64, n), make([]float64, n)
	for k, c := range cells {
		is[k], js[k], counts[k], bins[k], zs[k], ds[k] = c.I, c.J, c.Count, c.Bin, c.Z, c.Density
	}
	var mvt []byte
	err := db.Pool.QueryRow(ctx, hotspotTileSQL, z, x, y, g.Size, string(g.Shape), is, js, counts, bins, zs, ds).Scan(&mvt)
	return mvt, err
}
