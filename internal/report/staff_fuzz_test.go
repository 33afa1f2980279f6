package report

import (
	"slices"
	"testing"
)

// FuzzStaffQuery feeds the queue filter arbitrary query strings: it must never
// panic, and whatever it accepts must stay inside the token's scope and the
// paging limits, with a bounding box that is a real box.
func FuzzStaffQuery(f *testing.F) {
	f.Add("1781", "OTR.SOC", "received,triaged", "14.05,59.28,14.16,59.34", "2026-11-01T00:00:00Z", "gatlampa", "50", "")
	f.Add("1781,1290", "fel.light", "done", "15,59,14,60", "yesterday", "", "0", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	f.Add(" 1782 ,1781", "", "", "NaN,1,2,3", "", "  ", "200", "not-a-cursor")
	scope := []string{"1781", "1782"}
	f.Fuzz(func(t *testing.T, muni, category, status, bbox, from, text, limit, cursor string) {
		q := Query{Municipality: muni, Category: category, Status: status, BBox: bbox, From: from, Text: text, Limit: limit, Cursor: cursor}
		flt, err := q.Filter(scope)
		if err != nil {
			return
		}
		if len(flt.Municipalities) == 0 {
			t.Fatal("accepted filter has no municipalities")
		}
		for _, m := range flt.Municipalities {
			if !slices.Contains(scope, m) {
				t.Fatalf("municipality %q outside the scope", m)
			}
		}
		if flt.Limit < 1 || flt.Limit > MaxPageSize {
			t.Fatalf("limit %d", flt.Limit)
		}
		if b := flt.BBox; b != nil && !(b.MinLon < b.MaxLon && b.MinLat < b.MaxLat && b.MinLon >= -180 && b.MaxLat <= 90) {
			t.Fatalf("bbox %+v", *b)
		}
		for _, s := range flt.Statuses {
			if !s.Valid() {
				t.Fatalf("status %q", s)
			}
		}
		if c := flt.After; c != nil && c.Encode() != cursor {
			t.Fatalf("cursor %q re-encodes as %q", cursor, c.Encode())
		}
	})
}
