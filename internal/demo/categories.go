package demo

import "strings"

// profile is when a category tends to be reported: weights by hour of the day
// (local time) and by month, January first. Only ratios within one array matter.
type profile struct {
	hours  *[24]float64
	months *[12]float64
	social bool // feelings lean towards very unsafe
}

var (
	// Social disorder peaks in the evening and the first hours after midnight,
	// as in the police's and municipalities' own problem pictures.
	evenings = [24]float64{6, 5, 4, 2, 1, .5, .5, .5, .5, .5, .7, .8, 1, 1, 1.2, 1.5, 2, 2.5, 3.5, 5, 6, 7, 7, 7}
	// Darkness is noticed from late afternoon, at night and on winter mornings.
	inTheDark = [24]float64{3, 2, 1.5, 1, 1, 1.5, 2.5, 3, 2, 1, .8, .8, .8, .8, .8, 1.2, 2.5, 4, 5, 5, 5, 5, 4.5, 4}
	// Faults are mostly reported when people are out: daytime and early evening.
	awake = [24]float64{.2, .2, .2, .2, .2, .3, .6, 2, 3, 3, 3, 3, 3.5, 3, 3, 3, 3.5, 3.5, 3, 2.5, 2, 1.5, 1, .5}
	// Traffic and road conditions follow the commute.
	commute = [24]float64{.3, .2, .2, .2, .3, .6, 1.5, 3.5, 3, 1.5, 1.2, 1.2, 1.5, 1.3, 1.5, 2.5, 3.5, 3.5, 2.5, 2, 1.8, 1.6, 1.2, .6}

	allYear = [12]float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}
	// Snow and ice: December to March only.
	winter = [12]float64{3, 3, 1.5, 0, 0, 0, 0, 0, 0, 0, 0, 2.5}
	// Potholes open when frost leaves the ground.
	thaw = [12]float64{1.5, 1.5, 3, 3, 2, 1, 1, 1, 1, 1, 1, 1.2}
	// Broken or missing light matters when the evenings are dark.
	darkSeason = [12]float64{3, 2, 1.5, 1, .4, .2, .2, .6, 1.2, 2, 3, 3}
	// Vegetation, parks and playgrounds are a summer matter.
	summer = [12]float64{.3, .3, .4, 1, 2, 3, 3, 2.5, 1.5, .8, .3, .3}
	// Mopeds and buskörning come out with the snow gone.
	mopedSeason = [12]float64{.1, .2, .5, 1.5, 3, 3, 3, 3, 2, 1, .3, .1}
	// People gather outdoors in the light half of the year, and at New Year.
	outdoors = [12]float64{.8, .8, .9, 1, 1.5, 2, 2, 1.8, 1.2, 1, .9, 1.1}
	// Grass fires in spring, fireworks around New Year.
	fireSeason = [12]float64{1.5, .8, 1, 2, 2, 1.2, 1.2, 1, .8, .8, .8, 2}
	// Blocked drains with autumn rain and spring thaw.
	rainSeason = [12]float64{1, 1, 2, 2, 1, 1, 1, 1.5, 1.5, 2, 1.5, 1}
)

// profiles holds every leaf category of the taxonomy the demo uses.
var profiles = map[string]profile{
	"OTR.PLACE.LIGHT":    {&inTheDark, &darkSeason, false},
	"OTR.PLACE.VEG":      {&awake, &summer, false},
	"OTR.PLACE.SIGHT":    {&inTheDark, &allYear, false},
	"OTR.PLACE.DESERTED": {&inTheDark, &allYear, false},
	"OTR.PLACE.ROUTE":    {&awake, &allYear, false},
	"OTR.PLACE.DISORDER": {&awake, &allYear, false},
	"OTR.PLACE.TRAFFIC":  {&commute, &allYear, false},
	"OTR.SOC.GATHER":     {&evenings, &outdoors, true},
	"OTR.SOC.DISORDER":   {&evenings, &outdoors, true},
	"OTR.SOC.HARASS":     {&evenings, &allYear, true},
	"OTR.SOC.INTOX":      {&evenings, &outdoors, true},
	"OTR.SOC.DRUGS":      {&evenings, &allYear, true},
	"OTR.SOC.VEHICLE":    {&evenings, &mopedSeason, true},
	"OTR.DMG.GRAFFITI":   {&awake, &allYear, false},
	"OTR.DMG.GLASS":      {&evenings, &outdoors, false},
	"OTR.FIRE":           {&evenings, &fireSeason, true},
	"OTR.OTHER":          {&awake, &allYear, false},
	"FEL.LIGHT":          {&inTheDark, &darkSeason, false},
	"FEL.ROAD":           {&awake, &thaw, false},
	"FEL.PATH":           {&awake, &thaw, false},
	"FEL.SIGN":           {&awake, &allYear, false},
	"FEL.SIGNAL":         {&commute, &allYear, false},
	"FEL.WINTER":         {&commute, &winter, false},
	"FEL.CLEAN":          {&awake, &allYear, false},
	"FEL.GRAFFITI":       {&awake, &allYear, false},
	"FEL.VANDAL":         {&awake, &allYear, false},
	"FEL.PARK":           {&awake, &summer, false},
	"FEL.PLAY":           {&awake, &summer, false},
	"FEL.FURNITURE":      {&awake, &allYear, false},
	"FEL.ABANDONED":      {&awake, &allYear, false},
	"FEL.DRAIN":          {&awake, &rainSeason, false},
}

// kindOf returns the kind of report a category code belongs to.
func kindOf(code string) string {
	if strings.HasPrefix(code, "OTR.") {
		return Otrygghet
	}
	return Felanmalan
}

