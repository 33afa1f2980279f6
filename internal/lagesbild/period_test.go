package lagesbild

import (
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, s, Stockholm)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParsePeriod(t *testing.T) {
	cases := []struct {
		in, from, to, prev, lastYear string
		hours                        float64
	}{
		// 2026 begins on a Thursday, so ISO week 1 starts on 29 December 2025.
		{"2026-W47", "2026-11-16", "2026-11-23", "2026-W46", "2025-W47", 168},
		// 2026 has 53 ISO weeks; 2025 has 52, so last year's match is week 52.
		{"2026-W53", "2026-12-28", "2027-01-04", "2026-W52", "2025-W52", 168},
		{"2027-W01", "2027-01-04", "2027-01-11", "2026-W53", "2026-W01", 168},
		{"2020-W53", "2020-12-28", "2021-01-04", "2020-W52", "2019-W52", 168},
		// Summer time starts 29 March 2026 and ends 25 October 2026.
		{"2026-W13", "2026-03-23", "2026-03-30", "2026-W12", "2025-W13", 167},
		{"2026-W43", "2026-10-19", "2026-10-26", "2026-W42", "2025-W43", 169},
		{"2026-03", "2026-03-01", "2026-04-01", "2026-02", "2025-03", 31*24 - 1},
		{"2026-01", "2026-01-01", "2026-02-01", "2025-12", "2025-01", 31 * 24},
		{"2026-Q1", "2026-01-01", "2026-04-01", "2025-Q4", "2025-Q1", 90*24 - 1},
		{"2026-Q4", "2026-10-01", "2027-01-01", "2026-Q3", "2025-Q4", 92*24 + 1},
		{"2026", "2026-01-01", "2027-01-01", "2025", "2025", 365 * 24},
		{"2026-01-01..2026-03-31", "2026-01-01", "2026-04-01", "2025-10-03..2025-12-31", "2025-01-01..2025-03-31", 90*24 - 1},
		{"2025-12-29..2026-01-04", "2025-12-29", "2026-01-05", "2025-12-22..2025-12-28", "2024-12-29..2025-01-04", 168},
	}
	for _, c := range cases {
		p, err := ParsePeriod(c.in)
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		if !p.From.Equal(day(c.from)) || !p.To.Equal(day(c.to)) {
			t.Errorf("%s: got %s..%s, want %s..%s", c.in, p.From, p.To, c.from, c.to)
		}
		if got := p.To.Sub(p.From).Hours(); got != c.hours {
			t.Errorf("%s: %v hours, want %v", c.in, got, c.hours)
		}
		if p.Label != c.in {
			t.Errorf("%s: label %q", c.in, p.Label)
		}
		if got := p.Previous().Label; got != c.prev {
			t.Errorf("%s: previous %s, want %s", c.in, got, c.prev)
		}
		if got := p.LastYear().Label; got != c.lastYear {
			t.Errorf("%s: last year %s, want %s", c.in, got, c.lastYear)
		}
	}
}

func TestParsePeriodRefuses(t *testing.T) {
	for _, in := range []string{"2021-W53", "2026-W00", "2026-13", "2026-Q5", "2026-02-30..2026-03-01", "2026-03-01..2026-02-01", "2020-01-01..2026-01-01", "last week", ""} {
		if _, err := ParsePeriod(in); err == nil {
			t.Errorf("%q parsed", in)
		}
	}
}

func TestISOWeeks(t *testing.T) {
	for y, want := range map[int]int{2015: 53, 2019: 52, 2020: 53, 2021: 52, 2025: 52, 2026: 53, 2032: 53} {
		if got := ISOWeeks(y); got != want {
			t.Errorf("%d: %d weeks, want %d", y, got, want)
		}
	}
}
