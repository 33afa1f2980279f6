package httpapi

import (
	"context"
	"fmt"
	"net/url"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/postgres"
)

// HotspotTile renders the hotspot result for params (the query string of GET
// /v1/hotspots) as a Mapbox vector tile z/x/y with one layer "hotspots", for
// a /tiles/hotspots route. The analysis comes from the hotspot cache; only
// the cells near the tile are sent to PostGIS, which draws them with
// ST_AsMVTGeom. The ETag changes with the parameters, the data and the tile.
// An empty tile is an empty slice. The caller has authenticated p.
func (s *Server) HotspotTile(ctx context.Context, p auth.Principal, params url.Values, z, x, y int) (mvt []byte, etag string, err error) {
	if z < 0 || z > 22 || x < 0 || y < 0 || x >= 1<<z || y >= 1<<z {
		return nil, "", apperr.Errorf(apperr.Invalid, "no tile %d/%d/%d", z, x, y)
	}
	v, ok := hotspotAPIs.Load(s)
	if !ok {
		return nil, "", apperr.Errorf(apperr.Internal, "hotspot routes are not registered")
	}
	if err := p.Require(hotspotReaders); err != nil {
		return nil, "", err
	}
	q, err := parseHotspotQuery(params)
	if err != nil {
		return nil, "", err
	}
	res, resultTag, err := v.(*hotspotAPI).result(ctx, p, q, &hotspotTimings{})
	if err != nil {
		return nil, "", err
	}
	box, err := s.db.HotspotTileBox(ctx, z, x, y)
	if err != nil {
		return nil, "", err
	}
	box = grow(box, 2*res.Grid.Size) // cells reaching into the tile and its buffer
	var cells []postgres.HotspotTileCell
	for _, c := range res.Cells {
		ctr := res.Grid.Center(hotspotIndex(c))
		if ctr.X >= box.MinX && ctr.X <= box.MaxX && ctr.Y >= box.MinY && ctr.Y <= box.MaxY {
			cells = append(cells, postgres.HotspotTileCell{I: c.I, J: c.J, Count: c.Count, Bin: int32(c.Bin), Z: c.Z, Density: c.Density})
		}
	}
	etag = fmt.Sprintf(`"%x"`, fnv64(resultTag+fmt.Sprintf("/%d/%d/%d", z, x, y)))
	if len(cells) == 0 {
		return []byte{}, etag, nil
	}
	mvt, err = s.db.HotspotTile(ctx, res.Grid, cells, z, x, y)
	return mvt, etag, err
}
