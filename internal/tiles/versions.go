package tiles

import (
	"sync"
	"sync/atomic"
)

// Versions is this process's copy of the data versions of the version squares,
// so that a cached tile can be checked without asking the database. The numbers
// are local to the process (they are not the database's tile_versions values):
// every change of a square gives it the next number of a process-wide sequence.
//
// The changes arrive twice (internal/postgres/tilewatch.go): a write made by
// this process is applied by the connection that made it once its transaction
// has ended, before the write is answered, so the next tile request sees it;
// every write, of any process, also arrives as a notification on the one
// connection that listens. While nothing is listening (Live is false) the copy
// cannot be trusted and tiles are checked against the database instead.
type Versions struct {
	mu      sync.RWMutex
	seq     uint64
	epoch   uint64                  // every tile's version is at least this
	squares map[uint32]*squareState // x<<16 | y at VersionZoom
	live    atomic.Bool
}

// squareState is one square's local version and the identities of its latest
// changes, so that a change told twice (by the writing connection and by the
// listener) makes tiles stale once.
type squareState struct {
	version uint64
	recent  [recentChanges]int64
	next    int
}

// recentChanges is how many change identities a square remembers. A repeat
// older than that only costs a needless rebuild.
const recentChanges = 8

// NewVersions returns versions that are not live yet.
func NewVersions() *Versions { return &Versions{squares: map[uint32]*squareState{}} }

func squareKey(x, y int) uint32 { return uint32(x)<<16 | uint32(y) }

// Changed records that the data of the square x, y (at VersionZoom) changed;
// change identifies the change (the database's stamp, unique per change), so a
// repeat of it is ignored. Coordinates outside the grid are ignored.
func (v *Versions) Changed(x, y int, change int64) {
	if x < 0 || y < 0 || x >= 1<<VersionZoom || y >= 1<<VersionZoom {
		return
	}
	k := squareKey(x, y)
	v.mu.Lock()
	defer v.mu.Unlock()
	sq := v.squares[k]
	if sq == nil {
		sq = &squareState{}
		v.squares[k] = sq
	}
	for _, c := range sq.recent {
		if c == change && change != 0 {
			return
		}
	}
	sq.recent[sq.next] = change
	sq.next = (sq.next + 1) % recentChanges
	v.seq++
	sq.version = v.seq
}

// BumpAll makes every tile's version newer than any tile cached so far: for when
// changes may have been missed.
func (v *Versions) BumpAll() {
	v.mu.Lock()
	v.seq++
	v.epoch = v.seq
	v.mu.Unlock()
}

// SetLive says whether changes are being received. Going live first makes every
// cached tile stale, since changes made while nobody listened are unknown.
func (v *Versions) SetLive(live bool) {
	if live {
		v.BumpAll()
		v.live.Store(true)
		return
	}
	v.live.Store(false)
	v.BumpAll()
}

// Live reports whether the versions follow the database.
func (v *Versions) Live() bool { return v.live.Load() }

// Of returns the version of a tile that depends on the squares sq: the newest
// among them, and never older than the last BumpAll.
func (v *Versions) Of(sq VersionSquares) uint64 {
	v.mu.RLock()
	defer v.mu.RUnlock()
	out := v.epoch
	area := (sq.X1 - sq.X0 + 1) * (sq.Y1 - sq.Y0 + 1)
	if area <= len(v.squares) {
		for x := sq.X0; x <= sq.X1; x++ {
			for y := sq.Y0; y <= sq.Y1; y++ {
				if sq := v.squares[squareKey(x, y)]; sq != nil {
					out = max(out, sq.version)
				}
			}
		}
		return out
	}
	// A low-zoom tile spans more squares than have ever changed.
	for k, s := range v.squares {
		x, y := int(k>>16), int(k&0xffff)
		if s.version > out && x >= sq.X0 && x <= sq.X1 && y >= sq.Y0 && y <= sq.Y1 {
			out = s.version
		}
	}
	return out
}
