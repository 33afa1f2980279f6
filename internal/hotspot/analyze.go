package hotspot

// Cell is one analysis cell and the number of reports in it. Cells inside the
// study area with no reports must be passed with Count 0: they are part of the
// analysis, and leaving them out would make every occupied cell look ordinary.
type Cell struct {
	I, J  int
	Count int
}

// Options select how Analyze defines neighbours and significance.
type Options struct {
	// Neighbourhood defaults to contiguity for the grid's shape (queen for
	// squares, ring 1 for hexagons) when Rule is empty.
	Neighbourhood Neighbourhood
	// FDR applies the Benjamini–Hochberg correction before binning.
	FDR bool
}

// CellResult is the outcome for one cell.
type CellResult struct {
	I, J  int
	Count int
	// Z is the Gi* z-score; P its raw two-sided p-value.
	Z, P float64
	// PAdjusted is the Benjamini–Hochberg p-value when FDR is on, and equals
	// P when it is off; it is the value Bin was decided on.
	PAdjusted float64
	Bin       Bin
	// Neighbours is the size of the cell's neighbourhood, itself excluded;
	// edge cells have fewer.
	Neighbours int
}

// Summary describes the whole run, for the map legend and the lägesbild.
type Summary struct {
	Cells  int
	Points int
	// Bins counts cells per bin, every bin from -3 to 3 present.
	Bins          map[Bin]int
	Grid          Grid
	Neighbourhood Neighbourhood
	FDR           bool
	// Mean and SD are the mean count per cell and its population standard
	// deviation, the reference Gi* compares each neighbourhood with.
	Mean, SD float64
}

// Result is the per-cell outcome, in the order the cells were given.
type Result struct {
	Cells   []CellResult
	Summary Summary
}

// Analyze runs a Getis-Ord Gi* hot spot analysis over the given cells.
//
// A note on sparse counts: Gi* p-values come from the normal distribution, as
// in ArcGIS and spdep. When cells hold few reports (a mean well below about 5
// per cell) the neighbourhood sums are skewed and the far upper tail is
// heavier than normal, so extreme z-scores — exactly those that survive FDR —
// turn up in pure noise more often than the nominal rate. Larger cells or a
// wider neighbourhood help; Optimize picks the cell size with this in mind.
func Analyze(cells []Cell, g Grid, opts Options) (Result, error) {
	if len(cells) == 0 {
		return Result{}, invalid("no cells to analyse")
	}
	nb := opts.Neighbourhood
	if nb.Rule == "" {
		nb = DefaultNeighbourhood(g.Shape)
	}
	index := make([]Index, len(cells))
	values := make([]float64, len(cells))
	points := 0
	for k, c := range cells {
		if c.Count < 0 {
			return Result{}, invalid("cell (%d, %d) has a negative count %d", c.I, c.J, c.Count)
		}
		index[k] = Index{I: c.I, J: c.J}
		values[k] = float64(c.Count)
		points += c.Count
	}
	w, err := BuildWeights(g, index, nb)
	if err != nil {
		return Result{}, err
	}
	z, p, err := GiStar(values, w)
	if err != nil {
		return Result{}, err
	}
	padj := AdjustPValues(p, opts.FDR)
	mean, sd, _ := meanSD(values)
	res := Result{
		Cells: make([]CellResult, len(cells)),
		Summary: Summary{
			Cells: len(cells), Points: points, Bins: emptyBinCounts(),
			Grid: g, Neighbourhood: nb, FDR: opts.FDR, Mean: mean, SD: sd,
		},
	}
	for k, c := range cells {
		b := BinOf(z[k], padj[k])
		res.Cells[k] = CellResult{
			I: c.I, J: c.J, Count: c.Count,
			Z: z[k], P: p[k], PAdjusted: padj[k], Bin: b,
			Neighbours: len(w.Neighbours(k)),
		}
		res.Summary.Bins[b]++
	}
	return res, nil
}

func emptyBinCounts() map[Bin]int {
	m := make(map[Bin]int, 7)
	for b := Bin(-3); b <= 3; b++ {
		m[b] = 0
	}
	return m
}
