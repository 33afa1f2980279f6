package streets

import "github.com/paulmach/osm"

// walkableHighways are the highway classes people may walk along. Roads with
// no sidewalk mapped separately are still walkable in Sweden (pedestrians may
// use the verge), hence the road classes up to primary.
var walkableHighways = map[string]bool{
	"footway": true, "path": true, "pedestrian": true, "steps": true,
	"living_street": true, "residential": true, "service": true,
	"unclassified": true, "tertiary": true, "tertiary_link": true,
	"secondary": true, "secondary_link": true, "primary": true,
	"primary_link": true, "track": true, "cycleway": true,
	"bridleway": true, "corridor": true, "road": true,
}

// motorHighways are closed to pedestrians by law unless signed otherwise.
var motorHighways = map[string]bool{
	"motorway": true, "motorway_link": true, "trunk": true, "trunk_link": true,
}

// footAllowed are foot values that open a way to pedestrians whatever access
// or highway class says.
var footAllowed = map[string]bool{"yes": true, "designated": true, "permissive": true}

// footDenied are foot values that close a way to walking.
var footDenied = map[string]bool{"no": true, "private": true, "use_sidepath": true}

// Walkable reports whether a way with these tags is kept in the network. The
// rule is described in the package documentation.
func Walkable(tags osm.Tags) bool {
	highway := tags.Find("highway")
	foot := tags.Find("foot")
	if footDenied[foot] {
		return false
	}
	switch {
	case walkableHighways[highway]:
	case motorHighways[highway]:
		if !footAllowed[foot] {
			return false
		}
	default:
		return false
	}
	switch tags.Find("access") {
	case "no", "private":
		return footAllowed[foot]
	}
	return true
}
