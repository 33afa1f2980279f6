package tiles

import "testing"

func TestVersionsFollowSquares(t *testing.T) {
	v := NewVersions()
	if v.Live() {
		t.Fatal("new versions are live")
	}
	near := Tile{14, 552*16 + 3, 301*16 + 3}.Squares() // squares 551..553 × 300..302
	far := Tile{14, 600 * 16, 301 * 16}.Squares()
	world := Tile{0, 0, 0}.Squares()
	v0 := v.Of(near)

	v.Changed(553, 302, 17) // inside near's margin
	v1 := v.Of(near)
	if v1 <= v0 {
		t.Errorf("a change in the margin left the version at %d", v1)
	}
	if got := v.Of(far); got != v0 {
		t.Errorf("a far tile changed from %d to %d", v0, got)
	}
	if got := v.Of(world); got != v1 {
		t.Errorf("the world tile is at %d, want %d", got, v1)
	}
	v.Changed(553, 302, 17) // the same change told again
	if got := v.Of(near); got != v1 {
		t.Errorf("a repeated change moved the version from %d to %d", v1, got)
	}
	v.Changed(554, 302, 18) // just outside near's margin, inside the world
	if got := v.Of(near); got != v1 {
		t.Errorf("a change outside the margin moved near from %d to %d", v1, got)
	}
	if got := v.Of(world); got <= v1 {
		t.Errorf("the world tile did not see the second change: %d", got)
	}
	v.Changed(-1, 5, 19) // ignored
	v.Changed(1<<VersionZoom, 5, 20)

	before := v.Of(far)
	v.SetLive(true)
	if !v.Live() || v.Of(far) <= before {
		t.Errorf("going live: live=%v, far %d → %d", v.Live(), before, v.Of(far))
	}
	live := v.Of(near)
	v.SetLive(false)
	if v.Live() || v.Of(near) <= live {
		t.Error("going down did not make everything stale")
	}
}

// TestVersionsOfBothWays checks the two ways Of looks (over the tile's squares
// or over the changed ones) agree.
func TestVersionsOfBothWays(t *testing.T) {
	v := NewVersions()
	for i := range 40 {
		v.Changed(500+i, 300+i%7, int64(i+1))
	}
	for _, sq := range []VersionSquares{{500, 502, 300, 302}, {510, 530, 290, 310}, {0, 1023, 0, 1023}, {600, 610, 0, 10}} {
		want := v.epoch
		for x := sq.X0; x <= sq.X1; x++ {
			for y := sq.Y0; y <= sq.Y1; y++ {
				if s := v.squares[squareKey(x, y)]; s != nil {
					want = max(want, s.version)
				}
			}
		}
		if got := v.Of(sq); got != want {
			t.Errorf("Of(%+v) = %d, want %d", sq, got, want)
		}
	}
}
