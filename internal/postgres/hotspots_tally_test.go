package postgres

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/trygg/trygg/internal/hotspot"
)

// tally must count like a plain map whichever path it takes: the dense array
// for cells packed in a rectangle, the map for a few reports spread wide.
func TestTally(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 14))
	for _, tc := range []struct {
		name   string
		n      int
		spread int32
	}{
		{"dense", 5000, 40},       // 1 600 slots for 5 000 reports
		{"sparse", 50, 1_000_000}, // a map: the rectangle is huge
		{"negative cells", 300, 10},
		{"one", 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			is, js := make([]int32, tc.n), make([]int32, tc.n)
			want := map[[2]int]int{}
			for k := range is {
				is[k], js[k] = rng.Int32N(tc.spread), 6_200_000/100+rng.Int32N(tc.spread)
				if tc.name == "negative cells" {
					is[k] -= 5
				}
				want[[2]int{int(is[k]), int(js[k])}]++
			}
			got := tally(is, js)
			if len(got) != len(want) {
				t.Fatalf("%d cells, want %d", len(got), len(want))
			}
			for _, c := range got {
				if want[[2]int{c.I, c.J}] != c.Count {
					t.Errorf("cell (%d, %d): %d, want %d", c.I, c.J, c.Count, want[[2]int{c.I, c.J}])
				}
			}
			if !slices.IsSortedFunc(got, func(a, b hotspot.Cell) int {
				if a.I != b.I {
					return a.I - b.I
				}
				return a.J - b.J
			}) {
				t.Error("cells are not in (i, j) order")
			}
		})
	}
	if got := tally(nil, nil); len(got) != 0 {
		t.Errorf("no reports: %v", got)
	}
}
