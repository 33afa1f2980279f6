package tiles

import (
	"net/url"
	"testing"
	"time"

	"github.com/trygg/trygg/internal/apperr"
)

func TestParseFilter(t *testing.T) {
	tests := []struct {
		query   string
		key     string
		invalid string
	}{
		{"", "k=;c=;s=", ""},
		{"kind=otrygghet", "k=otrygghet;c=;s=", ""},
		{"category=OTR.SOC,FEL.LIGHT,OTR.SOC&status=received", "k=;c=FEL.LIGHT,OTR.SOC;s=received", ""},
		{"category=FEL.LIGHT&category=OTR.SOC", "k=;c=FEL.LIGHT,OTR.SOC;s=", ""},
		// A Swedish day: 2026-11-05 starts at 23:00 UTC the day before (CET).
		{"from=2026-11-05&to=2026-11-05", "k=;c=;s=;f=2026-11-04T23:00:00Z;t=2026-11-05T23:00:00Z", ""},
		{"from=2026-07-01T12:00:00%2B02:00", "k=;c=;s=;f=2026-07-01T10:00:00Z", ""},
		{"kind=other", "", "kind"},
		{"category=otr.soc", "", "category"},
		{"category=OTR.", "", "category"},
		{"status=open", "", "status"},
		{"from=yesterday", "", "from"},
		{"from=2026-11-06&to=2026-11-05", "", "to"},
	}
	for _, tt := range tests {
		q, _ := url.ParseQuery(tt.query)
		f, err := ParseFilter(q)
		if tt.invalid != "" {
			e, ok := err.(*apperr.Error)
			if !ok || e.Details.(map[string]string)["field"] != tt.invalid {
				t.Errorf("%q: error %v, want field %s", tt.query, err, tt.invalid)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.query, err)
			continue
		}
		if got := f.Key(); got != tt.key {
			t.Errorf("%q: key %q, want %q", tt.query, got, tt.key)
		}
	}
}

func TestKeyDependsOnEverything(t *testing.T) {
	base := Key("reports", Tile{10, 1, 2}, Filter{}, nil)
	others := []string{
		Key("reports_public", Tile{10, 1, 2}, Filter{}, nil),
		Key("reports", Tile{10, 2, 1}, Filter{}, nil),
		Key("reports", Tile{11, 1, 2}, Filter{}, nil),
		Key("reports", Tile{10, 1, 2}, Filter{Kinds: []string{"otrygghet"}}, nil),
		Key("reports", Tile{10, 1, 2}, Filter{From: time.Unix(0, 0)}, nil),
		Key("reports", Tile{10, 1, 2}, Filter{}, []string{"1781"}),
		Key("reports", Tile{10, 1, 2}, Filter{}, []string{"1781", "1782"}),
	}
	seen := map[string]bool{base: true}
	for _, k := range others {
		if seen[k] {
			t.Errorf("key %q collides", k)
		}
		seen[k] = true
	}
}
