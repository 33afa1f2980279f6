package postgres

import (
	"context"
	"encoding/binary"

	"github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/wkb"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/report"
)

// pointWKB encodes a WGS 84 point for ST_GeomFromWKB($n, 4326).
func pointWKB(lon, lat float64) []byte {
	b, _ := wkb.Marshal(geom.NewPointFlat(geom.XY, []float64{lon, lat}), binary.LittleEndian)
	return b
}

// decodePoint reads ST_AsBinary output of a point.
func decodePoint(b []byte) (lon, lat float64, err error) {
	g, err := wkb.Unmarshal(b)
	if err != nil {
		return 0, 0, err
	}
	p, ok := g.(*geom.Point)
	if !ok {
		return 0, 0, apperr.Errorf(apperr.Internal, "expected a point")
	}
	return p.X(), p.Y(), nil
}

const locateSQL = `
SELECT code, name FROM municipalities
WHERE ST_Intersects(geom, ST_GeomFromWKB($1, 4326)) ORDER BY code LIMIT 1`

// Locate returns the municipality a point lies in.
func (db *DB) Locate(ctx context.Context, lat, lon float64) (report.Municipality, error) {
	var m report.Municipality
	err := db.Pool.QueryRow(ctx, locateSQL, pointWKB(lon, lat)).Scan(&m.Code, &m.Name)
	if err != nil {
		if apperr.KindOf(translate(err)) == apperr.NotFound {
			return m, apperr.Errorf(apperr.NotFound, "the point is not inside any Swedish municipality")
		}
		return m, err
	}
	return m, nil
}
