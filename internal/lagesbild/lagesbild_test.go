package lagesbild

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestCompare(t *testing.T) {
	pct := func(f float64) *float64 { return &f }
	cases := []struct {
		now, before, diff int
		percent           *float64
	}{
		{12, 10, 2, pct(20)},
		{0, 4, -4, pct(-100)},
		{5, 0, 5, nil},
		{1, 3, -2, pct(-66.7)},
		{7, 7, 0, pct(0)},
	}
	for _, c := range cases {
		got := Compare(c.now, c.before)
		if got.Diff != c.diff || (got.Percent == nil) != (c.percent == nil) || (got.Percent != nil && *got.Percent != *c.percent) {
			t.Errorf("Compare(%d, %d) = %+v", c.now, c.before, got)
		}
	}
}

var tree = []CategoryInfo{
	{Code: "OTR", Kind: "otrygghet", IsGroup: true, Name: "Otrygghet"},
	{Code: "OTR.SOC", Parent: "OTR", Kind: "otrygghet", IsGroup: true, Name: "Socialt"},
	{Code: "OTR.SOC.GATHER", Parent: "OTR.SOC", Kind: "otrygghet", Name: "Gäng"},
	{Code: "OTR.SOC.HARASS", Parent: "OTR.SOC", Kind: "otrygghet", Name: "Trakasserier"},
	{Code: "OTR.FIRE", Parent: "OTR", Kind: "otrygghet", Name: "Brand"},
	{Code: "FEL", Kind: "felanmalan", IsGroup: true, Name: "Felanmälan"},
	{Code: "FEL.LIGHT", Parent: "FEL", Kind: "felanmalan", Name: "Belysning"},
}

func TestRollup(t *testing.T) {
	got := Rollup(tree, map[string]int{"OTR.SOC.GATHER": 4, "OTR.SOC.HARASS": 1, "OTR.FIRE": 2, "FEL.LIGHT": 9})
	want := map[string]int{"OTR": 7, "OTR.SOC": 5, "OTR.SOC.GATHER": 4, "OTR.SOC.HARASS": 1, "OTR.FIRE": 2, "FEL": 9, "FEL.LIGHT": 9}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %d, want %d", k, got[k], v)
		}
	}
}

func TestBuildAndPublic(t *testing.T) {
	a, b := uuid.New(), uuid.New()
	src := Source{
		Municipality: "1781", Categories: tree,
		Areas:    []AreaInfo{{ID: a, Name: "Centrum"}, {ID: b, Name: "Vålberg", Priority: true}},
		Current:  Counts{ByCategory: map[string]int{"OTR.SOC.GATHER": 4, "OTR.SOC.HARASS": 1, "FEL.LIGHT": 9}, ByArea: map[uuid.UUID]int{a: 2, b: 8}},
		Previous: Counts{ByCategory: map[string]int{"OTR.SOC.GATHER": 2, "FEL.LIGHT": 10}, ByArea: map[uuid.UUID]int{b: 4}},
		LastYear: Counts{ByCategory: map[string]int{"OTR.FIRE": 1}},
	}
	r := Request{Municipality: "1781", Period: WeekPeriod(2026, 47)}
	l := Build(r, src, time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC))
	if l.Totals[0].Key != "otrygghet" || l.Totals[0].Count != 5 || l.Totals[0].Previous.Diff != 3 || *l.Totals[0].Previous.Percent != 150 {
		t.Errorf("otrygghet total %+v %+v", l.Totals[0], l.Totals[0].Previous)
	}
	if l.Totals[1].Count != 9 || *l.Totals[1].Previous.Percent != -10 || l.Totals[1].LastYear.Percent != nil {
		t.Errorf("felanmalan total %+v", l.Totals[1])
	}
	byKey := map[string]Row{}
	for _, c := range l.Categories {
		byKey[c.Key] = c
	}
	if byKey["OTR.SOC"].Count != 5 || !byKey["OTR.SOC"].Group || byKey["OTR.FIRE"].Count != 0 || byKey["OTR.FIRE"].LastYear.Before != 1 {
		t.Errorf("categories %+v", l.Categories)
	}
	if len(l.Areas) != 2 || l.Areas[0].Name != "Vålberg" || l.Areas[0].Count != 8 || *l.Areas[0].Previous.Percent != 100 {
		t.Errorf("areas %+v", l.Areas)
	}
	if l.PreviousLabel != "2026-W46" || l.LastYearLabel != "2025-W47" {
		t.Errorf("labels %s %s", l.PreviousLabel, l.LastYearLabel)
	}

	p := Public(l, MinPublicCount)
	pub := map[string]Row{}
	for _, c := range p.Categories {
		pub[c.Key] = c
	}
	if h := pub["OTR.SOC.HARASS"]; !h.Suppressed || h.Count != 0 || h.Previous != nil {
		t.Errorf("a single harassment report is shown publicly: %+v", h)
	}
	// 4 now, but it is the harassment report's only sibling with reports under
	// a shown OTR.SOC, so it is suppressed as well (else OTR.SOC − 4 = 1).
	if g := pub["OTR.SOC.GATHER"]; !g.Suppressed || g.Count != 0 || g.Previous != nil {
		t.Errorf("gather %+v", g)
	}
	if c := p.Areas[1]; c.Name != "Centrum" || !c.Suppressed {
		t.Errorf("area with 2 reports %+v", c)
	}
	if l9 := pub["FEL.LIGHT"]; l9.Count != 9 || l9.Previous == nil {
		t.Errorf("large counts keep their change: %+v", l9)
	}
	if !p.Public || p.Hotspots != nil || l.Public {
		t.Error("public flag or cells wrong; Public must not change its argument")
	}
}

