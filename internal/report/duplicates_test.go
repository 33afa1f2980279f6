package report

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/category"
)

// taxonomy is a slice of the seeded categories with their seeded radii.
var taxonomy = func() map[string]category.Category {
	m := map[string]category.Category{}
	for _, c := range []category.Category{
		{Code: "FEL", Kind: "felanmalan", IsGroup: true, RadiusM: 50},
		{Code: "FEL.LIGHT", Kind: "felanmalan", Parent: "FEL", RadiusM: 30},
		{Code: "FEL.ROAD", Kind: "felanmalan", Parent: "FEL", RadiusM: 100},
		{Code: "OTR", Kind: "otrygghet", IsGroup: true, RadiusM: 100},
		{Code: "OTR.PLACE", Kind: "otrygghet", Parent: "OTR", IsGroup: true, RadiusM: 100},
		{Code: "OTR.PLACE.LIGHT", Kind: "otrygghet", Parent: "OTR.PLACE", RadiusM: 50},
		{Code: "OTR.PLACE.VEG", Kind: "otrygghet", Parent: "OTR.PLACE", RadiusM: 50},
		{Code: "OTR.PLACE.OLD", Kind: "otrygghet", Parent: "OTR.PLACE", RadiusM: 50},
		{Code: "OTR.SOC", Kind: "otrygghet", Parent: "OTR", IsGroup: true, RadiusM: 100},
		{Code: "OTR.SOC.GATHER", Kind: "otrygghet", Parent: "OTR.SOC", RadiusM: 100},
	} {
		c.Active = c.Code != "OTR.PLACE.OLD"
		m[c.Code] = c
	}
	return m
}()

func TestDuplicateScore(t *testing.T) {
	day := time.Date(2026, 11, 2, 21, 0, 0, 0, time.UTC)
	lamp := Sighting{Category: "FEL.LIGHT", X: 447000, Y: 6580000, ObservedAt: day}
	at := func(s Sighting, cat string, dx float64, later time.Duration, text string) Sighting {
		s.Category, s.X, s.ObservedAt, s.Description = cat, s.X+dx, s.ObservedAt.Add(later), text
		return s
	}
	withText := lamp
	withText.Description = "Gatlampan vid busshållplatsen är trasig"
	tests := []struct {
		name      string
		a, b      Sighting
		want      float64 // by hand from the formula in DuplicateScore
		wantMatch string
	}{
		// 1 × (1 − 5/60) × (1 − 1/30) × 0.9 (no text: neutral)
		{"same lamp 5 m apart next day", lamp, at(lamp, "FEL.LIGHT", 5, 24*time.Hour, ""), 0.797500, "same"},
		{"same lamp, same place, same time", lamp, lamp, 0.9, "same"},
		// 0.15 × (1 − 5/60) × (1 − 1/30) × 0.9
		{"pothole 5 m from the lamp next day", lamp, at(lamp, "FEL.ROAD", 5, 24*time.Hour, ""), 0.119625, "other"},
		{"lamp 200 m away", lamp, at(lamp, "FEL.LIGHT", 200, 0, ""), 0, "same"},
		{"lamp at twice the radius", lamp, at(lamp, "FEL.LIGHT", 60, 0, ""), 0, "same"},
		// 1 × (1 − 30/60) × 1 × 0.9
		{"lamp at the radius", lamp, at(lamp, "FEL.LIGHT", 30, 0, ""), 0.45, "same"},
		{"lamp 31 days later", lamp, at(lamp, "FEL.LIGHT", 0, 31*24*time.Hour, ""), 0, "same"},
		{"lamp 15 days earlier", lamp, at(lamp, "FEL.LIGHT", 0, -15*24*time.Hour, ""), 0.45, "same"},
		{"dark place where a lamp is out", lamp, at(lamp, "OTR.PLACE.LIGHT", 0, 0, ""), 0, "none"},
		// 0.6 × 1 × 1 × 0.9, radius of OTR.PLACE.LIGHT is 50 m
		{"dark place and overgrown bush", at(lamp, "OTR.PLACE.LIGHT", 0, 0, ""), at(lamp, "OTR.PLACE.VEG", 0, 0, ""), 0.54, "related"},
		{"dark place and loitering groups", at(lamp, "OTR.PLACE.LIGHT", 0, 0, ""), at(lamp, "OTR.SOC.GATHER", 0, 0, ""), 0.135, "other"},
		{"identical text", withText, withText, 1, "same"},
		// nothing shared: 1 × 1 × 1 × 0.8
		{"unrelated text", withText, at(withText, "FEL.LIGHT", 0, 0, "xyz"), 0.8, "same"},
		{"unknown category", lamp, at(lamp, "FEL.GONE", 0, 0, ""), 0, "none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := DuplicateScore(tt.a, tt.b, taxonomy)
			if math.Abs(m.Score-tt.want) > 0.0006 {
				t.Errorf("score %.4f, want %.4f (%+v)", m.Score, tt.want, m)
			}
			if m.CategoryMatch != tt.wantMatch {
				t.Errorf("category match %q, want %q", m.CategoryMatch, tt.wantMatch)
			}
		})
	}
}

