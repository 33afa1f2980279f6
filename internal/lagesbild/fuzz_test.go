package lagesbild

import "testing"

// FuzzParsePeriod: whatever parses is a non-empty range of whole local days
// whose label parses back to the same range, and its previous period ends
// where it starts (custom ranges) or before it (calendar periods).
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2026-W47", "2026-W53", "2026-11", "2026-Q3", "2026", "2026-01-01..2026-03-31", "2021-W53", "0000-W01", "9999-12"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePeriod(s)
		if err != nil {
			return
		}
		if !p.From.Before(p.To) {
			t.Fatalf("%q: empty range %s..%s", s, p.From, p.To)
		}
		if h, m, sec := p.From.Clock(); h != 0 || m != 0 || sec != 0 {
			t.Fatalf("%q: starts at %s, not midnight", s, p.From)
		}
		q, err := ParsePeriod(p.Label)
		if err != nil || !q.From.Equal(p.From) || !q.To.Equal(p.To) {
			t.Fatalf("%q: label %q parses to %v..%v (%v)", s, p.Label, q.From, q.To, err)
		}
		if prev := p.Previous(); prev.To.After(p.From) {
			t.Fatalf("%q: previous %s overlaps", s, prev.Label)
		}
	})
}
