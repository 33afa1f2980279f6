package hotspot

// cellIndex finds a cell's position in the analysis slice from its (i, j).
// Neighbour search asks it millions of times, so where the cells fill their
// bounding rectangle reasonably it is a dense array; a study area scattered
// over a huge extent falls back to a map rather than allocating the void.
type cellIndex struct {
	minI, minJ, cols, rows int
	dense                  []int32 // position+1; 0 means no cell
	sparse                 map[Index]int32
}

// The dense array may have up to densePerCell slots per cell plus a fixed
// allowance, so a compact municipality gets the array and a scattered one a map.
const (
	densePerCell   = 8
	denseAllowance = 1 << 20
)

func newCellIndex(cells []Index) (*cellIndex, error) {
	x := &cellIndex{}
	if len(cells) == 0 {
		x.sparse = map[Index]int32{}
		return x, nil
	}
	minI, maxI, minJ, maxJ := cells[0].I, cells[0].I, cells[0].J, cells[0].J
	for _, c := range cells[1:] {
		minI, maxI = min(minI, c.I), max(maxI, c.I)
		minJ, maxJ = min(minJ, c.J), max(maxJ, c.J)
	}
	cols, rows := int64(maxI-minI)+1, int64(maxJ-minJ)+1
	if slots := cols * rows; slots <= int64(len(cells))*densePerCell+denseAllowance {
		x.minI, x.minJ, x.cols, x.rows = minI, minJ, int(cols), int(rows)
		x.dense = make([]int32, slots)
		for k, c := range cells {
			slot := (c.I-minI)*x.rows + (c.J - minJ)
			if x.dense[slot] != 0 {
				return nil, invalid("cell (%d, %d) is listed twice", c.I, c.J)
			}
			x.dense[slot] = int32(k + 1)
		}
		return x, nil
	}
	x.sparse = make(map[Index]int32, len(cells))
	for k, c := range cells {
		if _, dup := x.sparse[c]; dup {
			return nil, invalid("cell (%d, %d) is listed twice", c.I, c.J)
		}
		x.sparse[c] = int32(k)
	}
	return x, nil
}

// find returns the position of cell c, or -1 when c is not an analysis cell.
func (x *cellIndex) find(c Index) int {
	if x.dense == nil {
		if k, ok := x.sparse[c]; ok {
			return int(k)
		}
		return -1
	}
	di, dj := c.I-x.minI, c.J-x.minJ
	if di < 0 || dj < 0 || di >= x.cols || dj >= x.rows {
		return -1
	}
	return int(x.dense[di*x.rows+dj]) - 1
}
