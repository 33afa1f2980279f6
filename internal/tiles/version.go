package tiles

// Data versions make cached tiles stale only where data changed. The database keeps
// one version per VersionZoom tile ("version square"), bumped from a global
// sequence whenever a report inside it is inserted, updated or deleted (migration
// 000005). A tile's data version in the database is the sum of the versions of
// the squares it depends on, so it grows exactly when one of them changed (the
// largest would not do: stamps are drawn in an order that is not the commit
// order). Servers follow the same changes in memory (Versions, migration 000012).
//
// A tile depends on more than the squares it covers: the MVT buffer, the 100 m
// coarsening of sensitive points and cells that straddle its edge all draw on
// reports just outside it. A margin of one square (at least 14 km across in Sweden,
// z 10 at 69° N) covers the buffer and the coarsening; the margin grows with the
// cell size at low zooms so a straddling cell (square or hexagon) is covered too.
const VersionZoom = 10

// VersionSquares is the inclusive range of version squares (x0..x1, y0..y1 at
// VersionZoom) a tile's content depends on.
type VersionSquares struct {
	X0, X1, Y0, Y1 int
}

// Squares returns the version squares tile t depends on.
func (t Tile) Squares() VersionSquares {
	var x0, x1, y0, y1 int
	if t.Z >= VersionZoom {
		s := t.Z - VersionZoom
		x0, x1, y0, y1 = t.X>>s, t.X>>s, t.Y>>s, t.Y>>s
	} else {
		s := VersionZoom - t.Z
		x0, y0 = t.X<<s, t.Y<<s
		x1, y1 = x0+(1<<s)-1, y0+(1<<s)-1
	}
	// A cell reaches at most CellSize from a report in it (a hexagon of the
	// square's area: 1.24 × CellSize across); two sizes keep both covered.
	m := 1 + 2*CellSize(t.Z)/minSquareM
	last := 1<<VersionZoom - 1
	return VersionSquares{
		X0: max(x0-m, 0), X1: min(x1+m, last),
		Y0: max(y0-m, 0), Y1: min(y1+m, last),
	}
}

// minSquareM is the ground width of a version square at Sweden's northern tip
// (40 075 km / 2^10 × cos 69°), the narrowest it gets.
const minSquareM = 14000
