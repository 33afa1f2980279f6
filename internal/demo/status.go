package demo

import (
	"math/rand/v2"
	"time"
)

const day = 24 * time.Hour

// statusByAge is how a municipality's felanmälningar stand, by how long ago
// they came in: the first days in the queue, then in work or sent on to
// another owner (Trafikverket, a housing company), after a few months nearly
// all resolved, and a few rejected (not the municipality's, or not a fault).
var statusByAge = []struct {
	below  time.Duration
	shares []share
}{
	{3 * day, []share{{StatusReceived, 70}, {StatusTriaged, 25}, {StatusForwarded, 5}}},
	{14 * day, []share{{StatusReceived, 15}, {StatusTriaged, 35}, {StatusInProgress, 30}, {StatusForwarded, 10}, {StatusResolved, 8}, {StatusRejected, 2}}},
	{60 * day, []share{{StatusTriaged, 8}, {StatusInProgress, 30}, {StatusResolved, 45}, {StatusForwarded, 10}, {StatusRejected, 7}}},
	{180 * day, []share{{StatusTriaged, 2}, {StatusInProgress, 10}, {StatusResolved, 72}, {StatusForwarded, 10}, {StatusRejected, 6}}},
	{1 << 62, []share{{StatusInProgress, 1}, {StatusResolved, 86}, {StatusForwarded, 8}, {StatusRejected, 5}}},
}

// felanmalanStatus draws the status of a felanmälan observed age ago.
func felanmalanStatus(r *rand.Rand, age time.Duration) string {
	for _, s := range statusByAge {
		if age < s.below {
			return pickShare(r, s.shares)
		}
	}
	panic("unreachable: the last age band is unbounded")
}

// resolvedAt draws when a resolved felanmälan was fixed: usually within a week
// or two, never after now.
func resolvedAt(r *rand.Rand, observed, now time.Time) time.Time {
	delay := time.Duration((0.5 + r.ExpFloat64()*6) * float64(day))
	if age := now.Sub(observed); delay > age {
		delay = time.Duration(r.Float64() * float64(age))
	}
	return observed.Add(delay).Truncate(time.Second)
}

// publishedShare is how many reports a caseworker has approved for the public
// map; the rest wait for moderation or stay internal.
const publishedShare = 0.6

// published draws whether a report is on the public map; a rejected report
// never is.
func published(r *rand.Rand, status string) bool {
	return r.Float64() < publishedShare && status != StatusRejected
}

// Feelings, 1 (very unsafe) to 5 (fairly safe), of people who report a place:
// social situations frighten more than a dark path.
var (
	socialFeelings = []float64{30, 30, 22, 12, 6}
	placeFeelings  = []float64{15, 30, 30, 17, 8}
)

// feeling draws how unsafe the reporter felt.
func feeling(r *rand.Rand, p profile) int {
	if p.social {
		return 1 + pick(r, socialFeelings)
	}
	return 1 + pick(r, placeFeelings)
}
