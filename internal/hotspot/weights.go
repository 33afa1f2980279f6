package hotspot

import (
	"fmt"
	"math"
)

// Rule says which cells count as neighbours.
type Rule string

const (
	// Queen: square cells sharing an edge or a corner (8 around a cell).
	Queen Rule = "queen"
	// Rook: square cells sharing an edge (4 around a cell).
	Rook Rule = "rook"
	// HexRing: hexagons sharing an edge (the 6 of ring 1).
	HexRing Rule = "hex_ring"
	// DistanceBand: cells whose centres lie within Distance metres.
	DistanceBand Rule = "distance_band"
)

// Neighbourhood is the spatial relationship used by Gi*, Moran's I and the
// space-time analysis. Weights are binary: a cell is a neighbour or it is not.
type Neighbourhood struct {
	Rule Rule
	// Distance is the band in metres, centre to centre, inclusive; only for
	// DistanceBand.
	Distance float64
}

// DefaultNeighbourhood is contiguity for the shape: queen for squares, ring 1
// for hexagons.
func DefaultNeighbourhood(s Shape) Neighbourhood {
	if s == Hex {
		return Neighbourhood{Rule: HexRing}
	}
	return Neighbourhood{Rule: Queen}
}

func (n Neighbourhood) String() string {
	if n.Rule == DistanceBand {
		return fmt.Sprintf("distance band %.0f m", n.Distance)
	}
	return string(n.Rule)
}

// maxOffsets bounds the neighbours per cell; beyond it a distance band is so
// wide relative to the cells that the analysis would be both slow and
// meaningless (it would no longer be local).
const maxOffsets = 10000

// radius turns the rule into a centre-to-centre distance. Every contiguity rule
// on a regular grid is a distance band: rook is one spacing, queen √2, a hex
// ring √3·Size (one hex spacing).
func (n Neighbourhood) radius(g Grid) (float64, error) {
	switch n.Rule {
	case Queen, Rook:
		if g.Shape != Square {
			return 0, invalid("%s neighbours need square cells; use %s for hexagons", n.Rule, HexRing)
		}
		if n.Rule == Rook {
			return g.Size, nil
		}
		return math.Sqrt2 * g.Size, nil
	case HexRing:
		if g.Shape != Hex {
			return 0, invalid("%s neighbours need hexagonal cells; use %s or %s for squares", HexRing, Queen, Rook)
		}
		return g.Spacing(), nil
	case DistanceBand:
		if !(n.Distance > 0) || math.IsInf(n.Distance, 0) {
			return 0, invalid("distance band must be a positive number of metres, got %v", n.Distance)
		}
		return n.Distance, nil
	}
	return 0, invalid("unknown neighbour rule %q", n.Rule)
}

// Weights holds, for each analysis cell, the positions of its neighbours — not
// the cell itself; Gi* adds the cell by definition, Moran's I must not. The
// layout is compressed rows: neighbours of k are list[start[k]:start[k+1]].
// Weights built here are symmetric because they come from centre distances.
type Weights struct {
	start []int32
	list  []int32
}

// Len is the number of cells.
func (w *Weights) Len() int { return len(w.start) - 1 }

// Neighbours returns the positions of the neighbours of cell k, itself excluded.
func (w *Weights) Neighbours(k int) []int32 { return w.list[w.start[k]:w.start[k+1]] }

// BuildWeights finds the neighbours of every cell among the given cells. It
// precomputes the (Δi, Δj) offsets that lie within the band — the same for
// every cell of a regular grid, up to the parity of a hex column — and looks
// each one up in a grid index, so the cost is cells × offsets, never cells².
func BuildWeights(g Grid, cells []Index, n Neighbourhood) (*Weights, error) {
	if err := g.Validate(); err != nil {
		return nil, err
	}
	r, err := n.radius(g)
	if err != nil {
		return nil, err
	}
	idx, err := newCellIndex(cells)
	if err != nil {
		return nil, err
	}
	offsets, err := bandOffsets(g, r)
	if err != nil {
		return nil, err
	}
	w := &Weights{start: make([]int32, len(cells)+1)}
	w.list = make([]int32, 0, len(cells)*len(offsets[0]))
	for k, c := range cells {
		for _, o := range offsets[parity(g, c.I)] {
			if m := idx.find(Index{I: c.I + o.I, J: c.J + o.J}); m >= 0 {
				w.list = append(w.list, int32(m))
			}
		}
		w.start[k+1] = int32(len(w.list))
	}
	return w, nil
}

// Neighbours lists the cells around c under the rule, on an unbounded grid
// (whether they lie in the study area is for the caller to decide): 8 for
// queen, 4 for rook, 6 for a hex ring, and every cell whose centre is within
// the band for a distance band.
func (g Grid) Neighbours(c Index, n Neighbourhood) ([]Index, error) {
	if err := g.Validate(); err != nil {
		return nil, err
	}
	r, err := n.radius(g)
	if err != nil {
		return nil, err
	}
	offsets, err := bandOffsets(g, r)
	if err != nil {
		return nil, err
	}
	out := make([]Index, 0, len(offsets[parity(g, c.I)]))
	for _, o := range offsets[parity(g, c.I)] {
		out = append(out, Index{I: c.I + o.I, J: c.J + o.J})
	}
	return out, nil
}

// parity selects the offset table: hex columns alternate, squares do not.
func parity(g Grid, i int) int {
	if g.Shape == Hex && i%2 != 0 {
		return 1
	}
	return 0
}

// bandOffsets lists, for an even and an odd column, the offsets of the cells
// whose centre is within r of the cell's centre, excluding the cell itself. A
// relative tolerance keeps exact contiguity distances (√2·Size) inside despite
// rounding.
func bandOffsets(g Grid, r float64) ([2][]Index, error) {
	var out [2][]Index
	eps := 1e-9 * g.Spacing()
	for par := 0; par < 2; par++ {
		origin := Index{I: par, J: 0}
		c := g.Center(origin)
		box := Box{c.X - r - eps, c.Y - r - eps, c.X + r + eps, c.Y + r + eps}
		var list []Index
		g.eachCenterIn(box, func(o Index, p Point) {
			if o == origin || math.Hypot(p.X-c.X, p.Y-c.Y) > r+eps {
				return
			}
			list = append(list, Index{I: o.I - origin.I, J: o.J - origin.J})
		})
		if len(list) > maxOffsets {
			return out, invalid("a %.0f m band holds %d cells of %.0f m around each cell; use a smaller band or larger cells", r, len(list), g.Size)
		}
		out[par] = list
	}
	return out, nil
}
