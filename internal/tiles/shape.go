package tiles

import (
	"math"
	"net/url"

	"github.com/trygg/trygg/internal/apperr"
)

// Shape is the form of report_cells: squares or hexagons, both in SWEREF 99 TM
// (EPSG:3006) metres and aligned to a grid anchored at its origin, so one cell
// means the same thing in every tile and every request.
type Shape string

// The cell shapes.
const (
	Square Shape = "square"
	Hex    Shape = "hex"
)

// ParseShape reads the shape query parameter (default square).
func ParseShape(q url.Values) (Shape, error) {
	switch s := Shape(q.Get("shape")); s {
	case "", Square:
		return Square, nil
	case Hex:
		return Hex, nil
	default:
		return "", apperr.Field("shape", "shape must be square or hex, not %q", string(s))
	}
}

// CellSizeFor returns the size in metres of report_cells at zoom z: the side of
// a square (CellSize), or the edge of a hexagon (which is also its
// circumradius) chosen so the hexagon has the square's area, rounded to whole
// metres. A hexagon of edge e has area 3√3/2·e².
func CellSizeFor(shape Shape, z int) int {
	side := CellSize(z)
	if shape == Hex {
		return HexEdgeFor(side)
	}
	return side
}

// HexEdgeFor is the edge of the hexagon with the area of a square of side.
func HexEdgeFor(side int) int {
	return int(math.Round(float64(side) * math.Sqrt(2/(3*math.Sqrt(3)))))
}

// HexCell returns the axial coordinates (q, r) of the flat-topped hexagon of
// edge size that holds the SWEREF 99 TM point x, y. It is the Go twin of the SQL
// function hex_cell (migration 000012), for tests and clients.
func HexCell(x, y, size float64) (q, r int) {
	fq := 2.0 / 3 * x / size
	fr := (-x/3 + math.Sqrt(3)/3*y) / size
	fs := -fq - fr
	rq, rr, rs := math.RoundToEven(fq), math.RoundToEven(fr), math.RoundToEven(fs)
	dq, dr, ds := math.Abs(rq-fq), math.Abs(rr-fr), math.Abs(rs-fs)
	switch {
	case dq > dr && dq > ds:
		rq = -rr - rs
	case dr > ds:
		rr = -rq - rs
	}
	return int(rq), int(rr)
}

// HexCorners returns the six corners of hexagon q, r of edge size, counter-clockwise
// from the east corner, in SWEREF 99 TM metres.
func HexCorners(q, r int, size float64) [6][2]float64 {
	cx := size * 1.5 * float64(q)
	cy := size * math.Sqrt(3) * (float64(r) + float64(q)/2)
	var out [6][2]float64
	for i := range out {
		a := float64(60*i) * math.Pi / 180
		out[i] = [2]float64{cx + size*math.Cos(a), cy + size*math.Sin(a)}
	}
	return out
}
