package hotspot

// StudyArea is where reports can occur: cells whose centre is in Box and, if
// Inside is set, satisfies it (for instance a point-in-municipality test).
type StudyArea struct {
	Box    Box
	Inside func(x, y float64) bool
}

// CellsInside lists the cells whose centre lies in the box and for which
// inside(x, y) holds at the centre — the analysis cell set of a study area.
// A nil inside accepts the whole box. Production callers let PostGIS decide
// which centres fall in a municipality; this serves tests and small callers.
func (g Grid) CellsInside(b Box, inside func(x, y float64) bool) []Index {
	var cells []Index
	g.eachCenterIn(b, func(c Index, p Point) {
		if inside == nil || inside(p.X, p.Y) {
			cells = append(cells, c)
		}
	})
	return cells
}

// CountPoints bins points into the given cells (zero-count cells included);
// points in no listed cell are counted as outside.
func CountPoints(g Grid, cells []Index, points []Point) (counted []Cell, outside int, err error) {
	idx, err := newCellIndex(cells)
	if err != nil {
		return nil, 0, err
	}
	counted = make([]Cell, len(cells))
	for k, c := range cells {
		counted[k] = Cell{I: c.I, J: c.J}
	}
	for _, p := range points {
		if k := idx.find(g.CellOf(p.X, p.Y)); k >= 0 {
			counted[k].Count++
		} else {
			outside++
		}
	}
	return counted, outside, nil
}
