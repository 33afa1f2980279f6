package report

import (
	"math"
	"time"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/category"
)

// "Is this already reported?" A resident picking a category sees the open,
// published felanmälningar of that or a related category within the category's
// radius, and for otrygghet only how many reports there are: an otrygghet point
// near someone's home, or its text, could identify the person who felt unsafe.
const (
	// NearbyLimit caps the list; the app shows a handful, newest first.
	NearbyLimit = 50
	// OtrygghetLookback bounds the otrygghet counts to the last year, so that the
	// count describes the place as it is, not as it was.
	OtrygghetLookback = 365 * 24 * time.Hour
	// MinPublicCount is the smallest count shown for a sensitive or restricted
	// category; below it a count within a few tens of metres says too much about
	// one person. Normal categories are shown from 1.
	MinPublicCount = 3
)

// NearbyQuery is a resident's question: what is already reported here?
type NearbyQuery struct {
	Lat, Lon float64
	Kind     string // optional; must agree with the category's kind
	Category string
}

// NearbySearch is a NearbyQuery resolved against the taxonomy: what the store
// must look for and how far.
type NearbySearch struct {
	Lat, Lon   float64
	Kind       string
	Categories []string
	RadiusM    int
	Since      time.Time // otrygghet counts only
	Limit      int
}

// NearbyReport is one open felanmälan near the resident. It carries no text, no
// contact and no device data; Location is set only for categories whose
// sensitivity allows a public point.
type NearbyReport struct {
	ID            uuid.UUID `json:"id"`
	Reference     string    `json:"reference"`
	Category      string    `json:"category"`
	Status        Status    `json:"status"`
	DistanceM     float64   `json:"distance_m"`
	ObservedAt    time.Time `json:"observed_at"`
	ReceivedAt    time.Time `json:"received_at"`
	Confirmations int       `json:"confirmations"`
	Location      *Location `json:"location,omitempty"`
}

// CategoryCount is how many published otrygghet reports of a category lie within
// the radius, and how many confirmations they have between them.
type CategoryCount struct {
	Category      string `json:"category"`
	Reports       int    `json:"reports"`
	Confirmations int    `json:"confirmations"`
}

// Nearby is the answer to a NearbyQuery.
type Nearby struct {
	Category  string          `json:"category"`
	Kind      string          `json:"kind"`
	RadiusM   int             `json:"radius_m"`
	Reports   []NearbyReport  `json:"reports"`
	Otrygghet []CategoryCount `json:"otrygghet"`
	Since     *time.Time      `json:"otrygghet_since,omitempty"`
}

// PlanNearby checks a query against the taxonomy and resolves the categories and
// radius to search: the asked category's radius, applied to it and its related
// categories.
func PlanNearby(q NearbyQuery, now time.Time, cats map[string]category.Category) (NearbySearch, error) {
	c, ok := cats[q.Category]
	if !ok {
		return NearbySearch{}, apperr.Field("category", "unknown category %q; GET /v1/categories lists them", q.Category)
	}
	if c.IsGroup {
		return NearbySearch{}, apperr.Field("category", "category %s is a group; choose one of its subcategories", c.Code)
	}
	if q.Kind != "" && q.Kind != c.Kind {
		return NearbySearch{}, apperr.Field("kind", "category %s belongs to %s, not %s", c.Code, c.Kind, q.Kind)
	}
	if math.IsNaN(q.Lat) || q.Lat < -90 || q.Lat > 90 {
		return NearbySearch{}, apperr.Field("lat", "lat must be between -90 and 90")
	}
	if math.IsNaN(q.Lon) || q.Lon < -180 || q.Lon > 180 {
		return NearbySearch{}, apperr.Field("lon", "lon must be between -180 and 180")
	}
	return NearbySearch{
		Lat: q.Lat, Lon: q.Lon, Kind: c.Kind,
		Categories: RelatedCodes(c.Code, cats),
		RadiusM:    c.RadiusM,
		Since:      now.Add(-OtrygghetLookback),
		Limit:      NearbyLimit,
	}, nil
}

// PublicCounts drops the counts of sensitive and restricted categories that are
// too small to show.
func PublicCounts(counts []CategoryCount, cats map[string]category.Category) []CategoryCount {
	out := make([]CategoryCount, 0, len(counts))
	for _, n := range counts {
		if cats[n.Category].Sensitivity != category.Normal && n.Reports < MinPublicCount {
			continue
		}
		out = append(out, n)
	}
	return out
}
