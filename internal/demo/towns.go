package demo

// placeKind is the sort of place a cluster of reports stands for; it decides
// which categories are reported there (see mixes).
type placeKind int

const (
	centre     placeKind = iota // torg, gågata, shopping streets
	station                     // railway or bus station
	mainRoad                    // through road or main street with traffic
	park                        // park, shore path, footpath through green
	school                      // school yard, sports ground
	housing                     // block of flats
	background                  // everywhere else in town, thinly
)

// place is where a share of a town's reports cluster, given in metres north and
// east of the town centre. A mainRoad runs from (north, east) to (toNorth,
// toEast) and spreads across its line; the others spread around their point.
type place struct {
	name            string
	kind            placeKind
	north, east     float64
	toNorth, toEast float64
	spread          float64 // metres, standard deviation
	weight          float64 // share of the town's reports
}

// town is one demo municipality. The centre is the real central square; the
// places are plausible offsets from it, not surveyed locations. Report counts
// follow population: Kristianstad about 87 000 inhabitants, Kristinehamn
// 24 000, Filipstad 10 000, Hällefors 7 000.
type town struct {
	code, name string
	lat, lon   float64
	reports    int
	places     []place
}

var towns = []town{
	{
		code: "1781", name: "Kristinehamn", lat: 59.3096, lon: 14.1086, reports: 1100,
		places: []place{
			{name: "Stora torget och Kungsgatan", kind: centre, spread: 150, weight: 0.18},
			{name: "stationen", kind: station, north: 150, east: -450, spread: 120, weight: 0.10},
			{name: "genomfart genom centrum", kind: mainRoad, north: -900, east: 300, toNorth: 1200, toEast: -200, spread: 40, weight: 0.10},
			{name: "park och strandpromenad längs Varnan", kind: park, north: -300, east: -250, spread: 200, weight: 0.10},
			{name: "skola och idrottsplats", kind: school, north: 800, east: 700, spread: 150, weight: 0.08},
			{name: "flerbostadsområde öster", kind: housing, north: 200, east: 1400, spread: 250, weight: 0.10},
			{name: "flerbostadsområde norr", kind: housing, north: 1500, east: 200, spread: 250, weight: 0.08},
			{name: "övriga tätorten", kind: background, spread: 1300, weight: 0.26},
		},
	},
	{
		code: "1782", name: "Filipstad", lat: 59.7126, lon: 14.1686, reports: 600,
		places: []place{
			{name: "torget och Storgatan", kind: centre, spread: 120, weight: 0.20},
			{name: "stationen och busstationen", kind: station, north: -200, east: -300, spread: 100, weight: 0.08},
			{name: "genomfartsleden", kind: mainRoad, north: -800, east: -600, toNorth: 900, toEast: 500, spread: 40, weight: 0.12},
			{name: "park vid älven", kind: park, north: 150, east: -250, spread: 150, weight: 0.10},
			{name: "skola och idrottsplats", kind: school, north: 500, east: 600, spread: 150, weight: 0.10},
			{name: "flerbostadsområde", kind: housing, north: -600, east: 700, spread: 200, weight: 0.12},
			{name: "övriga tätorten", kind: background, spread: 900, weight: 0.28},
		},
	},
	{
		code: "1863", name: "Hällefors", lat: 59.7836, lon: 14.5225, reports: 500,
		places: []place{
			{name: "centrum", kind: centre, spread: 120, weight: 0.22},
			{name: "station och busshållplats", kind: station, north: -350, east: -100, spread: 100, weight: 0.08},
			{name: "riksvägen genom orten", kind: mainRoad, north: -1000, east: -400, toNorth: 1000, toEast: 300, spread: 40, weight: 0.12},
			{name: "park och gångstråk", kind: park, north: 200, east: 300, spread: 150, weight: 0.10},
			{name: "skola och idrottsplats", kind: school, north: 600, east: -300, spread: 150, weight: 0.10},
			{name: "flerbostadsområde", kind: housing, north: -500, east: 500, spread: 200, weight: 0.10},
			{name: "övriga tätorten", kind: background, spread: 900, weight: 0.28},
		},
	},
	{
		code: "1290", name: "Kristianstad", lat: 56.0305, lon: 14.1566, reports: 1700,
		places: []place{
			{name: "Stora torget och gågatan", kind: centre, spread: 180, weight: 0.16},
			{name: "Kristianstad C", kind: station, north: 200, east: -350, spread: 120, weight: 0.10},
			{name: "park nära stationen", kind: park, north: 400, east: -200, spread: 150, weight: 0.06},
			{name: "boulevarden öster om centrum", kind: mainRoad, north: -900, east: 450, toNorth: 1000, toEast: 450, spread: 40, weight: 0.09},
			{name: "infartsväg nordost", kind: mainRoad, north: 600, east: 900, toNorth: 1800, toEast: 1800, spread: 50, weight: 0.06},
			{name: "flerbostadsområde nordost", kind: housing, north: 1500, east: 1200, spread: 250, weight: 0.12},
			{name: "flerbostadsområde nordväst", kind: housing, north: 1500, east: -1200, spread: 300, weight: 0.08},
			{name: "skola och idrottsplats", kind: school, north: -700, east: 900, spread: 150, weight: 0.07},
			{name: "stråk längs Helge å", kind: park, north: -300, east: -600, spread: 200, weight: 0.06},
			{name: "övriga tätorten", kind: background, spread: 1800, weight: 0.20},
		},
	},
}

// Municipalities returns the kommunkoder of the demo towns, in generation order.
func Municipalities() []string {
	codes := make([]string, len(towns))
	for i, t := range towns {
		codes[i] = t.code
	}
	return codes
}
