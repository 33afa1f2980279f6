package hotspot

import (
	"math"
	"math/rand/v2"
	"testing"
)

// poisson draws a Poisson(λ) count by Knuth's multiplication method; fine for
// the small λ of report counts per cell.
func poisson(rng *rand.Rand, lambda float64) int {
	limit, k, prod := math.Exp(-lambda), 0, rng.Float64()
	for prod > limit {
		k++
		prod *= rng.Float64()
	}
	return k
}

// city is a side×side block of cells with Poisson(λ) counts.
func city(rng *rand.Rand, side int, lambda float64) []Cell {
	var cells []Cell
	for i := range side {
		for j := range side {
			cells = append(cells, Cell{I: i, J: j, Count: poisson(rng, lambda)})
		}
	}
	return cells
}

func TestAnalyzeFindsPlantedHotspot(t *testing.T) {
	for _, shape := range []Shape{Square, Hex} {
		for seed := uint64(1); seed <= 3; seed++ {
			g := Grid{Origin: Point{440000, 6210000}, Size: 100, Shape: shape}
			rng := rand.New(rand.NewPCG(seed, 2026))
			cells := city(rng, 60, 2)
			// Plant a cluster: +10 reports in the centre cell, +5 in each cell
			// touching it (queen for squares, ring 1 for hexagons).
			centre := 30*60 + 30 // position of cell (30, 30)
			index := make([]Index, len(cells))
			for k, c := range cells {
				index[k] = Index{c.I, c.J}
			}
			w, err := BuildWeights(g, index, DefaultNeighbourhood(shape))
			if err != nil {
				t.Fatal(err)
			}
			cells[centre].Count += 10
			for _, m := range w.Neighbours(centre) {
				cells[m].Count += 5
			}
			res, err := Analyze(cells, g, Options{FDR: true})
			if err != nil {
				t.Fatal(err)
			}
			best := 0
			for k, c := range res.Cells {
				if c.Z > res.Cells[best].Z {
					best = k
				}
				if k == centre && c.Bin != 3 {
					t.Errorf("%s seed %d: planted centre in bin %d (z %.2f, p_adj %.3g), want 3", shape, seed, c.Bin, c.Z, c.PAdjusted)
				}
			}
			if best != centre {
				t.Errorf("%s seed %d: highest z at %v, want the planted centre (30, 30)", shape, seed, index[best])
			}
			// The cells of the planted ring are hot too (each has the +10
			// centre and several +5 cells in its own neighbourhood).
			hotRing := 0
			for _, m := range w.Neighbours(centre) {
				if res.Cells[m].Bin > 0 {
					hotRing++
				}
			}
			if hotRing < len(w.Neighbours(centre))-1 {
				t.Errorf("%s seed %d: %d of %d ring cells hot", shape, seed, hotRing, len(w.Neighbours(centre)))
			}
		}
	}
}

// Pure Poisson noise has no hot spots, and Benjamini–Hochberg at q = 0.10 (the
// 90 % bins) keeps the chance that a noise map shows any significant cell at
// about 10 %; we allow 20 % over 100 maps because the normal approximation
// behind Gi* p-values has a slightly heavy upper tail for skewed counts (see
// the note on sparse counts at Analyze). Without the correction every one of
// these maps shows a scatter of "hot spots" — that is what the test guards.
func TestAnalyzeUniformNoise(t *testing.T) {
	const maps = 100
	for _, shape := range []Shape{Square, Hex} {
		g := Grid{Size: 100, Shape: shape}
		withAny, significant, cells := 0, 0, 0
		for seed := uint64(1); seed <= maps; seed++ {
			rng := rand.New(rand.NewPCG(seed, 99))
			noise := city(rng, 60, 5)
			res, err := Analyze(noise, g, Options{FDR: true})
			if err != nil {
				t.Fatal(err)
			}
			n := len(res.Cells) - res.Summary.Bins[0]
			if n > 0 {
				withAny++
			}
			significant += n
			cells += len(res.Cells)

			raw, err := Analyze(noise, g, Options{FDR: false})
			if err != nil {
				t.Fatal(err)
			}
			// About one cell in ten is "significant at 90 %" by chance.
			frac := float64(len(raw.Cells)-raw.Summary.Bins[0]) / float64(len(raw.Cells))
			if frac < 0.03 || frac > 0.25 {
				t.Errorf("%s seed %d: %.1f %% of noise cells significant without FDR, want roughly 10 %%", shape, seed, 100*frac)
			}
		}
		if withAny > maps/5 {
			t.Errorf("%s: %d of %d noise maps show a significant cell after FDR, want at most %d", shape, withAny, maps, maps/5)
		}
		if share := float64(significant) / float64(cells); share > 0.0005 {
			t.Errorf("%s: %.3f %% of all noise cells significant after FDR", shape, 100*share)
		}
	}
}

