// Package tiles holds the rules of trygg's map layers, free of HTTP and SQL: which
// layers exist and what fields they carry, the Web Mercator tile grid (z/x/y
// validation, bounds, pixels), the filters every layer accepts, how coarse public
// data must be (the sensitive-point grid and the cell size per zoom), and a
// size-bounded LRU cache of rendered tiles, each stamped with the data version it
// was built at, so that a new report makes only the tiles around it stale.
//
// Tiles themselves are built in PostGIS (internal/postgres/tiles.go); the HTTP side
// (internal/httpapi/tiles.go) wires the two.
package tiles