// share is one value (a category code, a status) and its weight in a draw.
type share struct {
	value  string
	weight float64
}

// mixes says what gets reported where. Centres and stations draw groups,
// intoxication and litter; roads draw traffic, mopeds and potholes; parks draw
// darkness and overgrowth; housing areas a bit of everything.
var mixes = map[placeKind][]share{
	centre: {
		{"OTR.SOC.GATHER", 14}, {"OTR.SOC.INTOX", 10}, {"OTR.SOC.DISORDER", 8}, {"OTR.SOC.HARASS", 5},
		{"OTR.SOC.DRUGS", 3}, {"OTR.SOC.VEHICLE", 5}, {"OTR.DMG.GRAFFITI", 5}, {"OTR.DMG.GLASS", 4},
		{"OTR.PLACE.DISORDER", 3}, {"OTR.PLACE.LIGHT", 3}, {"OTR.OTHER", 2},
		{"FEL.CLEAN", 8}, {"FEL.GRAFFITI", 6}, {"FEL.VANDAL", 5}, {"FEL.FURNITURE", 4}, {"FEL.LIGHT", 4},
		{"FEL.WINTER", 4}, {"FEL.ROAD", 3}, {"FEL.SIGN", 2}, {"FEL.ABANDONED", 3}, {"FEL.DRAIN", 1},
	},
	station: {
		{"OTR.SOC.GATHER", 12}, {"OTR.SOC.INTOX", 10}, {"OTR.SOC.DRUGS", 5}, {"OTR.SOC.HARASS", 6},
		{"OTR.PLACE.DESERTED", 5}, {"OTR.PLACE.LIGHT", 4}, {"OTR.DMG.GLASS", 5}, {"OTR.DMG.GRAFFITI", 5},
		{"FEL.VANDAL", 6}, {"FEL.GRAFFITI", 6}, {"FEL.ABANDONED", 6}, {"FEL.CLEAN", 6}, {"FEL.LIGHT", 4}, {"FEL.WINTER", 3},
	},
	mainRoad: {
		{"OTR.PLACE.TRAFFIC", 20}, {"OTR.SOC.VEHICLE", 18}, {"OTR.PLACE.ROUTE", 6}, {"OTR.PLACE.LIGHT", 4},
		{"FEL.ROAD", 18}, {"FEL.SIGN", 6}, {"FEL.SIGNAL", 6}, {"FEL.LIGHT", 8}, {"FEL.WINTER", 6}, {"FEL.DRAIN", 4}, {"FEL.CLEAN", 2},
	},
	park: {
		{"OTR.PLACE.LIGHT", 16}, {"OTR.PLACE.VEG", 12}, {"OTR.PLACE.SIGHT", 6}, {"OTR.PLACE.DESERTED", 8},
		{"OTR.SOC.GATHER", 6}, {"OTR.SOC.INTOX", 4}, {"OTR.SOC.DRUGS", 3}, {"OTR.FIRE", 2}, {"OTR.DMG.GLASS", 3},
		{"FEL.LIGHT", 12}, {"FEL.PATH", 8}, {"FEL.PARK", 8}, {"FEL.PLAY", 4}, {"FEL.FURNITURE", 4}, {"FEL.CLEAN", 4}, {"FEL.WINTER", 4},
	},
	school: {
		{"OTR.SOC.GATHER", 12}, {"OTR.SOC.VEHICLE", 10}, {"OTR.SOC.DISORDER", 6}, {"OTR.DMG.GRAFFITI", 8},
		{"OTR.DMG.GLASS", 6}, {"OTR.FIRE", 4}, {"OTR.PLACE.LIGHT", 5},
		{"FEL.GRAFFITI", 8}, {"FEL.VANDAL", 8}, {"FEL.PLAY", 6}, {"FEL.LIGHT", 4}, {"FEL.CLEAN", 3},
	},
	housing: {
		{"OTR.PLACE.LIGHT", 10}, {"OTR.PLACE.VEG", 6}, {"OTR.PLACE.SIGHT", 4}, {"OTR.PLACE.ROUTE", 4},
		{"OTR.PLACE.DISORDER", 5}, {"OTR.SOC.GATHER", 8}, {"OTR.SOC.VEHICLE", 8}, {"OTR.SOC.DISORDER", 4},
		{"OTR.SOC.DRUGS", 3}, {"OTR.FIRE", 3}, {"OTR.DMG.GRAFFITI", 4}, {"OTR.OTHER", 2},
		{"FEL.LIGHT", 10}, {"FEL.ROAD", 6}, {"FEL.PATH", 5}, {"FEL.WINTER", 6}, {"FEL.PLAY", 4},
		{"FEL.ABANDONED", 4}, {"FEL.CLEAN", 4}, {"FEL.DRAIN", 3}, {"FEL.VANDAL", 3},
	},
	background: {
		{"OTR.PLACE.LIGHT", 8}, {"OTR.PLACE.VEG", 6}, {"OTR.PLACE.TRAFFIC", 5}, {"OTR.SOC.VEHICLE", 5},
		{"OTR.PLACE.ROUTE", 3}, {"OTR.OTHER", 3}, {"OTR.SOC.GATHER", 3},
		{"FEL.ROAD", 14}, {"FEL.LIGHT", 12}, {"FEL.WINTER", 8}, {"FEL.PATH", 6}, {"FEL.SIGN", 4},
		{"FEL.DRAIN", 4}, {"FEL.PARK", 3}, {"FEL.ABANDONED", 3}, {"FEL.CLEAN", 3},
	},
}
