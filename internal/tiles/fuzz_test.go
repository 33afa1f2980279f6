package tiles

import (
	"fmt"
	"net/url"
	"testing"
)

// FuzzParseTile feeds arbitrary path segments and query strings to the parsers a
// tile URL goes through: they must either refuse the input or return a tile that
// exists and a filter whose key parses back to the same key.
func FuzzParseTile(f *testing.F) {
	f.Add("13", "4400", "2390.mvt", "category=OTR.SOC,FEL.LIGHT&from=2026-01-01")
	f.Add("0", "0", "0.pbf", "kind=otrygghet&to=2026-11-20T12:00:00Z")
	f.Add("22", "4194303", "1.mvt", "status=received,received")
	f.Fuzz(func(t *testing.T, z, x, y, query string) {
		tile, format, err := ParseTile(z, x, y)
		if err == nil {
			if tile.Validate() != nil || (format != MVT && format != PBF) {
				t.Fatalf("accepted %s/%s/%s as %v %s", z, x, y, tile, format)
			}
			if got := fmt.Sprintf("%d.%s", tile.Y, format); got != y && y[0] != '0' {
				t.Fatalf("y %q read as %q", y, got)
			}
			sq := tile.Squares()
			if sq.X0 > sq.X1 || sq.Y0 > sq.Y1 || sq.X0 < 0 || sq.X1 >= 1<<VersionZoom {
				t.Fatalf("squares %+v of %v", sq, tile)
			}
		}
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		flt, err := ParseFilter(q)
		if err != nil {
			return
		}
		again, err := ParseFilter(url.Values{
			"kind": flt.Kinds, "category": flt.Categories, "status": flt.Statuses,
		})
		if err != nil || again.Key() != (Filter{Kinds: flt.Kinds, Categories: flt.Categories, Statuses: flt.Statuses}).Key() {
			t.Fatalf("filter %q does not parse back: %v", flt.Key(), err)
		}
	})
}
