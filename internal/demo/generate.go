package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"
)

// Generate returns the demo reports of every demo town for seed and now. The
// result depends on nothing else: towns come in Municipalities() order, each
// town's reports oldest first and numbered in that order in ExternalKey. Each
// town draws from its own random stream, so its reports do not change when
// another town is added or resized.
func Generate(seed int64, now time.Time) []Report {
	var all []Report
	for _, t := range towns {
		all = append(all, t.generate(seed, now)...)
	}
	return all
}

func (t town) generate(seed int64, now time.Time) []Report {
	stream, err := strconv.ParseUint(t.code, 10, 64)
	if err != nil {
		panic(fmt.Sprintf("demo: kommunkod %q is not a number", t.code))
	}
	r := rand.New(rand.NewPCG(uint64(seed), stream))
	weights := make([]float64, len(t.places))
	for i, p := range t.places {
		weights[i] = p.weight
	}

	reports := make([]Report, t.reports)
	for i := range reports {
		pl := t.places[pick(r, weights)]
		category := pickShare(r, mixes[pl.kind])
		prof := profiles[category]
		north, east := pl.point(r)
		at := observedAt(r, prof, now)
		rep := Report{
			Municipality: t.code,
			Kind:         kindOf(category),
			Category:     category,
			ObservedAt:   at,
			Status:       StatusReceived,
		}
		rep.Lat, rep.Lon = offset(t.lat, t.lon, north, east)
		if rep.Kind == Otrygghet {
			rep.Feeling = feeling(r, prof)
			rep.TimeOfDay = TimeOfDay(at)
		} else {
			rep.Status = felanmalanStatus(r, now.Sub(at))
			if rep.Status == StatusResolved {
				rep.ResolvedAt = resolvedAt(r, at, now)
			}
		}
		rep.Published = published(r, rep.Status)
		rep.Description = description(r, category)
		reports[i] = rep
	}

	slices.SortStableFunc(reports, func(a, b Report) int { return a.ObservedAt.Compare(b.ObservedAt) })
	for i := range reports {
		reports[i].ExternalKey = fmt.Sprintf("demo-%s-%06d", t.code, i+1)
	}
	return reports
}

// point draws a report's position in metres north and east of the town centre:
// anywhere along a road and a little to either side of it, or around a place.
func (p place) point(r *rand.Rand) (north, east float64) {
	if p.kind == mainRoad {
		dn, de := p.toNorth-p.north, p.toEast-p.east
		along, across := r.Float64(), clippedNormal(r)*p.spread/math.Hypot(dn, de)
		return p.north + along*dn - across*de, p.east + along*de + across*dn
	}
	return p.north + clippedNormal(r)*p.spread, p.east + clippedNormal(r)*p.spread
}

// clippedNormal draws from the standard normal distribution cut at ±3, so no
// place spreads further than three times its spread.
func clippedNormal(r *rand.Rand) float64 {
	for {
		if x := r.NormFloat64(); math.Abs(x) <= 3 {
			return x
		}
	}
}

// metresPerDegreeLat is the length of one degree of latitude at Swedish
// latitudes (WGS 84 meridian arc, 56–60° N: 111.4 km).
const metresPerDegreeLat = 111_400.0

// offset moves a point north and east by the given metres, treating the few
// kilometres around a town as flat and a degree of longitude as the same
// length as one of latitude times cos(latitude): off by a few metres at most,
// nothing that matters for made-up points.
func offset(lat, lon, north, east float64) (float64, float64) {
	// Six decimals are about 0.1 m, finer than any phone's GPS.
	round := func(deg float64) float64 { return math.Round(deg*1e6) / 1e6 }
	return round(lat + north/metresPerDegreeLat),
		round(lon + east/(metresPerDegreeLat*math.Cos(lat*math.Pi/180)))
}