// TestPublicCannotBeDifferenced: a suppressed category must not be recoverable
// as its parent minus its shown siblings, nor the kind total minus the shown
// top categories.
func TestPublicCannotBeDifferenced(t *testing.T) {
	tree := []CategoryInfo{
		{Code: "OTR", Kind: "otrygghet", IsGroup: true},
		{Code: "OTR.SOC", Parent: "OTR", Kind: "otrygghet", IsGroup: true},
		{Code: "OTR.SOC.A", Parent: "OTR.SOC", Kind: "otrygghet"},
		{Code: "OTR.SOC.B", Parent: "OTR.SOC", Kind: "otrygghet"},
		{Code: "OTR.SOC.C", Parent: "OTR.SOC", Kind: "otrygghet"},
		{Code: "OTR.PLACE", Parent: "OTR", Kind: "otrygghet", IsGroup: true},
		{Code: "OTR.PLACE.D", Parent: "OTR.PLACE", Kind: "otrygghet"},
	}
	cur := map[string]int{"OTR.SOC.A": 1, "OTR.SOC.B": 7, "OTR.SOC.C": 9, "OTR.PLACE.D": 20}
	prev := map[string]int{"OTR.SOC.A": 6, "OTR.SOC.B": 2, "OTR.SOC.C": 5, "OTR.PLACE.D": 20}
	p, _ := ParsePeriod("2026-11")
	l := Build(Request{Municipality: "1781", Period: p}, Source{Categories: tree,
		Current: Counts{ByCategory: cur}, Previous: Counts{ByCategory: prev}, LastYear: Counts{ByCategory: prev}}, time.Time{})
	pub := Public(l, MinPublicCount)
	rows := map[string]Row{}
	for _, r := range pub.Categories {
		rows[r.Key] = r
	}
	// A (1) is hidden; the parent OTR.SOC (17) is shown, so B (7, the smallest
	// other) must go too, while C stays.
	if !rows["OTR.SOC.A"].Suppressed || !rows["OTR.SOC.B"].Suppressed || rows["OTR.SOC.C"].Suppressed || rows["OTR.SOC"].Count != 17 {
		t.Errorf("siblings: A %+v B %+v C %+v", rows["OTR.SOC.A"], rows["OTR.SOC.B"], rows["OTR.SOC.C"])
	}
	// Previous period: B had 2 (its change dropped); A's change must go too.
	if rows["OTR.SOC.B"].Previous != nil || rows["OTR.SOC.A"].Previous != nil || rows["OTR.SOC.C"].Previous == nil {
		t.Errorf("changes: A %+v B %+v C %+v", rows["OTR.SOC.A"].Previous, rows["OTR.SOC.B"].Previous, rows["OTR.SOC.C"].Previous)
	}
	// Whatever is shown, no hidden count is a difference of shown ones.
	for _, parent := range []string{"OTR.SOC"} {
		shown, hidden := 0, 0
		for _, r := range pub.Categories {
			if r.Parent == parent {
				if r.Suppressed {
					hidden++
				} else {
					shown += r.Count
				}
			}
		}
		if hidden == 1 {
			t.Errorf("%s: one hidden child = %d − %d", parent, rows[parent].Count, shown)
		}
	}
}

// TestPublicFelanmalan: the handling figures count the same felanmälningar as
// the kind's total, so small ones are hidden as it is, with the median that
// would give a single case's exact time.
func TestPublicFelanmalan(t *testing.T) {
	d := func(f float64) *float64 { return &f }
	cases := []struct {
		in, want Felanmalan
	}{
		{Felanmalan{Opened: 12, Resolved: 7, OpenAtEnd: 5, MedianOpenAgeDays: d(3), MedianDaysToResolve: d(2)},
			Felanmalan{Opened: 12, Resolved: 7, OpenAtEnd: 5, MedianOpenAgeDays: d(3), MedianDaysToResolve: d(2)}},
		{Felanmalan{Opened: 2, Resolved: 1, OpenAtEnd: 4, MedianOpenAgeDays: d(3), MedianDaysToResolve: d(2)},
			Felanmalan{OpenAtEnd: 4, MedianOpenAgeDays: d(3), Suppressed: []string{"opened", "resolved", "median_days_to_resolve"}}},
		{Felanmalan{Opened: 3, OpenAtEnd: 1, MedianOpenAgeDays: d(0.5)},
			Felanmalan{Opened: 3, Suppressed: []string{"open_at_end", "median_open_age_days"}}},
		{Felanmalan{}, Felanmalan{}},
	}
	for i, c := range cases {
		got := Public(Lagesbild{Felanmalan: c.in}, MinPublicCount).Felanmalan
		eq := func(a, b *float64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
		if got.Opened != c.want.Opened || got.Resolved != c.want.Resolved || got.OpenAtEnd != c.want.OpenAtEnd ||
			!eq(got.MedianOpenAgeDays, c.want.MedianOpenAgeDays) || !eq(got.MedianDaysToResolve, c.want.MedianDaysToResolve) ||
			strings.Join(got.Suppressed, ",") != strings.Join(c.want.Suppressed, ",") {
			t.Errorf("%d: %+v, want %+v", i, got, c.want)
		}
	}
}
