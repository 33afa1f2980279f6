package httpapi

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/trygg/trygg/internal/hotspot"
)

// hotspotTimings split a request's time for the Server-Timing header, so a
// slow map can be blamed on the database or on the computation.
type hotspotTimings struct {
	version, sql, compute time.Duration
	cached                bool
}

// start begins timing into d; the returned func stops it.
func (t *hotspotTimings) start(d *time.Duration) func() {
	s := time.Now()
	return func() { *d += time.Since(s) }
}

func (t *hotspotTimings) header() string {
	ms := func(d time.Duration) string { return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) }
	h := "version;dur=" + ms(t.version)
	if t.cached {
		return h + ", cache;desc=hit"
	}
	return h + ", sql;dur=" + ms(t.sql) + ", compute;dur=" + ms(t.compute)
}

func etagOf(key string) string {
	return fmt.Sprintf(`"%x"`, fnv64(key))
}

// fnv64 is FNV-1a; the ETag only has to change when the key does.
func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// writeGeoJSON streams an RFC 7946 FeatureCollection of grid cells, with the
// summary as a foreign member. A whole municipality at 100 m is 130 000
// features, so it is written by hand into a buffer rather than through
// encoding/json, which would build and reflect over every feature.
func (h *hotspotAPI) writeGeoJSON(c *gin.Context, t *hotspotTimings, etag string, g hotspot.Grid, n int,
	summary any, cell func(buf []byte, k int) (hotspot.Index, []byte)) {
	sum, err := json.Marshal(summary)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Server-Timing", t.header())
	c.Header("Content-Type", "application/geo+json")
	c.Status(http.StatusOK)
	w := bufio.NewWriterSize(c.Writer, 1<<16)
	w.WriteString(`{"type":"FeatureCollection","summary":`)
	w.Write(sum)
	w.WriteString(`,"features":[`)
	// Features are encoded in parallel, a round of chunks at a time, and
	// written in order: the projection and number formatting are most of the
	// cost, and rounds keep memory to a few MB however large the map.
	const chunk = 8192
	workers := runtime.GOMAXPROCS(0)
	parts := make([][]byte, workers)
	var wg sync.WaitGroup
	for round := 0; round < n; round += workers * chunk {
		for p := range parts {
			from, to := min(round+p*chunk, n), min(round+(p+1)*chunk, n)
			wg.Add(1)
			go func() {
				defer wg.Done()
				parts[p] = appendFeatures(parts[p][:0], g, from, to, cell)
			}()
		}
		wg.Wait()
		for _, part := range parts {
			w.Write(part)
		}
	}
	w.WriteString("]}\n")
	w.Flush()
}

// appendFeatures encodes features from..to-1, each preceded by a comma but
// the very first.
func appendFeatures(buf []byte, g hotspot.Grid, from, to int, cell func(buf []byte, k int) (hotspot.Index, []byte)) []byte {
	props := make([]byte, 0, 256)
	var ring cellRing
	for k := from; k < to; k++ {
		var idx hotspot.Index
		idx, props = cell(props[:0], k)
		if k > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, `{"type":"Feature","geometry":{"type":"Polygon","coordinates":[`...)
		buf = ring.append(buf, g, idx)
		buf = append(buf, `]},"properties":{`...)
		buf = append(buf, props...)
		buf = append(buf, `}}`...)
	}
	return buf
}

// cellRing projects cell outlines to WGS 84. Cells come column by column, so
// a cell's lower edge is usually the upper edge of the one before it: those
// two corners are reused rather than projected again.
type cellRing struct {
	prev   hotspot.Index
	has    bool
	lonLat [6][2]float64
}

// append writes the outline, closed and counter-clockwise (RFC 7946).
func (r *cellRing) append(b []byte, g hotspot.Grid, c hotspot.Index) []byte {
	corners := g.Corners(c)
	// Corner order (see Grid.Corners): squares SW, SE, NE, NW; hexagons W,
	// SW, SE, E, NE, NW. The lower edge is SW–SE, the upper NW–NE.
	sw, se, ne, nw := 0, 1, 2, 3
	if g.Shape == hotspot.Hex {
		sw, se, ne, nw = 1, 2, 4, 5
	}
	shared := r.has && r.prev.I == c.I && r.prev.J == c.J-1
	if shared {
		r.lonLat[sw], r.lonLat[se] = r.lonLat[nw], r.lonLat[ne]
	}
	for k, p := range corners {
		if shared && (k == sw || k == se) {
			continue
		}
		r.lonLat[k][0], r.lonLat[k][1] = swerefToWGS84(p.X, p.Y)
	}
	r.prev, r.has = c, true
	b = append(b, '[')
	for k := 0; k <= len(corners); k++ {
		ll := r.lonLat[k%len(corners)]
		if k > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = appendDegrees(b, ll[0])
		b = append(b, ',')
		b = appendDegrees(b, ll[1])
		b = append(b, ']')
	}
	return append(b, ']')
}

// appendDegrees writes a coordinate with six decimals (about 0.1 m), the
// same digits strconv's 'f' format gives, at a fraction of its cost.
func appendDegrees(b []byte, v float64) []byte {
	if math.IsNaN(v) || math.Abs(v) > 1e9 {
		return append(b, '0')
	}
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	n := int64(math.Round(v * 1e6))
	b = strconv.AppendInt(b, n/1e6, 10)
	frac := n % 1e6
	var d [7]byte
	d[0] = '.'
	for k := 6; k >= 1; k-- {
		d[k] = byte('0' + frac%10)
		frac /= 10
	}
	return append(b, d[:]...)
}

// appendProperties writes one Gi* or kernel density cell's properties.
func (res *HotspotResult) appendProperties(b []byte, k int) (hotspot.Index, []byte) {
	c := &res.Cells[k]
	b = appendCellID(b, c.I, c.J)
	b = append(b, `,"count":`...)
	b = strconv.AppendInt(b, int64(c.Count), 10)
	if res.Summary.Method == "kde" {
		b = append(b, `,"density":`...)
		b = appendNumber(b, c.Density)
		return hotspot.Index{I: int(c.I), J: int(c.J)}, b
	}
	b = append(b, `,"z":`...)
	b = appendNumber(b, c.Z)
	b = append(b, `,"p":`...)
	b = appendNumber(b, c.P)
	b = append(b, `,"p_adjusted":`...)
	b = appendNumber(b, c.PAdjusted)
	b = append(b, `,"bin":`...)
	b = strconv.AppendInt(b, int64(c.Bin), 10)
	return hotspot.Index{I: int(c.I), J: int(c.J)}, b
}

func appendCellID(b []byte, i, j int32) []byte {
	b = append(b, `"i":`...)
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, `,"j":`...)
	return strconv.AppendInt(b, int64(j), 10)
}

// appendNumber writes a float with the precision a map needs (6 significant
// figures), never NaN or Inf, which JSON cannot carry.
func appendNumber(b []byte, f float64) []byte {
	s := strconv.AppendFloat(b, f, 'g', 6, 64)
	if str := string(s[len(b):]); strings.ContainsAny(str, "IN") {
		return append(b, '0')
	}
	return s
}
