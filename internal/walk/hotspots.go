package walk

import (
	"fmt"

	"github.com/paulmach/orb"

	"github.com/trygg/trygg/internal/hotspot"
)

// HotspotCellMetres is the side of the square cells hotspot candidates are
// found on: about a block, so a cell is one place a group can stop at.
const HotspotCellMetres = 100.0

// StudyCell is one square cell of the area a walk can reach, numbered as in
// PostGIS ST_SquareGrid (origin 0,0 in EPSG:3006), with its centre in lon/lat.
type StudyCell struct {
	I, J   int
	Center orb.Point
}

// CellReports counts the reports of one category and time of day in a cell.
type CellReports struct {
	I, J      int
	Category  string // readable name
	TimeOfDay string // "" when the report has none
	Count     int
}

// HotspotPlaces runs Gi* (queen contiguity, Benjamini–Hochberg FDR) over the
// study cells, zero-count cells included, and returns the cells in bins +2
// and +3 that are local peaks (see peaks) as places to visit. Cold spots and
// insignificant cells are dropped.
func HotspotPlaces(cells []StudyCell, reports []CellReports) ([]ReportPlace, error) {
	if len(cells) == 0 {
		return nil, nil
	}
	type key struct{ i, j int }
	at := make(map[key]int, len(cells))
	counted := make([]hotspot.Cell, len(cells))
	places := make([]ReportPlace, len(cells))
	for k, c := range cells {
		at[key{c.I, c.J}] = k
		counted[k] = hotspot.Cell{I: c.I, J: c.J}
		places[k] = ReportPlace{ID: fmt.Sprintf("cell-%d-%d", c.I, c.J), Center: c.Center, TimesOfDay: map[string]int{}}
	}
	for _, r := range reports {
		k, ok := at[key{r.I, r.J}]
		if !ok {
			continue // binned outside the study cells; cannot happen with the SQL that feeds this
		}
		counted[k].Count += r.Count
		p := &places[k]
		p.Count += r.Count
		p.TimesOfDay[r.TimeOfDay] += r.Count
		addCategory(p, r.Category, r.Count)
	}
	grid := hotspot.Grid{Size: HotspotCellMetres, Shape: hotspot.Square}
	res, err := hotspot.Analyze(counted, grid, hotspot.Options{FDR: true})
	if err != nil {
		return nil, err
	}
	return peaks(res.Cells, places), nil
}

// peaks keeps the hotspot cells (bin +2 or +3, with reports of their own)
// that are local peaks: no queen neighbour in a hotspot bin outranks them.
// Gi* lifts the neighbours of a busy cell too, and a group should stop once
// at a place, not at each of the nine cells around it.
func peaks(cells []hotspot.CellResult, places []ReportPlace) []ReportPlace {
	type key struct{ i, j int }
	hot := make(map[key]hotspot.CellResult)
	for _, c := range cells {
		if c.Bin >= 2 && c.Count > 0 {
			hot[key{c.I, c.J}] = c
		}
	}
	var out []ReportPlace
	for k, c := range cells {
		if _, ok := hot[key{c.I, c.J}]; !ok {
			continue
		}
		peak := true
		for di := -1; di <= 1 && peak; di++ {
			for dj := -1; dj <= 1; dj++ {
				n, ok := hot[key{c.I + di, c.J + dj}]
				if ok && outranks(n, c) {
					peak = false
					break
				}
			}
		}
		if peak {
			places[k].Bin = int(c.Bin)
			out = append(out, places[k])
		}
	}
	return out
}

// outranks orders neighbouring hotspot cells: more reports of its own first
// (that is where the group should stand; a neighbour's z-score can be the
// higher one, its neighbourhood holding the busy cell and more), then the
// higher z-score, then the lower index so that ties break the same way.
func outranks(a, b hotspot.CellResult) bool {
	switch {
	case a.Count != b.Count:
		return a.Count > b.Count
	case a.Z != b.Z:
		return a.Z > b.Z
	case a.I != b.I:
		return a.I < b.I
	}
	return a.J < b.J
}

func addCategory(p *ReportPlace, name string, n int) {
	for i := range p.Categories {
		if p.Categories[i].Name == name {
			p.Categories[i].Count += n
			return
		}
	}
	p.Categories = append(p.Categories, CategoryCount{Name: name, Count: n})
}
