package tiles

import (
	"math"
	"strconv"
	"strings"

	"github.com/trygg/trygg/internal/apperr"
)

// MaxZoom is the deepest zoom served. At z 22 a tile is about 10 m across in
// Sweden, finer than any report's accuracy.
const MaxZoom = 22

// Extent is the MVT coordinate range of one tile side; Buffer is how many of those
// units a feature may reach past the edge so symbols are not cut at tile seams.
const (
	Extent = 4096
	Buffer = 64
)

// Tile is one Web Mercator (EPSG:3857) tile in the XYZ scheme: y grows southwards.
type Tile struct {
	Z, X, Y int
}

// Format is the encoding asked for by the last path segment.
type Format string

// Formats of the tile route: .mvt and .pbf are the same bytes.
const (
	MVT Format = "mvt"
	PBF Format = "pbf"
)

// ParseTile checks z, x and "y.mvt" / "y.pbf" from a tile URL.
func ParseTile(z, x, yWithExt string) (Tile, Format, error) {
	yStr, ext, ok := strings.Cut(yWithExt, ".")
	if !ok || (ext != string(MVT) && ext != string(PBF)) {
		return Tile{}, "", apperr.Field("y", "the last segment must be the row followed by .mvt or .pbf, not %q", yWithExt)
	}
	t := Tile{}
	var err error
	if t.Z, err = coordinate("z", z); err != nil {
		return Tile{}, "", err
	}
	if t.X, err = coordinate("x", x); err != nil {
		return Tile{}, "", err
	}
	if t.Y, err = coordinate("y", yStr); err != nil {
		return Tile{}, "", err
	}
	return t, Format(ext), t.Validate()
}

func coordinate(name, s string) (int, error) {
	// Atoi accepts "+1"; a tile URL is plain digits.
	if s == "" || strings.Trim(s, "0123456789") != "" || len(s) > 8 {
		return 0, apperr.Field(name, "%s must be a non-negative integer, not %q", name, s)
	}
	n, _ := strconv.Atoi(s)
	return n, nil
}

// Validate checks that the tile exists at its zoom.
func (t Tile) Validate() error {
	if t.Z < 0 || t.Z > MaxZoom {
		return apperr.Field("z", "zoom %d is outside 0..%d", t.Z, MaxZoom)
	}
	n := 1 << t.Z
	if t.X < 0 || t.X >= n {
		return apperr.Field("x", "x %d is outside 0..%d at zoom %d", t.X, n-1, t.Z)
	}
	if t.Y < 0 || t.Y >= n {
		return apperr.Field("y", "y %d is outside 0..%d at zoom %d", t.Y, n-1, t.Z)
	}
	return nil
}

// Bounds returns the tile's west, south, east and north edges in degrees.
func (t Tile) Bounds() (west, south, east, north float64) {
	n := float64(int(1) << t.Z)
	west = float64(t.X)/n*360 - 180
	east = float64(t.X+1)/n*360 - 180
	north = latOf(float64(t.Y) / n)
	south = latOf(float64(t.Y+1) / n)
	return
}

func latOf(yFrac float64) float64 {
	return math.Atan(math.Sinh(math.Pi*(1-2*yFrac))) * 180 / math.Pi
}

// Pixel returns where a WGS 84 point falls in the tile's MVT coordinates
// (0..Extent, y downwards); points outside the tile give values outside that range.
func (t Tile) Pixel(lon, lat float64) (px, py float64) {
	n := float64(int(1) << t.Z)
	fx := (lon + 180) / 360
	s := math.Sin(lat * math.Pi / 180)
	fy := 0.5 - math.Log((1+s)/(1-s))/(4*math.Pi)
	return (fx*n - float64(t.X)) * Extent, (fy*n - float64(t.Y)) * Extent
}

// Containing returns the tile at zoom z that holds a WGS 84 point.
func Containing(z int, lon, lat float64) Tile {
	t := Tile{Z: z}
	px, py := t.Pixel(lon, lat)
	n := 1 << z
	t.X = min(max(int(math.Floor(px/Extent)), 0), n-1)
	t.Y = min(max(int(math.Floor(py/Extent)), 0), n-1)
	return t
}
