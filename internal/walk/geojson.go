package walk

import (
	"encoding/json"
	"io"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// RouteGeoJSON returns the route as an RFC 7946 FeatureCollection, lon/lat:
//
//   - a LineString with kind "route", length_m, duration_s, score and stops;
//   - Points with kind "start" and "end";
//   - a Point per stop, at the place itself, with kind "stop", order (from
//     1), id, name, reason, score, candidate_kind, must_visit, distance_m
//     (along the route), arrival_s and snap_m (place to street);
//   - a Point per skipped candidate with kind "skipped", id, name, reason
//     (why it was left out) and score, so a map can show what was left out.
func RouteGeoJSON(r Route) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	line := geojson.NewFeature(orb.LineString(r.Line))
	line.Properties = geojson.Properties{
		"kind":       "route",
		"length_m":   r.LengthMetres,
		"duration_s": r.Duration.Seconds(),
		"score":      r.Score,
		"stops":      len(r.Stops),
	}
	fc.Append(line)
	for _, end := range []struct {
		kind string
		at   orb.Point
	}{{"start", r.Start}, {"end", r.End}} {
		f := geojson.NewFeature(end.at)
		f.Properties = geojson.Properties{"kind": end.kind}
		fc.Append(f)
	}
	for i, s := range r.Stops {
		f := geojson.NewFeature(s.Candidate.Point)
		f.Properties = geojson.Properties{
			"kind":           "stop",
			"order":          i + 1,
			"id":             s.Candidate.ID,
			"name":           s.Candidate.Label(),
			"reason":         s.Candidate.Reason,
			"score":          s.Candidate.Score,
			"candidate_kind": string(s.Candidate.Kind),
			"must_visit":     s.Candidate.MustVisit,
			"distance_m":     s.DistanceMetres,
			"arrival_s":      s.Arrival.Seconds(),
			"snap_m":         s.SnapMetres,
		}
		fc.Append(f)
	}
	for _, s := range r.Skipped {
		f := geojson.NewFeature(s.Candidate.Point)
		f.Properties = geojson.Properties{
			"kind":   "skipped",
			"id":     s.Candidate.ID,
			"name":   s.Candidate.Label(),
			"reason": s.Reason,
			"score":  s.Candidate.Score,
		}
		fc.Append(f)
	}
	return fc
}

// WriteGeoJSON writes RouteGeoJSON(r) as JSON.
func WriteGeoJSON(w io.Writer, r Route) error {
	return json.NewEncoder(w).Encode(RouteGeoJSON(r))
}
