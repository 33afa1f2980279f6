package httpapi

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/hotspot"
)

// HotspotQuery is one hotspot request, checked and normalised: two requests
// that mean the same analysis have the same key.
type HotspotQuery struct {
	// Exactly one study area: a municipality, an area or a WGS 84 bbox.
	Municipality string
	Area         uuid.UUID
	BBox         []float64 // minLon, minLat, maxLon, maxLat
	Kind         string
	Category     string
	From, To     time.Time
	// Cell is the cell size in metres (square side, hexagon edge); 0 asks
	// for the optimized choice.
	Cell       float64
	Shape      hotspot.Shape
	Neighbours hotspot.Neighbourhood // empty Rule: the default for the shape
	Method     string                // gistar or kde
	FDR        bool
	Bandwidth  float64 // kde search radius in metres; 0: the default rule
	// Emerging hot spots only.
	Step  string // week or month
	Steps int
	// NoCache forces a fresh computation (benchmarks, checking a fix).
	NoCache bool
}

// Limits that keep one request within memory and time.
const (
	maxHotspotCells = 500_000
	minCellMetres   = 10
	maxCellMetres   = 50_000
	maxEmergingBins = 2_000_000
)

var stockholm = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Stockholm"); err == nil {
		return l
	}
	return time.UTC
}()

// parseHotspotQuery reads the query string. Dates (2026-10-01) are Swedish
// local days; "to" as a date includes that whole day.
func parseHotspotQuery(v url.Values) (HotspotQuery, error) {
	q := HotspotQuery{
		Municipality: v.Get("municipality"), Kind: v.Get("kind"), Category: v.Get("category"),
		Shape: hotspot.Shape(orDefault(v.Get("shape"), "square")), Method: orDefault(v.Get("method"), "gistar"),
		FDR: true, Step: orDefault(v.Get("step"), "month"), Steps: 12,
	}
	var err error
	areas := 0
	if q.Municipality != "" {
		areas++
		if len(q.Municipality) != 4 || strings.Trim(q.Municipality, "0123456789") != "" {
			return q, apperr.Field("municipality", "municipality must be a four-digit kommunkod")
		}
	}
	if s := v.Get("area"); s != "" {
		areas++
		if q.Area, err = uuid.Parse(s); err != nil {
			return q, apperr.Field("area", "area must be an area id (uuid)")
		}
	}
	if s := v.Get("bbox"); s != "" {
		areas++
		if q.BBox, err = parseBBox(s); err != nil {
			return q, err
		}
	}
	if areas > 1 {
		return q, apperr.Errorf(apperr.Invalid, "give one study area: municipality, area or bbox")
	}
	if q.Kind != "" && q.Kind != "otrygghet" && q.Kind != "felanmalan" {
		return q, apperr.Field("kind", "kind must be otrygghet or felanmalan")
	}
	if q.From, err = parseDay(v.Get("from"), "from", false); err != nil {
		return q, err
	}
	if q.To, err = parseDay(v.Get("to"), "to", true); err != nil {
		return q, err
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return q, apperr.Field("from", "from must be before to")
	}
	if q.Shape != hotspot.Square && q.Shape != hotspot.Hex {
		return q, apperr.Field("shape", "shape must be square or hex")
	}
	if q.Cell, err = parseMetres(v, "cell", minCellMetres, maxCellMetres); err != nil {
		return q, err
	}
	if q.Bandwidth, err = parseMetres(v, "bandwidth", 1, 100_000); err != nil {
		return q, err
	}
	if q.Neighbours, err = parseNeighbours(v.Get("neighbours"), q.Shape); err != nil {
		return q, err
	}
	if q.Method != "gistar" && q.Method != "kde" {
		return q, apperr.Field("method", "method must be gistar or kde")
	}
	if s := v.Get("fdr"); s != "" {
		if q.FDR, err = strconv.ParseBool(s); err != nil {
			return q, apperr.Field("fdr", "fdr must be true or false")
		}
	}
	if q.Step != "week" && q.Step != "month" {
		return q, apperr.Field("step", "step must be week or month")
	}
	if s := v.Get("steps"); s != "" {
		if q.Steps, err = strconv.Atoi(s); err != nil || q.Steps < 3 || q.Steps > 104 {
			return q, apperr.Field("steps", "steps must be a whole number from 3 to 104")
		}
	}
	q.NoCache, _ = strconv.ParseBool(v.Get("nocache"))
	return q, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func parseBBox(s string) ([]float64, error) {
	parts := strings.Split(s, ",")
	bad := apperr.Field("bbox", "bbox must be minLon,minLat,maxLon,maxLat in WGS 84 degrees within Sweden's longitudes and latitudes")
	if len(parts) != 4 {
		return nil, bad
	}
	b := make([]float64, 4)
	for k, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return nil, bad
		}
		b[k] = f
	}
	if b[0] >= b[2] || b[1] >= b[3] || b[0] < 5 || b[2] > 30 || b[1] < 50 || b[3] > 75 {
		return nil, bad
	}
	return b, nil
}

func parseDay(s, field string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	d, err := time.ParseInLocation(time.DateOnly, s, stockholm)
	if err != nil {
		return time.Time{}, apperr.Field(field, "%s must be a date (2026-10-01) or an RFC 3339 time", field)
	}
	if end {
		d = d.AddDate(0, 0, 1)
	}
	return d, nil
}

func parseMetres(v url.Values, field string, lo, hi float64) (float64, error) {
	s := v.Get(field)
	if s == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < lo || f > hi {
		return 0, apperr.Field(field, "%s must be a number of metres from %g to %g", field, lo, hi)
	}
	return f, nil
}

// parseNeighbours reads queen, rook, hex (ring 1) or distance:300.
func parseNeighbours(s string, shape hotspot.Shape) (hotspot.Neighbourhood, error) {
	switch {
	case s == "":
		return hotspot.Neighbourhood{}, nil
	case (s == "queen" || s == "rook") && shape == hotspot.Square:
		return hotspot.Neighbourhood{Rule: hotspot.Rule(s)}, nil
	case s == "hex" && shape == hotspot.Hex:
		return hotspot.Neighbourhood{Rule: hotspot.HexRing}, nil
	case strings.HasPrefix(s, "distance:"):
		d, err := strconv.ParseFloat(strings.TrimPrefix(s, "distance:"), 64)
		if err == nil && d > 0 && d <= 20_000 {
			return hotspot.Neighbourhood{Rule: hotspot.DistanceBand, Distance: d}, nil
		}
	}
	return hotspot.Neighbourhood{}, apperr.Field("neighbours",
		"neighbours must be queen or rook (square cells), hex (hexagons) or distance:<metres> up to 20000")
}

// key is the cache key without the data version: every field that changes
// the answer, nothing that does not.
func (q HotspotQuery) key(kind string) string {
	return fmt.Sprintf("%s|m=%s|a=%s|b=%v|k=%s|c=%s|f=%d|t=%d|cell=%g|s=%s|n=%s|%s|meth=%s|fdr=%t|bw=%g|step=%s|%d",
		kind, q.Municipality, q.Area, q.BBox, q.Kind, q.Category, q.From.UnixNano(), q.To.UnixNano(),
		q.Cell, q.Shape, q.Neighbours.Rule, strconv.FormatFloat(q.Neighbours.Distance, 'g', -1, 64),
		q.Method, q.FDR, q.Bandwidth, q.Step, q.Steps)
}
