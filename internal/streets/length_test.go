package streets

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// dms converts degrees, minutes, seconds to decimal degrees.
func dms(d, m, s float64) float64 {
	if d < 0 {
		return d - m/60 - s/3600
	}
	return d + m/60 + s/3600
}

func TestDistanceKnownAnswers(t *testing.T) {
	tests := []struct {
		name string
		p, q orb.Point
		want float64 // metres
		tol  float64
	}{
		// On the equator the geodesic is the equator itself: a·Δλ.
		{"one degree of equator", orb.Point{0, 0}, orb.Point{1, 0}, wgs84A * math.Pi / 180, 1e-6},
		// Quarter meridian of WGS 84 (NIMA TR8350.2 derived value).
		{"equator to pole", orb.Point{0, 0}, orb.Point{0, 90}, 10001965.729, 1e-3},
		// Geoscience Australia's worked example of Vincenty's inverse formula,
		// Flinders Peak to Buninyong.
		{"Flinders Peak to Buninyong",
			orb.Point{dms(144, 25, 29.52440), dms(-37, 57, 3.72030)},
			orb.Point{dms(143, 55, 35.38390), dms(-37, 39, 10.15610)},
			54972.271, 1e-3},
		{"same point", orb.Point{18.07, 59.35}, orb.Point{18.07, 59.35}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Distance(tt.p, tt.q)
			if math.Abs(got-tt.want) > tt.tol {
				t.Errorf("Distance = %.4f, want %.4f ± %g", got, tt.want, tt.tol)
			}
			if back := Distance(tt.q, tt.p); math.Abs(back-got) > 1e-6 {
				t.Errorf("not symmetric: %.6f vs %.6f", got, back)
			}
		})
	}
}

func TestDistanceNearlyAntipodalFallsBack(t *testing.T) {
	// Vincenty does not converge here; the spherical fallback must still give
	// about half the circumference rather than NaN.
	got := Distance(orb.Point{0, 0}, orb.Point{179.7, 0.5})
	if math.IsNaN(got) || got < 19.9e6 || got > 20.1e6 {
		t.Errorf("Distance = %v, want about 2.0e7", got)
	}
}

func TestLineLength(t *testing.T) {
	line := []orb.Point{{0, 0}, {1, 0}, {2, 0}}
	want := 2 * wgs84A * math.Pi / 180
	if got := LineLength(line); math.Abs(got-want) > 1e-6 {
		t.Errorf("LineLength = %.6f, want %.6f", got, want)
	}
	if got := LineLength(line[:1]); got != 0 {
		t.Errorf("LineLength of one point = %v, want 0", got)
	}
}
