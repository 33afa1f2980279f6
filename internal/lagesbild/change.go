package lagesbild

import "math"

// Change compares a count with an earlier one.
type Change struct {
	Before int `json:"before"`
	Diff   int `json:"diff"`
	// Percent is nil when Before is zero: a rise from nothing has no percentage.
	Percent *float64 `json:"percent"`
}

// Compare is the change from before to now, the percentage rounded to one decimal.
func Compare(now, before int) Change {
	c := Change{Before: before, Diff: now - before}
	if before > 0 {
		p := math.Round(float64(now-before)/float64(before)*1000) / 10
		c.Percent = &p
	}
	return c
}
