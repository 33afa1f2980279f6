package demo

import (
	"math/rand/v2"
	"time"
	_ "time/tzdata" // Swedish local time without depending on the machine's zoneinfo
)

// stockholm is the time zone of every demo town; hours of the day are local.
var stockholm = mustLoadLocation("Europe/Stockholm")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // cannot happen with time/tzdata embedded
	}
	return loc
}

// period is how far back the demo reports go.
const periodYears = 2

// observedAt draws when a report of profile p was observed: a day within the
// two years before now, weighted by p's months and by a steady growth in
// reporting as the service becomes known (the newest days twice as busy as the
// oldest), then an hour of that day by p's hours.
func observedAt(r *rand.Rand, p profile, now time.Time) time.Time {
	from := now.AddDate(-periodYears, 0, 0)
	span := int64(now.Sub(from))
	maxMonth := 0.0
	for _, w := range p.months {
		maxMonth = max(maxMonth, w)
	}
	for {
		day := from.Add(time.Duration(r.Int64N(span))).In(stockholm)
		growth := 0.5 + 0.5*float64(day.Sub(from))/float64(span)
		if r.Float64() >= p.months[day.Month()-1]/maxMonth*growth {
			continue
		}
		hour := pick(r, p.hours[:])
		t := time.Date(day.Year(), day.Month(), day.Day(), hour, r.IntN(60), r.IntN(60), 0, stockholm)
		// The first and last day of the period are partial; a DST change
		// can move a nonexistent hour; either way the month stays.
		if t.Before(from) || t.After(now) || t.Month() != day.Month() {
			continue
		}
		return t
	}
}

// pick draws an index of weights with probability proportional to its weight.
func pick(r *rand.Rand, weights []float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	x := r.Float64() * total
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1 // rounding at the very end of the range
}

// pickShare draws one value of shares by weight.
func pickShare(r *rand.Rand, shares []share) string {
	weights := make([]float64, len(shares))
	for i, s := range shares {
		weights[i] = s.weight
	}
	return shares[pick(r, weights)].value
}