func TestAnalyzeSummary(t *testing.T) {
	// The 3×3 example from TestGiStar3x3 under rook contiguity.
	var cells []Cell
	for k, c := range block(3, 3) {
		cells = append(cells, Cell{I: c.I, J: c.J, Count: int(grid3x3[k])})
	}
	g := Grid{Size: 100, Shape: Square}
	res, err := Analyze(cells, g, Options{Neighbourhood: Neighbourhood{Rule: Rook}})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Summary
	if s.Cells != 9 || s.Points != 9 || s.FDR || s.Neighbourhood.Rule != Rook {
		t.Errorf("summary = %+v", s)
	}
	if !near(s.Mean, 1, tol) || !near(s.SD, math.Sqrt(20)/3, tol) {
		t.Errorf("mean %v sd %v, want 1 and √20/3", s.Mean, s.SD)
	}
	// Rook z: centre 1.697 (p 0.0897 → bin 1), others below 0.85.
	if s.Bins[1] != 1 || s.Bins[0] != 8 || len(s.Bins) != 7 {
		t.Errorf("bins = %v, want one cell in bin 1 and eight in 0", s.Bins)
	}
	centre := res.Cells[4]
	if centre.Bin != 1 || centre.Neighbours != 4 || centre.PAdjusted != centre.P {
		t.Errorf("centre = %+v", centre)
	}
	// Default neighbourhood is queen for squares.
	def, err := Analyze(cells, g, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if def.Summary.Neighbourhood.Rule != Queen || def.Cells[4].Neighbours != 8 {
		t.Errorf("default neighbourhood %v with %d neighbours, want queen with 8", def.Summary.Neighbourhood, def.Cells[4].Neighbours)
	}
}

func TestAnalyzeErrors(t *testing.T) {
	g := Grid{Size: 100, Shape: Square}
	if _, err := Analyze(nil, g, Options{}); err == nil {
		t.Error("no cells: want an error")
	}
	if _, err := Analyze([]Cell{{0, 0, 1}, {1, 0, -1}}, g, Options{}); err == nil {
		t.Error("negative count: want an error")
	}
	if _, err := Analyze([]Cell{{0, 0, 1}, {0, 0, 2}}, g, Options{}); err == nil {
		t.Error("duplicate cell: want an error")
	}
}

// BenchmarkGiStar130k is Kristianstad at 100 m: ~1 300 km², ~130 000 cells,
// queen contiguity, weights built from scratch each time.
func BenchmarkGiStar130k(b *testing.B) {
	g := Grid{Origin: Point{420000, 6180000}, Size: 100, Shape: Square}
	rng := rand.New(rand.NewPCG(1, 2))
	var cells []Index
	var values []float64
	for i := range 400 {
		for j := range 325 {
			cells = append(cells, Index{i, j})
			values = append(values, float64(poisson(rng, 0.3)))
		}
	}
	b.ResetTimer()
	for b.Loop() {
		w, err := BuildWeights(g, cells, Neighbourhood{Rule: Queen})
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := GiStar(values, w); err != nil {
			b.Fatal(err)
		}
	}
}
