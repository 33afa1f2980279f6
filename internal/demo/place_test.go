package demo

import (
	"math"
	"testing"
)

// Town centres, written out again rather than read from the package.
var centres = map[string][2]float64{
	"1781": {59.3096, 14.1086}, // Kristinehamn, Stora torget
	"1782": {59.7126, 14.1686}, // Filipstad
	"1863": {59.7836, 14.5225}, // Hällefors
	"1290": {56.0305, 14.1566}, // Kristianstad, Stora torget
}

// metres between two WGS 84 points (haversine on a sphere of radius 6 371 km).
func metres(lat1, lon1, lat2, lon2 float64) float64 {
	rad := math.Pi / 180
	dLat, dLon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * 6_371_000 * math.Asin(math.Sqrt(a))
}

func TestPointsClusterAroundTheTownCentre(t *testing.T) {
	within8km, near := map[string]int{}, map[string]int{}
	total := map[string]int{}
	for _, r := range generated {
		c := centres[r.Municipality]
		d := metres(c[0], c[1], r.Lat, r.Lon)
		total[r.Municipality]++
		if d <= 8000 {
			within8km[r.Municipality]++
		}
		if d <= 400 {
			near[r.Municipality]++
		}
	}
	for code, n := range total {
		if float64(within8km[code]) < 0.99*float64(n) {
			t.Errorf("%s: %d of %d reports within 8 km of the centre, want at least 99 %%", code, within8km[code], n)
		}
		// A disc of 400 m is about 2 % of a 3 km town; the centre draws far more.
		if float64(near[code]) < 0.15*float64(n) {
			t.Errorf("%s: %d of %d reports within 400 m of the centre, want a clear cluster", code, near[code], n)
		}
	}
}
