package report

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
)

func TestQueryFilter(t *testing.T) {
	scope := []string{"1781", "1782"}
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	cur := Cursor{ReceivedAt: time.Date(2026, 11, 20, 17, 3, 4, 123456000, time.UTC), ID: uuid.MustParse("7a0d8a3e-4c55-4f0e-9a55-2d6f0c1b2a10")}
	tests := []struct {
		name  string
		q     Query
		kind  apperr.Kind // "" = no error
		field string
		check func(t *testing.T, f Filter)
	}{
		{name: "defaults to the whole scope and 50", q: Query{}, check: func(t *testing.T, f Filter) {
			if len(f.Municipalities) != 2 || f.Limit != 50 || f.After != nil || f.BBox != nil {
				t.Errorf("got %+v", f)
			}
		}},
		{name: "municipality subset", q: Query{Municipality: "1782"}, check: func(t *testing.T, f Filter) {
			if len(f.Municipalities) != 1 || f.Municipalities[0] != "1782" {
				t.Errorf("municipalities %v", f.Municipalities)
			}
		}},
		{name: "municipality outside scope", q: Query{Municipality: "1781,1290"}, kind: apperr.Forbidden},
		{name: "municipality malformed", q: Query{Municipality: "17x1"}, kind: apperr.Invalid, field: "municipality"},
		{name: "statuses", q: Query{Status: "received, triaged"}, check: func(t *testing.T, f Filter) {
			if len(f.Statuses) != 2 || f.Statuses[0] != Received || f.Statuses[1] != Triaged {
				t.Errorf("statuses %v", f.Statuses)
			}
		}},
		{name: "unknown status", q: Query{Status: "received,done"}, kind: apperr.Invalid, field: "status"},
		{name: "unknown kind", q: Query{Kind: "brott"}, kind: apperr.Invalid, field: "kind"},
		{name: "category group", q: Query{Category: "OTR.SOC"}, check: func(t *testing.T, f Filter) {
			if f.Category != "OTR.SOC" {
				t.Errorf("category %q", f.Category)
			}
		}},
		{name: "category with LIKE wildcard", q: Query{Category: "OTR%"}, kind: apperr.Invalid, field: "category"},
		{name: "lower-case category", q: Query{Category: "fel.light"}, kind: apperr.Invalid, field: "category"},
		{name: "bbox", q: Query{BBox: "14.05, 59.28,14.16,59.34"}, check: func(t *testing.T, f Filter) {
			if f.BBox == nil || *f.BBox != (BBox{14.05, 59.28, 14.16, 59.34}) {
				t.Errorf("bbox %+v", f.BBox)
			}
		}},
		{name: "bbox three numbers", q: Query{BBox: "14,59,15"}, kind: apperr.Invalid, field: "bbox"},
		{name: "bbox inverted", q: Query{BBox: "15,59,14,60"}, kind: apperr.Invalid, field: "bbox"},
		{name: "bbox NaN", q: Query{BBox: "NaN,59,15,60"}, kind: apperr.Invalid, field: "bbox"},
		{name: "bbox latitude out of range", q: Query{BBox: "14,-91,15,60"}, kind: apperr.Invalid, field: "bbox"},
		{name: "from and to", q: Query{From: "2026-11-01T00:00:00Z", To: "2026-11-08T00:00:00+01:00"}, check: func(t *testing.T, f Filter) {
			if !f.From.Equal(from) || !f.To.Equal(time.Date(2026, 11, 7, 23, 0, 0, 0, time.UTC)) {
				t.Errorf("from %v to %v", f.From, f.To)
			}
		}},
		{name: "from not a time", q: Query{From: "2026-11-01"}, kind: apperr.Invalid, field: "from"},
		{name: "to before from", q: Query{From: "2026-11-08T00:00:00Z", To: "2026-11-01T00:00:00Z"}, kind: apperr.Invalid, field: "to"},
		{name: "visibility", q: Query{Visibility: "hidden"}, check: func(t *testing.T, f Filter) {
			if f.Visibility != Hidden {
				t.Errorf("visibility %q", f.Visibility)
			}
		}},
		{name: "unknown visibility", q: Query{Visibility: "secret"}, kind: apperr.Invalid, field: "visibility"},
		{name: "limit", q: Query{Limit: "200"}, check: func(t *testing.T, f Filter) {
			if f.Limit != 200 {
				t.Errorf("limit %d", f.Limit)
			}
		}},
		{name: "limit zero", q: Query{Limit: "0"}, kind: apperr.Invalid, field: "limit"},
		{name: "limit too big", q: Query{Limit: "201"}, kind: apperr.Invalid, field: "limit"},
		{name: "limit not a number", q: Query{Limit: "ten"}, kind: apperr.Invalid, field: "limit"},
		{name: "cursor round trip", q: Query{Cursor: cur.Encode()}, check: func(t *testing.T, f Filter) {
			if f.After == nil || !f.After.ReceivedAt.Equal(cur.ReceivedAt) || f.After.ID != cur.ID {
				t.Errorf("cursor %+v, want %+v", f.After, cur)
			}
		}},
		{name: "cursor garbage", q: Query{Cursor: "not-a-cursor"}, kind: apperr.Invalid, field: "cursor"},
		{name: "text trimmed", q: Query{Text: "  gatlampa  "}, check: func(t *testing.T, f Filter) {
			if f.Text != "gatlampa" {
				t.Errorf("text %q", f.Text)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := tt.q.Filter(scope)
			if tt.kind != "" {
				e, ok := apperr.As(err)
				if !ok || e.Kind != tt.kind {
					t.Fatalf("error %v, want kind %s", err, tt.kind)
				}
				if tt.field != "" {
					if d, _ := e.Details.(map[string]string); d["field"] != tt.field {
						t.Errorf("details %v, want field %s", e.Details, tt.field)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, f)
		})
	}
}

func TestCursorIsOpaqueAndExact(t *testing.T) {
	// A cursor's time must survive to the microsecond, PostgreSQL's precision,
	// or a page boundary would skip or repeat rows received in the same second.
	c := Cursor{ReceivedAt: time.Date(2026, 1, 2, 3, 4, 5, 999999000, time.FixedZone("CET", 3600)), ID: uuid.New()}
	s := c.Encode()
	if len(s) != 32 {
		t.Errorf("encoded length %d, want 32", len(s))
	}
	got, err := DecodeCursor(s)
	if err != nil {
		t.Fatal(err)
	}
	if !got.ReceivedAt.Equal(c.ReceivedAt) || got.ID != c.ID {
		t.Errorf("got %+v, want %+v", got, c)
	}
	if _, err := DecodeCursor(s[:30]); err == nil {
		t.Error("a truncated cursor was accepted")
	}
}