func TestDuplicateScoreOrdersTheAcceptanceCases(t *testing.T) {
	day := time.Date(2026, 11, 2, 21, 0, 0, 0, time.UTC)
	lamp := Sighting{Category: "FEL.LIGHT", X: 447000, Y: 6580000, ObservedAt: day}
	next := lamp
	next.X, next.ObservedAt = lamp.X+3, day.Add(24*time.Hour)
	next.Y += 4 // 5 m in all
	road := next
	road.Category = "FEL.ROAD"
	far := lamp
	far.Y += 200
	high, low, none := DuplicateScore(lamp, next, taxonomy), DuplicateScore(lamp, road, taxonomy), DuplicateScore(lamp, far, taxonomy)
	if high.Score < 0.7 || low.Score > 0.2 || none.Score != 0 {
		t.Fatalf("same lamp %.3f (want ≥ 0.7), other category %.3f (want ≤ 0.2), 200 m %.3f (want 0)", high.Score, low.Score, none.Score)
	}
	if math.Abs(high.DistanceM-5) > 1e-9 || math.Abs(high.DaysApart-1) > 1e-9 {
		t.Fatalf("distance %v m, %v days", high.DistanceM, high.DaysApart)
	}
}

func TestTextSimilarity(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		{"lampa", "lampa", 1},
		{"Lampa!", "lampa", 1},
		// "  lampan " has 7 trigrams, "  lampa " 6, 5 shared: 5 / (7 + 6 − 5)
		{"lampan", "lampa", 5.0 / 8},
		{"abc", "xyz", 0},
		{"", "lampa", 0},
		{"...", "lampa", 0},
		// word order does not matter
		{"trasig lampa", "lampa trasig", 1},
		// non-ASCII letters are letters, not separators
		{"gångväg", "gångväg", 1},
		{"å", "ö", 0},
	}
	for _, tt := range tests {
		if got := TextSimilarity(tt.a, tt.b); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("TextSimilarity(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestRelated(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"FEL.LIGHT", "FEL.LIGHT", true},
		{"FEL.LIGHT", "FEL.ROAD", false}, // siblings under the top-level group only
		{"OTR.PLACE.LIGHT", "OTR.PLACE.VEG", true},
		{"OTR.PLACE.LIGHT", "OTR.SOC.GATHER", false},
		{"OTR.PLACE.LIGHT", "FEL.LIGHT", false},
	}
	for _, tt := range tests {
		if got := Related(taxonomy[tt.a], taxonomy[tt.b]); got != tt.want {
			t.Errorf("Related(%s, %s) = %v", tt.a, tt.b, got)
		}
	}
	got := RelatedCodes("OTR.PLACE.LIGHT", taxonomy)
	slices.Sort(got)
	// OTR.PLACE.OLD is inactive, but reports filed in it still exist; the group
	// OTR.PLACE itself is never a report's category.
	if want := []string{"OTR.PLACE.LIGHT", "OTR.PLACE.OLD", "OTR.PLACE.VEG"}; !slices.Equal(got, want) {
		t.Errorf("RelatedCodes(OTR.PLACE.LIGHT) = %v, want %v", got, want)
	}
	if got := RelatedCodes("FEL.LIGHT", taxonomy); !slices.Equal(got, []string{"FEL.LIGHT"}) {
		t.Errorf("RelatedCodes(FEL.LIGHT) = %v", got)
	}
	if got := RelatedCodes("NOPE", taxonomy); got != nil {
		t.Errorf("RelatedCodes(NOPE) = %v", got)
	}
}

func TestRankDuplicates(t *testing.T) {
	day := time.Date(2026, 11, 2, 21, 0, 0, 0, time.UTC)
	of := Sighting{ID: uuid.New(), Category: "FEL.LIGHT", X: 447000, Y: 6580000, ObservedAt: day}
	cand := func(cat string, dx float64) DuplicateCandidate {
		id := uuid.New()
		return DuplicateCandidate{ID: id, Category: cat,
			Sighting: Sighting{ID: id, Category: cat, X: of.X + dx, Y: of.Y, ObservedAt: day}}
	}
	near, mid, road, far := cand("FEL.LIGHT", 3), cand("FEL.LIGHT", 30), cand("FEL.ROAD", 0), cand("FEL.LIGHT", 61)
	self := cand("FEL.LIGHT", 0)
	self.ID = of.ID
	got := RankDuplicates(of, []DuplicateCandidate{far, road, mid, self, near}, taxonomy)
	// 1·(1−3/60)·0.9 = 0.855, 1·(1−30/60)·0.9 = 0.45, 0.15·1·0.9 = 0.135; far scores 0.
	want := []struct {
		id    uuid.UUID
		score float64
	}{{near.ID, 0.855}, {mid.ID, 0.45}, {road.ID, 0.135}}
	if len(got) != len(want) {
		t.Fatalf("got %d candidates, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].ID != w.id || math.Abs(got[i].Score-w.score) > 0.0006 {
			t.Errorf("rank %d: %v scored %.3f, want %v %.3f", i, got[i].ID, got[i].Score, w.id, w.score)
		}
	}
	// Equal scores: nearer first; and never more than MaxDuplicateCandidates.
	var many []DuplicateCandidate
	for i := range 30 {
		many = append(many, cand("FEL.LIGHT", float64(29-i)))
	}
	got = RankDuplicates(of, many, taxonomy)
	if len(got) != MaxDuplicateCandidates || got[0].DistanceM != 0 || got[19].DistanceM != 19 {
		t.Fatalf("%d candidates, first at %v m, last at %v m", len(got), got[0].DistanceM, got[len(got)-1].DistanceM)
	}
}
