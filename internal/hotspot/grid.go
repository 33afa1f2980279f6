package hotspot

import "math"

// Shape is the form of the grid cells.
type Shape string

const (
	// Square cells: Size is the side length.
	Square Shape = "square"
	// Hex cells are flat-topped hexagons; Size is the edge length (equal to the
	// distance from centre to corner), as in PostGIS ST_HexagonGrid. Centres of
	// adjacent hexagons are √3·Size apart.
	Hex Shape = "hex"
)

// Point is a position in metres: X easting, Y northing (EPSG:3006).
type Point struct {
	X, Y float64
}

// Index addresses one cell: I counts columns eastwards, J rows northwards.
type Index struct {
	I, J int
}

// Box is an axis-aligned rectangle in metres.
type Box struct {
	MinX, MinY, MaxX, MaxY float64
}

// Grid is a regular tiling of the plane. The cell numbering is the one PostGIS
// uses, so the SQL side can bin with ST_SquareGrid/ST_HexagonGrid (origin 0,0)
// or rebuild a cell with ST_Square/ST_Hexagon(size, i, j, origin):
//
//   - Square: cell (i, j) is [Origin.X+i·Size, Origin.X+(i+1)·Size) ×
//     [Origin.Y+j·Size, Origin.Y+(j+1)·Size).
//   - Hex: cell (i, j) is centred at x = Origin.X + 1.5·Size·i,
//     y = Origin.Y + √3·Size·(j + ½·(|i| mod 2)); odd columns sit half a row
//     higher.
type Grid struct {
	Origin Point
	Size   float64
	Shape  Shape
}

// sqrt3 appears in every hexagon formula.
var sqrt3 = math.Sqrt(3)

// Validate reports whether the grid can be used.
func (g Grid) Validate() error {
	if g.Shape != Square && g.Shape != Hex {
		return invalid("unknown cell shape %q (want %q or %q)", g.Shape, Square, Hex)
	}
	if !(g.Size > 0) || math.IsInf(g.Size, 0) {
		return invalid("cell size must be a positive number of metres, got %v", g.Size)
	}
	if math.IsNaN(g.Origin.X) || math.IsNaN(g.Origin.Y) || math.IsInf(g.Origin.X, 0) || math.IsInf(g.Origin.Y, 0) {
		return invalid("grid origin must be finite")
	}
	return nil
}

// Area is the area of one cell in square metres.
func (g Grid) Area() float64 {
	if g.Shape == Hex {
		return 1.5 * sqrt3 * g.Size * g.Size
	}
	return g.Size * g.Size
}

// Spacing is the distance between the centres of two edge-sharing cells.
func (g Grid) Spacing() float64 {
	if g.Shape == Hex {
		return sqrt3 * g.Size
	}
	return g.Size
}

// Center is the centre point of cell c.
func (g Grid) Center(c Index) Point {
	if g.Shape == Hex {
		return Point{
			X: g.Origin.X + 1.5*g.Size*float64(c.I),
			Y: g.Origin.Y + sqrt3*g.Size*(float64(c.J)+hexShift(c.I)),
		}
	}
	return Point{
		X: g.Origin.X + (float64(c.I)+0.5)*g.Size,
		Y: g.Origin.Y + (float64(c.J)+0.5)*g.Size,
	}
}

// hexShift is how many rows a hex column is lifted: odd columns sit half a row
// up. Column -1 counts as odd (as abs(i) % 2 in PostGIS), so the pattern runs
// on unbroken through negative columns.
func hexShift(i int) float64 {
	if i%2 != 0 {
		return 0.5
	}
	return 0
}

// CellOf returns the cell that contains the point (x, y). For squares a point on
// a shared edge belongs to the cell east/north of it (floor), which is what
// floor((x - origin)/size) gives in SQL too.
func (g Grid) CellOf(x, y float64) Index {
	dx, dy := x-g.Origin.X, y-g.Origin.Y
	if g.Shape != Hex {
		return Index{I: int(math.Floor(dx / g.Size)), J: int(math.Floor(dy / g.Size))}
	}
	// A regular hexagonal tiling is the Voronoi diagram of its centres, so the
	// containing cell is the one with the nearest centre. A hexagon of column i
	// spans x within ±Size of its centre, so only the three columns around the
	// estimate can hold it, and within one column the nearest row is a rounding.
	i0 := int(math.Round(dx / (1.5 * g.Size)))
	best, bestD := Index{}, math.Inf(1)
	for i := i0 - 1; i <= i0+1; i++ {
		j := int(math.Round(dy/(sqrt3*g.Size) - hexShift(i)))
		c := Index{I: i, J: j}
		p := g.Center(c)
		d := (p.X-x)*(p.X-x) + (p.Y-y)*(p.Y-y)
		if d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// Corners returns the cell outline counter-clockwise (the orientation RFC 7946
// asks of GeoJSON exterior rings), without repeating the first corner: 4
// corners for a square starting south-west, 6 for a hexagon starting at its
// west corner (the same order as PostGIS ST_Hexagon).
func (g Grid) Corners(c Index) []Point {
	p := g.Center(c)
	if g.Shape == Hex {
		s, h := g.Size, g.Size*sqrt3/2
		return []Point{
			{p.X - s, p.Y}, {p.X - s/2, p.Y - h}, {p.X + s/2, p.Y - h},
			{p.X + s, p.Y}, {p.X + s/2, p.Y + h}, {p.X - s/2, p.Y + h},
		}
	}
	r := g.Size / 2
	return []Point{
		{p.X - r, p.Y - r}, {p.X + r, p.Y - r}, {p.X + r, p.Y + r}, {p.X - r, p.Y + r},
	}
}

// eachCenterIn calls fn for every cell whose centre lies in the box (edges
// included), column by column.
func (g Grid) eachCenterIn(b Box, fn func(c Index, p Point)) {
	colW, rowH := g.Size, g.Size
	if g.Shape == Hex {
		colW, rowH = 1.5*g.Size, sqrt3*g.Size
	}
	// One extra column and row on each side absorbs the half-row shift of hex
	// columns and rounding; the exact test is on the centre below.
	i0 := int(math.Floor((b.MinX-g.Origin.X)/colW)) - 1
	i1 := int(math.Ceil((b.MaxX-g.Origin.X)/colW)) + 1
	j0 := int(math.Floor((b.MinY-g.Origin.Y)/rowH)) - 1
	j1 := int(math.Ceil((b.MaxY-g.Origin.Y)/rowH)) + 1
	for i := i0; i <= i1; i++ {
		for j := j0; j <= j1; j++ {
			c := Index{I: i, J: j}
			p := g.Center(c)
			if p.X >= b.MinX && p.X <= b.MaxX && p.Y >= b.MinY && p.Y <= b.MaxY {
				fn(c, p)
			}
		}
	}
}
