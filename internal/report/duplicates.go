package report

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/category"
)

// DuplicateWindow is how far apart in time two reports may be observed and still
// be suggested as duplicates. A lamp reported a month apart is most likely still
// the same lamp; further apart, staff should look at the map rather than a list.
const DuplicateWindow = 30 * 24 * time.Hour

// Weights of the category match. Two reports in different branches of the
// taxonomy can still be the same thing filed carelessly, so "other" is not zero
// when the kind is the same; across kinds (a dark place versus a broken lamp) the
// workflows differ and merging would lose one of them.
const (
	sameCategoryWeight    = 1.0
	relatedCategoryWeight = 0.6
	otherCategoryWeight   = 0.15
)

// Sighting is what the duplicate scorer needs to know of a report: its category,
// its point in SWEREF 99 TM metres, when it was seen and the resident's text.
type Sighting struct {
	ID          uuid.UUID
	Category    string
	X, Y        float64
	ObservedAt  time.Time
	Description string
}

// Match explains a duplicate score so a caseworker can see why two reports were
// paired: Score is 0 (not a duplicate) to 1 (certainly the same thing).
type Match struct {
	Score          float64  `json:"score"`
	CategoryMatch  string   `json:"category_match"` // same, related, other or none
	DistanceM      float64  `json:"distance_m"`
	DaysApart      float64  `json:"days_apart"`
	TextSimilarity *float64 `json:"text_similarity,omitempty"`
}

// Related reports whether two categories are siblings under a group that is
// itself below the top of the taxonomy (OTR.PLACE.LIGHT and OTR.PLACE.VEG). The
// top-level groups (OTR, FEL) only restate the kind, so FEL.LIGHT and FEL.ROAD
// are not related: a pothole is not a broken lamp.
func Related(a, b category.Category) bool {
	if a.Code == b.Code {
		return true
	}
	return a.Parent != "" && a.Parent == b.Parent && strings.Contains(a.Parent, ".")
}

// RelatedCodes returns code and the codes of the leaf categories related to it,
// inactive ones included: reports filed before a category was retired keep it.
func RelatedCodes(code string, cats map[string]category.Category) []string {
	c, ok := cats[code]
	if !ok {
		return nil
	}
	out := []string{code}
	for _, o := range cats {
		if o.Code != code && !o.IsGroup && Related(c, o) {
			out = append(out, o.Code)
		}
	}
	return out
}

// DuplicateScore rates how likely b reports the same thing as a. The score is the
// product of a category weight, a proximity that falls linearly from 1 at the
// same point to 0 at twice the category's radius (radius_m says how close two
// reports must be to be "the same thing"; twice it allows for phone GPS error),
// and a time factor falling linearly to 0 at DuplicateWindow. Text, when both
// reports have some, moves the score by up to ±10 %: residents describe the same
// lamp in different words, so text is weak evidence either way.
func DuplicateScore(a, b Sighting, cats map[string]category.Category) Match {
	m := Match{
		DistanceM: math.Hypot(a.X-b.X, a.Y-b.Y),
		DaysApart: math.Abs(a.ObservedAt.Sub(b.ObservedAt).Hours()) / 24,
	}
	ca, okA := cats[a.Category]
	cb, okB := cats[b.Category]
	var weight float64
	switch {
	case !okA || !okB || ca.Kind != cb.Kind:
		m.CategoryMatch = "none"
	case ca.Code == cb.Code:
		m.CategoryMatch, weight = "same", sameCategoryWeight
	case Related(ca, cb):
		m.CategoryMatch, weight = "related", relatedCategoryWeight
	default:
		m.CategoryMatch, weight = "other", otherCategoryWeight
	}
	radius := float64(ca.RadiusM)
	if radius <= 0 {
		radius = 50
	}
	proximity := clamp01(1 - m.DistanceM/(2*radius))
	recency := clamp01(1 - m.DaysApart/(DuplicateWindow.Hours()/24))
	text := 0.5 // unknown: neither for nor against
	if sa, sb := strings.TrimSpace(a.Description), strings.TrimSpace(b.Description); sa != "" && sb != "" {
		s := TextSimilarity(sa, sb)
		m.TextSimilarity = &s
		text = s
	}
	m.Score = weight * proximity * recency * (0.8 + 0.2*text)
	m.Score = math.Round(m.Score*1000) / 1000
	return m
}

func clamp01(v float64) float64 { return math.Max(0, math.Min(1, v)) }

// TextSimilarity is the Jaccard index of the two texts' sets of character
// trigrams, built the way PostgreSQL's pg_trgm builds them (each lower-cased word
// padded with two spaces in front and one behind). Trigrams rather than whole
// words let Swedish inflections match: "lampan" and "lampa" share most of theirs.
func TextSimilarity(a, b string) float64 {
	ta, tb := trigrams(a), trigrams(b)
	if len(ta) == 0 || len(tb) == 0 {
		return 0
	}
	shared := 0
	for t := range ta {
		if tb[t] {
			shared++
		}
	}
	return float64(shared) / float64(len(ta)+len(tb)-shared)
}

func trigrams(s string) map[string]bool {
	out := map[string]bool{}
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for _, w := range words {
		r := []rune("  " + w + " ")
		for i := 0; i+3 <= len(r); i++ {
			out[string(r[i:i+3])] = true
		}
	}
	return out
}

// DuplicateCandidate is a report that may be the same thing as the one a
// caseworker is looking at, with the reasons it was suggested.
type DuplicateCandidate struct {
	ID            uuid.UUID  `json:"id"`
	Reference     string     `json:"reference"`
	Category      string     `json:"category"`
	Status        Status     `json:"status"`
	Visibility    Visibility `json:"visibility"`
	ObservedAt    time.Time  `json:"observed_at"`
	ReceivedAt    time.Time  `json:"received_at"`
	Confirmations int        `json:"confirmations"`
	Description   string     `json:"description,omitempty"`
	Match
	Sighting Sighting `json:"-"`
}

// DuplicateSearch is a report and the reports near it in space and time that may
// be the same thing, unscored: what a store hands to RankDuplicates.
type DuplicateSearch struct {
	Of         Sighting
	RadiusM    int
	Candidates []DuplicateCandidate
}

// MaxDuplicateCandidates caps the suggestions shown to a caseworker.
const MaxDuplicateCandidates = 20

// RankDuplicates scores each candidate against the report, drops those that
// score zero and returns the best first (nearer first on equal scores).
func RankDuplicates(of Sighting, cands []DuplicateCandidate, cats map[string]category.Category) []DuplicateCandidate {
	out := make([]DuplicateCandidate, 0, len(cands))
	for _, c := range cands {
		if c.ID == of.ID {
			continue
		}
		c.Match = DuplicateScore(of, c.Sighting, cats)
		if c.Score > 0 {
			c.DistanceM = math.Round(c.DistanceM*10) / 10
			c.DaysApart = math.Round(c.DaysApart*10) / 10
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b DuplicateCandidate) int {
		if a.Score != b.Score {
			return cmp.Compare(b.Score, a.Score)
		}
		return cmp.Compare(a.DistanceM, b.DistanceM)
	})
	if len(out) > MaxDuplicateCandidates {
		out = out[:MaxDuplicateCandidates]
	}
	return out
}
