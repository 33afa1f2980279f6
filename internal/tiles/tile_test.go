package tiles

import (
	"math"
	"testing"

	"github.com/trygg/trygg/internal/apperr"
)

func TestParseTile(t *testing.T) {
	tests := []struct {
		z, x, y string
		want    Tile
		format  Format
		field   string // "" when valid
	}{
		{"0", "0", "0.mvt", Tile{0, 0, 0}, MVT, ""},
		{"13", "4400", "2390.pbf", Tile{13, 4400, 2390}, PBF, ""},
		{"22", "4194303", "4194303.mvt", Tile{22, 4194303, 4194303}, MVT, ""},
		{"23", "0", "0.mvt", Tile{}, "", "z"},
		{"1", "2", "0.mvt", Tile{}, "", "x"},
		{"1", "0", "2.mvt", Tile{}, "", "y"},
		{"-1", "0", "0.mvt", Tile{}, "", "z"},
		{"+1", "0", "0.mvt", Tile{}, "", "z"},
		{"1", "0", "0.png", Tile{}, "", "y"},
		{"1", "0", "0", Tile{}, "", "y"},
		{"1", "0", "x.mvt", Tile{}, "", "y"},
		{"1", "1e3", "0.mvt", Tile{}, "", "x"},
		{"99999999999", "0", "0.mvt", Tile{}, "", "z"},
	}
	for _, tt := range tests {
		got, f, err := ParseTile(tt.z, tt.x, tt.y)
		if tt.field == "" {
			if err != nil || got != tt.want || f != tt.format {
				t.Errorf("ParseTile(%s,%s,%s) = %v %v %v, want %v %v", tt.z, tt.x, tt.y, got, f, err, tt.want, tt.format)
			}
			continue
		}
		e, ok := err.(*apperr.Error)
		if !ok || e.Kind != apperr.Invalid || e.Details.(map[string]string)["field"] != tt.field {
			t.Errorf("ParseTile(%s,%s,%s) error %v, want invalid field %s", tt.z, tt.x, tt.y, err, tt.field)
		}
	}
}

func TestBoundsAndPixel(t *testing.T) {
	// z 1 tile (1,0) is the north-east quarter of the world.
	w, s, e, n := Tile{1, 1, 0}.Bounds()
	if w != 0 || e != 180 || s != 0 || math.Abs(n-85.0511287798) > 1e-9 {
		t.Errorf("bounds of 1/1/0 = %v %v %v %v", w, s, e, n)
	}
	tests := []struct {
		tile     Tile
		lon, lat float64
		px, py   float64
	}{
		{Tile{0, 0, 0}, 0, 0, 2048, 2048},
		{Tile{0, 0, 0}, -180, 85.0511287798, 0, 0},
		{Tile{1, 1, 1}, 90, 0, 2048, 0},
		// Stockholm's city hall (18.0543 E, 59.3275 N) is at column 563.35445,
		// row 301.15673 at z 10 by the slippy-map formula (checked with Python).
		{Tile{10, 563, 301}, 18.0543, 59.3275, 0.3544533333 * 4096, 0.1567264378 * 4096},
	}
	for _, tt := range tests {
		px, py := tt.tile.Pixel(tt.lon, tt.lat)
		if math.Abs(px-tt.px) > 1e-5 || math.Abs(py-tt.py) > 1e-5 {
			t.Errorf("%v.Pixel(%v,%v) = %v,%v want %v,%v", tt.tile, tt.lon, tt.lat, px, py, tt.px, tt.py)
		}
	}
	if got := Containing(10, 18.0543, 59.3275); got != (Tile{10, 563, 301}) {
		t.Errorf("Containing = %v", got)
	}
}

func TestSquares(t *testing.T) {
	tests := []struct {
		tile Tile
		want VersionSquares
	}{
		// At z 10 and deeper: the ancestor square and one square around it.
		{Tile{10, 552, 301}, VersionSquares{551, 553, 300, 302}},
		{Tile{16, 552*64 + 5, 301*64 + 63}, VersionSquares{551, 553, 300, 302}},
		// At the world's edge the range is clipped.
		{Tile{12, 0, 0}, VersionSquares{0, 1, 0, 1}},
		// z 8 covers 4×4 squares; its 8 km cells need two squares of margin (1 + 2×8000/14000).
		{Tile{8, 138, 75}, VersionSquares{550, 557, 298, 305}},
		// z 4: 64×64 squares; 128 km cells need 1 + 2×128000/14000 = 19 squares.
		{Tile{4, 8, 4}, VersionSquares{493, 594, 237, 338}},
	}
	for _, tt := range tests {
		if got := tt.tile.Squares(); got != tt.want {
			t.Errorf("%v.Squares() = %+v, want %+v", tt.tile, got, tt.want)
		}
	}
}

func TestCellSize(t *testing.T) {
	want := map[int]int{0: 128000, 4: 128000, 5: 64000, 7: 16000, 10: 2000, 13: 250, 14: 125, 18: 125, 22: 125}
	for z, w := range want {
		if got := CellSize(z); got != w {
			t.Errorf("CellSize(%d) = %d, want %d", z, got, w)
		}
	}
	for z := 0; z <= MaxZoom; z++ {
		if CellSize(z) < SensitiveGridM {
			t.Errorf("CellSize(%d) finer than the sensitive grid", z)
		}
	}
}

func TestLookup(t *testing.T) {
	for _, name := range []string{"reports", "reports_public", "report_cells", "municipalities", "areas"} {
		if l, err := Lookup(name); err != nil || l.Name != name {
			t.Errorf("Lookup(%s) = %v, %v", name, l.Name, err)
		}
	}
	if _, err := Lookup("hotspots"); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("unknown layer: %v", err)
	}
	if l, _ := Lookup("reports"); l.Access != Staff {
		t.Error("reports must be a staff layer")
	}
	pub, _ := Lookup("reports_public")
	for _, f := range pub.Fields {
		if f.Name == "id" || f.Name == "description" || f.Name == "reference" {
			t.Errorf("public layer carries %s", f.Name)
		}
	}
}
