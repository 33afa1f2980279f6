package tiles

import (
	"strconv"
	"strings"
)

// Key is the cache key of one tile: everything its bytes depend on except the
// data version, which the cached entry carries (Rendered.Version) so that a newer
// version replaces the older entry instead of sitting beside it. scope is the
// sorted municipality list of a staff token (nil for public layers).
func Key(layer string, t Tile, f Filter, scope []string) string {
	var b strings.Builder
	b.WriteString(layer)
	b.WriteByte('/')
	b.WriteString(strconv.Itoa(t.Z))
	b.WriteByte('/')
	b.WriteString(strconv.Itoa(t.X))
	b.WriteByte('/')
	b.WriteString(strconv.Itoa(t.Y))
	b.WriteString("|")
	b.WriteString(f.Key())
	b.WriteString("|m=")
	b.WriteString(strings.Join(scope, ","))
	return b.String()
}
