package tiles

// SensitiveGridM is the side, in metres of SWEREF 99 TM (EPSG:3006), of the squares
// that points of sensitive categories are moved to the centre of before anyone
// outside staff sees them. 100 m hides which house or entrance a report is about
// while keeping the block. The snapping happens before tile or bounding-box
// selection, so neither which tile a point falls in nor a bbox query can say more
// than the square.
const SensitiveGridM = 100

// CellSize returns the side in metres of the report_cells squares at zoom z: about
// a sixteenth of a tile's width in central Sweden, halving with every zoom, never
// finer than the sensitive grid. Cells are aligned to multiples of their size in
// EPSG:3006 so one square means the same thing in every tile.
func CellSize(z int) int {
	// 16 km at z 7 is about 1/16 of a z 7 tile's ground width at 60° N (≈ 156 km).
	size := 16000
	for i := 7; i < z && size > 125; i++ {
		size /= 2
	}
	for i := z; i < 7 && size < 128000; i++ {
		size *= 2
	}
	return max(size, SensitiveGridM)
}

// MaxPoints is how many points a tile may carry before it ships clusters
// instead: above it a tile stops being quick to send and draw.
const MaxPoints = 5000

// ClusterPixels is the side, in tile units (of Extent), of the squares points are
// gathered into when a tile has more than MaxPoints.
const ClusterPixels = 64
