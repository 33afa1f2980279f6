package streets

import (
	"math"

	"github.com/paulmach/orb"
)

// WGS 84 ellipsoid.
const (
	wgs84A = 6378137.0
	wgs84F = 1 / 298.257223563
	wgs84B = wgs84A * (1 - wgs84F)
	// meanRadius is the IUGG mean earth radius, used only when Vincenty's
	// iteration does not converge (nearly antipodal points, never a street).
	meanRadius = 6371008.8
)

// Distance returns the geodesic distance in metres between two lon/lat points on
// the WGS 84 ellipsoid, by Vincenty's inverse formula (T. Vincenty, "Direct and
// inverse solutions of geodesics on the ellipsoid with application of nested
// equations", Survey Review 23(176), 1975). It agrees with PostGIS
// ST_Distance(geography) to well under a millimetre at street scale.
func Distance(p, q orb.Point) float64 {
	lon1, lat1 := p[0]*math.Pi/180, p[1]*math.Pi/180
	lon2, lat2 := q[0]*math.Pi/180, q[1]*math.Pi/180
	if lon1 == lon2 && lat1 == lat2 {
		return 0
	}
	l := lon2 - lon1
	// Reduced latitudes.
	u1 := math.Atan((1 - wgs84F) * math.Tan(lat1))
	u2 := math.Atan((1 - wgs84F) * math.Tan(lat2))
	sinU1, cosU1 := math.Sincos(u1)
	sinU2, cosU2 := math.Sincos(u2)

	lambda := l
	var sinSigma, cosSigma, sigma, cos2Alpha, cos2SigmaM float64
	converged := false
	for range 200 {
		sinLambda, cosLambda := math.Sincos(lambda)
		a := cosU2 * sinLambda
		b := cosU1*sinU2 - sinU1*cosU2*cosLambda
		sinSigma = math.Sqrt(a*a + b*b)
		if sinSigma == 0 {
			return 0
		}
		cosSigma = sinU1*sinU2 + cosU1*cosU2*cosLambda
		sigma = math.Atan2(sinSigma, cosSigma)
		sinAlpha := cosU1 * cosU2 * sinLambda / sinSigma
		cos2Alpha = 1 - sinAlpha*sinAlpha
		cos2SigmaM = 0 // on the equator cos2Alpha is 0 and the term drops out
		if cos2Alpha != 0 {
			cos2SigmaM = cosSigma - 2*sinU1*sinU2/cos2Alpha
		}
		c := wgs84F / 16 * cos2Alpha * (4 + wgs84F*(4-3*cos2Alpha))
		prev := lambda
		lambda = l + (1-c)*wgs84F*sinAlpha*
			(sigma+c*sinSigma*(cos2SigmaM+c*cosSigma*(-1+2*cos2SigmaM*cos2SigmaM)))
		if math.Abs(lambda-prev) < 1e-12 {
			converged = true
			break
		}
	}
	if !converged {
		return haversine(p, q)
	}
	uSq := cos2Alpha * (wgs84A*wgs84A - wgs84B*wgs84B) / (wgs84B * wgs84B)
	bigA := 1 + uSq/16384*(4096+uSq*(-768+uSq*(320-175*uSq)))
	bigB := uSq / 1024 * (256 + uSq*(-128+uSq*(74-47*uSq)))
	deltaSigma := bigB * sinSigma * (cos2SigmaM + bigB/4*(cosSigma*(-1+2*cos2SigmaM*cos2SigmaM)-
		bigB/6*cos2SigmaM*(-3+4*sinSigma*sinSigma)*(-3+4*cos2SigmaM*cos2SigmaM)))
	return wgs84B * bigA * (sigma - deltaSigma)
}

// haversine is the great-circle distance on a sphere of the mean radius.
func haversine(p, q orb.Point) float64 {
	lat1, lat2 := p[1]*math.Pi/180, q[1]*math.Pi/180
	dLat := lat2 - lat1
	dLon := (q[0] - p[0]) * math.Pi / 180
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1)*math.Cos(lat2)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * meanRadius * math.Asin(math.Min(1, math.Sqrt(h)))
}

// LineLength returns the geodesic length of a polyline in metres.
func LineLength(line []orb.Point) float64 {
	var sum float64
	for i := 1; i < len(line); i++ {
		sum += Distance(line[i-1], line[i])
	}
	return sum
}
