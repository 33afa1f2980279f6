package hotspot

import (
	"math/rand/v2"
	"testing"
)

// A 15×15 town over ten steps of Poisson(3) background, with three planted
// clusters (a centre cell plus its queen ring): one steady over all steps, one
// growing every step, and one that appears only in the last step.
func TestEmergingFindsPlantedPatterns(t *testing.T) {
	const side, steps = 15, 10
	g := Grid{Size: 200, Shape: Square}
	rng := rand.New(rand.NewPCG(42, 6))
	var cells []SeriesCell
	for i := range side {
		for j := range side {
			counts := make([]int, steps)
			for s := range counts {
				counts[s] = poisson(rng, 3)
			}
			cells = append(cells, SeriesCell{I: i, J: j, Counts: counts})
		}
	}
	at := func(i, j int) int { return i*side + j }
	plant := func(i, j int, extra func(step int) int) {
		for di := -1; di <= 1; di++ {
			for dj := -1; dj <= 1; dj++ {
				for s := range steps {
					cells[at(i+di, j+dj)].Counts[s] += extra(s)
				}
			}
		}
	}
	steady, growing, fresh := at(3, 3), at(11, 11), at(3, 11)
	plant(3, 3, func(int) int { return 6 })
	plant(11, 11, func(s int) int { return 3 + 2*s })
	plant(3, 11, func(s int) int {
		if s == steps-1 {
			return 10
		}
		return 0
	})

	res, err := Emerging(cells, g, EmergingOptions{PreviousSteps: 1, FDR: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		pos  int
		want Pattern
	}{
		{"steady", steady, PersistentHotSpot},
		{"growing", growing, IntensifyingHotSpot},
		{"fresh", fresh, NewHotSpot},
	} {
		got := res.Cells[c.pos]
		if got.Pattern != c.want {
			t.Errorf("%s cluster: %s, want %s (bins %v, trend Z %.2f p %.3f)", c.name, got.Pattern, c.want, got.Bins, got.Trend.Z, got.Trend.P)
		}
	}
	s := res.Summary
	if s.Cells != side*side || s.Steps != steps || s.TrendAlpha != 0.10 || s.Neighbourhood.Rule != Queen || len(s.Patterns) != len(Patterns) {
		t.Errorf("summary = %+v", s)
	}
	total, points := 0, 0
	for _, n := range s.Patterns {
		total += n
	}
	for _, c := range cells {
		for _, n := range c.Counts {
			points += n
		}
	}
	if total != side*side || s.Points != points {
		t.Errorf("patterns cover %d cells (want %d), points %d (want %d)", total, side*side, s.Points, points)
	}
}

func TestEmergingErrors(t *testing.T) {
	g := Grid{Size: 100, Shape: Square}
	tests := []struct {
		name  string
		cells []SeriesCell
		opts  EmergingOptions
	}{
		{"no cells", nil, EmergingOptions{}},
		{"one step", []SeriesCell{{0, 0, []int{1}}, {1, 0, []int{2}}}, EmergingOptions{}},
		{"ragged", []SeriesCell{{0, 0, []int{1, 2}}, {1, 0, []int{2}}}, EmergingOptions{}},
		{"negative count", []SeriesCell{{0, 0, []int{1, -2}}, {1, 0, []int{2, 0}}}, EmergingOptions{}},
		{"bad alpha", []SeriesCell{{0, 0, []int{1, 2}}, {1, 0, []int{2, 0}}}, EmergingOptions{TrendAlpha: 1.5}},
		{"negative previous steps", []SeriesCell{{0, 0, []int{1, 2}}, {1, 0, []int{2, 0}}}, EmergingOptions{PreviousSteps: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Emerging(tt.cells, g, tt.opts); err == nil {
				t.Error("want an error")
			}
		})
	}
}

// The trend is tested on the whole z series by default, as ArcGIS does; the
// opt-in warm-up skip leaves the first PreviousSteps steps out. A perfectly
// steady cluster over a steady background shows the difference: its first
// bin has fewer time neighbours, so its z is lower than the equal later ones.
func TestEmergingTrendWholeSeriesByDefault(t *testing.T) {
	const side, steps = 7, 6
	g := Grid{Size: 100, Shape: Square}
	var cells []SeriesCell
	for i := range side {
		for j := range side {
			counts := make([]int, steps)
			for s := range counts {
				counts[s] = 1
				if i == 3 && j == 3 {
					counts[s] = 12
				}
			}
			cells = append(cells, SeriesCell{I: i, J: j, Counts: counts})
		}
	}
	centre := 3*side + 3
	whole, err := Emerging(cells, g, EmergingOptions{PreviousSteps: 1})
	if err != nil {
		t.Fatal(err)
	}
	skipped, err := Emerging(cells, g, EmergingOptions{PreviousSteps: 1, TrendSkipWarmUp: true})
	if err != nil {
		t.Fatal(err)
	}
	zs := whole.Cells[centre].Z
	if !(zs[0] < zs[1]) {
		t.Fatalf("first step z %.3f not below the second %.3f: the case shows nothing", zs[0], zs[1])
	}
	// Whole series: step 0 is below the five equal later steps, S = +5.
	if got := whole.Cells[centre].Trend.S; got != steps-1 {
		t.Errorf("whole-series S = %d, want %d", got, steps-1)
	}
	// Without step 0 the later steps are all tied: S = 0.
	if got := skipped.Cells[centre].Trend.S; got != 0 {
		t.Errorf("warm-up-skipped S = %d, want 0", got)
	}
}
