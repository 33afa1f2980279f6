package httpapi

import "math"

// swerefToWGS84 converts SWEREF 99 TM (EPSG:3006) easting/northing to WGS 84
// longitude/latitude in degrees. Hotspot maps draw 100 000+ cells; converting
// their corners here costs milliseconds where a round trip through
// ST_Transform would cost far more.
//
// These are the Gauss–Krüger "grid to geodetic" formulas as published by
// Lantmäteriet ("Gauss Conformal Projection (Transverse Mercator): Krüger's
// formulas", 2008), with GRS 80 and the SWEREF 99 TM parameters (central
// meridian 15° E, scale 0.9996, false easting 500 000 m). Lantmäteriet states
// millimetre accuracy within the zone; the difference between SWEREF 99 and
// WGS 84 (under a metre) is ignored, as EPSG does for this transformation.
func swerefToWGS84(easting, northing float64) (lon, lat float64) {
	t := &swerefTM
	xi := northing / (t.k0 * t.aRoof)
	eta := (easting - t.falseEasting) / (t.k0 * t.aRoof)
	// The series needs sin/cos of 2kξ and sinh/cosh of 2kη for k = 1…4; they
	// come from one sincos and one exp by the angle-addition recurrences,
	// which is most of the speed of this function.
	sin2, cos2 := math.Sincos(2 * xi)
	e2 := math.Exp(2 * eta)
	sh2, ch2 := (e2-1/e2)/2, (e2+1/e2)/2
	sk, ck, shk, chk := sin2, cos2, sh2, ch2
	xiP, etaP := xi, eta
	for k, d := range t.delta {
		if k > 0 {
			sk, ck = sk*cos2+ck*sin2, ck*cos2-sk*sin2
			shk, chk = shk*ch2+chk*sh2, chk*ch2+shk*sh2
		}
		xiP -= d * sk * chk
		etaP -= d * ck * shk
	}
	phiStar := math.Asin(math.Sin(xiP) / math.Cosh(etaP))
	dLambda := math.Atan(math.Sinh(etaP) / math.Cos(xiP))
	s := math.Sin(phiStar)
	s2 := s * s
	phi := phiStar + s*math.Cos(phiStar)*(t.a+s2*(t.b+s2*(t.c+s2*t.d)))
	return t.lon0 + dLambda*180/math.Pi, phi * 180 / math.Pi
}

// tmParams are the constants of one transverse Mercator projection, derived
// once from the ellipsoid.
type tmParams struct {
	k0, aRoof, falseEasting, lon0 float64
	delta                         [4]float64
	a, b, c, d                    float64
}

var swerefTM = newTM(6378137, 1/298.257222101, 15, 0.9996, 500000)

func newTM(axis, flattening, lon0, k0, falseEasting float64) tmParams {
	e2 := flattening * (2 - flattening)
	n := flattening / (2 - flattening)
	n2, n3, n4 := n*n, n*n*n, n*n*n*n
	return tmParams{
		k0: k0, falseEasting: falseEasting, lon0: lon0,
		aRoof: axis / (1 + n) * (1 + n2/4 + n4/64),
		delta: [4]float64{
			n/2 - 2*n2/3 + 37*n3/96 - n4/360,
			n2/48 + n3/15 - 437*n4/1440,
			17*n3/480 - 37*n4/840,
			4397 * n4 / 161280,
		},
		a: e2 + e2*e2 + e2*e2*e2 + e2*e2*e2*e2,
		b: -(7*e2*e2 + 17*e2*e2*e2 + 30*e2*e2*e2*e2) / 6,
		c: (224*e2*e2*e2 + 889*e2*e2*e2*e2) / 120,
		d: -(4279 * e2 * e2 * e2 * e2) / 1260,
	}
}
