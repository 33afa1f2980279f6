package hotspot

// Pattern is the space-time category of a cell in an emerging hot spot
// analysis, as defined by ArcGIS "How Emerging Hot Spot Analysis works".
type Pattern string

const (
	NoPattern Pattern = "no_pattern"

	NewHotSpot          Pattern = "new_hot_spot"
	ConsecutiveHotSpot  Pattern = "consecutive_hot_spot"
	IntensifyingHotSpot Pattern = "intensifying_hot_spot"
	PersistentHotSpot   Pattern = "persistent_hot_spot"
	DiminishingHotSpot  Pattern = "diminishing_hot_spot"
	SporadicHotSpot     Pattern = "sporadic_hot_spot"
	OscillatingHotSpot  Pattern = "oscillating_hot_spot"
	HistoricalHotSpot   Pattern = "historical_hot_spot"

	NewColdSpot          Pattern = "new_cold_spot"
	ConsecutiveColdSpot  Pattern = "consecutive_cold_spot"
	IntensifyingColdSpot Pattern = "intensifying_cold_spot"
	PersistentColdSpot   Pattern = "persistent_cold_spot"
	DiminishingColdSpot  Pattern = "diminishing_cold_spot"
	SporadicColdSpot     Pattern = "sporadic_cold_spot"
	OscillatingColdSpot  Pattern = "oscillating_cold_spot"
	HistoricalColdSpot   Pattern = "historical_cold_spot"
)

// Patterns lists every category, hot before cold, for legends and summaries.
var Patterns = []Pattern{
	NoPattern,
	NewHotSpot, ConsecutiveHotSpot, IntensifyingHotSpot, PersistentHotSpot,
	DiminishingHotSpot, SporadicHotSpot, OscillatingHotSpot, HistoricalHotSpot,
	NewColdSpot, ConsecutiveColdSpot, IntensifyingColdSpot, PersistentColdSpot,
	DiminishingColdSpot, SporadicColdSpot, OscillatingColdSpot, HistoricalColdSpot,
}

// ClassifyPattern assigns the ArcGIS category to one cell from its bins over
// time (oldest first) and the Mann–Kendall trend of its Gi* z-scores. A step
// is a significant hot (cold) spot when its bin is positive (negative), i.e.
// at 90 % confidence or more; the trend is significant when trend.P ≤
// trendAlpha (a p on the cut-off counts, as in BinOf). "90 % of the steps" means at least 0.9·T of them.
//
// The definitions, for hot spots (cold spots mirror them, with the direction
// of the trend reversed: an intensifying cold spot's z-scores fall):
//
//   - New: hot in the final step and never hot before.
//   - Consecutive: a single uninterrupted run of at least two hot steps at the
//     end, never hot before that run, and fewer than 90 % of steps hot.
//   - Intensifying: hot in at least 90 % of steps including the final one,
//     with a significant upward trend.
//   - Persistent: hot in at least 90 % of steps with no significant trend.
//   - Diminishing: hot in at least 90 % of steps including the final one,
//     with a significant downward trend.
//   - Sporadic: hot in the final step, on and off before, fewer than 90 % of
//     steps hot, and never a cold spot.
//   - Oscillating: hot in the final step, a cold spot in some earlier step,
//     fewer than 90 % of steps hot.
//   - Historical: not hot in the final step, but hot in at least 90 % of steps.
//
// Where two definitions could both hold, this order decides (the ArcGIS text
// does not say, so it is our reading): the final step chooses the family — hot
// patterns when it is hot, cold when cold, only Historical when it is neither;
// within a family a cold history makes the cell Oscillating before New or
// Consecutive are considered; and Persistent requires the final step to be hot
// (otherwise the cell is Historical).
func ClassifyPattern(bins []Bin, trend Trend, trendAlpha float64) Pattern {
	steps := len(bins)
	if steps == 0 {
		return NoPattern
	}
	var hot, cold int
	for _, b := range bins {
		switch {
		case b > 0:
			hot++
		case b < 0:
			cold++
		}
	}
	mostly := func(k int) bool { return 10*k >= 9*steps }
	rising := trend.P <= trendAlpha && trend.Z > 0
	falling := trend.P <= trendAlpha && trend.Z < 0
	last := bins[steps-1]
	switch {
	case last > 0:
		return family(bins, hot, cold, mostly(hot), rising, falling, hotPatterns, func(b Bin) bool { return b > 0 })
	case last < 0:
		return family(bins, cold, hot, mostly(cold), falling, rising, coldPatterns, func(b Bin) bool { return b < 0 })
	case mostly(hot):
		return HistoricalHotSpot
	case mostly(cold):
		return HistoricalColdSpot
	}
	return NoPattern
}

// patternSet names one family's categories so hot and cold share the logic.
type patternSet struct {
	new, consecutive, intensifying, persistent, diminishing, sporadic, oscillating Pattern
}

var (
	hotPatterns = patternSet{NewHotSpot, ConsecutiveHotSpot, IntensifyingHotSpot,
		PersistentHotSpot, DiminishingHotSpot, SporadicHotSpot, OscillatingHotSpot}
	coldPatterns = patternSet{NewColdSpot, ConsecutiveColdSpot, IntensifyingColdSpot,
		PersistentColdSpot, DiminishingColdSpot, SporadicColdSpot, OscillatingColdSpot}
)

// family classifies a cell whose final step is significant on the side that
// same() recognises: own counts those steps, other the opposite side;
// stronger/weaker is a significant trend towards/away from that side.
func family(bins []Bin, own, other int, mostly, stronger, weaker bool, p patternSet, same func(Bin) bool) Pattern {
	if mostly {
		switch {
		case stronger:
			return p.intensifying
		case weaker:
			return p.diminishing
		}
		return p.persistent
	}
	if other > 0 {
		return p.oscillating
	}
	if own == 1 {
		return p.new
	}
	run := 0
	for k := len(bins) - 1; k >= 0 && same(bins[k]); k-- {
		run++
	}
	if run == own {
		return p.consecutive
	}
	return p.sporadic
}
