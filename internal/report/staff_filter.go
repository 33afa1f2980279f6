package report

import (
	"encoding/base64"
	"encoding/binary"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
)

// Paging limits of the staff queue.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// Query is the caseworker queue's filter as the client sent it, every field a
// raw string; Filter checks and parses it.
type Query struct {
	Kind         string
	Category     string
	Status       string // comma list
	Municipality string // comma list of kommunkoder
	BBox         string // minLon,minLat,maxLon,maxLat
	From, To     string // RFC 3339, on observed_at
	Text         string
	Visibility   string
	Cursor       string
	Limit        string
}

// Filter is a checked queue filter. Municipalities is never empty: a token only
// ever sees its own municipalities.
type Filter struct {
	Municipalities []string
	Kind           string
	// Category matches the code itself and every code below it (OTR.SOC matches
	// OTR.SOC.GATHER).
	Category   string
	Statuses   []Status
	Visibility Visibility
	BBox       *BBox
	From, To   *time.Time // observed_at in [From, To)
	Text       string     // Swedish full-text search on the description
	After      *Cursor
	Limit      int
}

// BBox is a WGS 84 bounding box.
type BBox struct{ MinLon, MinLat, MaxLon, MaxLat float64 }

// categoryCode is the shape of a category code; checking it also keeps LIKE
// wildcards out of the prefix match.
var categoryCode = regexp.MustCompile(`^[A-Z]+(\.[A-Z]+)*$`)

// Filter checks q against the token's scope, the municipalities it may see.
func (q Query) Filter(scope []string) (Filter, error) {
	f := Filter{Municipalities: scope, Kind: q.Kind, Category: q.Category, Text: strings.TrimSpace(q.Text), Limit: DefaultPageSize}
	if q.Municipality != "" {
		f.Municipalities = nil
		for _, code := range strings.Split(q.Municipality, ",") {
			code = strings.TrimSpace(code)
			if len(code) != 4 || strings.Trim(code, "0123456789") != "" {
				return f, apperr.Field("municipality", "municipality must be four-digit kommunkoder separated by commas, not %q", code)
			}
			if !slices.Contains(scope, code) {
				return f, apperr.Errorf(apperr.Forbidden, "this token is not scoped to municipality %q", code)
			}
			if !slices.Contains(f.Municipalities, code) {
				f.Municipalities = append(f.Municipalities, code)
			}
		}
	}
	switch f.Kind {
	case "", KindOtrygghet, KindFelanmalan:
	default:
		return f, apperr.Field("kind", "kind must be otrygghet or felanmalan, not %q", f.Kind)
	}
	if f.Category != "" && !categoryCode.MatchString(f.Category) {
		return f, apperr.Field("category", "category must be a code such as FEL.LIGHT or a group such as OTR.SOC")
	}
	if q.Status != "" {
		for _, s := range strings.Split(q.Status, ",") {
			st := Status(strings.TrimSpace(s))
			if !st.Valid() {
				return f, apperr.Field("status", "unknown status %q", st)
			}
			f.Statuses = append(f.Statuses, st)
		}
	}
	switch v := Visibility(q.Visibility); v {
	case "", Pending, Published, Hidden:
		f.Visibility = v
	default:
		return f, apperr.Field("visibility", "visibility must be pending, published or hidden")
	}
	var err error
	if f.BBox, err = parseBBox(q.BBox); err != nil {
		return f, err
	}
	if f.From, err = parseTime("from", q.From); err != nil {
		return f, err
	}
	if f.To, err = parseTime("to", q.To); err != nil {
		return f, err
	}
	if f.From != nil && f.To != nil && !f.From.Before(*f.To) {
		return f, apperr.Field("to", "to must be later than from")
	}
	if len(f.Text) > 200 {
		return f, apperr.Field("text", "text is longer than 200 characters")
	}
	if q.Cursor != "" {
		c, err := DecodeCursor(q.Cursor)
		if err != nil {
			return f, err
		}
		f.After = &c
	}
	if q.Limit != "" {
		n, err := strconv.Atoi(q.Limit)
		if err != nil || n < 1 || n > MaxPageSize {
			return f, apperr.Field("limit", "limit must be a whole number from 1 to %d", MaxPageSize)
		}
		f.Limit = n
	}
	return f, nil
}

func parseBBox(s string) (*BBox, error) {
	if s == "" {
		return nil, nil
	}
	bad := apperr.Field("bbox", "bbox must be minLon,minLat,maxLon,maxLat in WGS 84 degrees, e.g. 14.05,59.28,14.16,59.34")
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return nil, bad
	}
	var v [4]float64
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, bad
		}
		v[i] = x
	}
	b := BBox{v[0], v[1], v[2], v[3]}
	if b.MinLon < -180 || b.MaxLon > 180 || b.MinLat < -90 || b.MaxLat > 90 || b.MinLon >= b.MaxLon || b.MinLat >= b.MaxLat {
		return nil, bad
	}
	return &b, nil
}

func parseTime(field, s string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return nil, apperr.Field(field, "%s must be an RFC 3339 time such as 2026-11-01T00:00:00+01:00", field)
	}
	return &t, nil
}

// Cursor is a position in the queue, which is ordered newest received first
// (ties broken by id, so the order is total and pages never overlap).
type Cursor struct {
	ReceivedAt time.Time
	ID         uuid.UUID
}

// Encode returns the cursor as an opaque URL-safe string: clients must not build
// or read it, so its layout may change.
func (c Cursor) Encode() string {
	b := make([]byte, 8, 24)
	binary.BigEndian.PutUint64(b, uint64(c.ReceivedAt.UnixMicro()))
	b = append(b, c.ID[:]...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor reads a cursor made by Encode.
func DecodeCursor(s string) (Cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != 24 {
		return Cursor{}, apperr.Field("cursor", "cursor is not one this server handed out; start again without it")
	}
	var c Cursor
	// PostgreSQL keeps microseconds, so they round-trip exactly.
	c.ReceivedAt = time.UnixMicro(int64(binary.BigEndian.Uint64(b))).UTC()
	copy(c.ID[:], b[8:])
	return c, nil
}

// CursorAfter is the cursor pointing past r.
func CursorAfter(r Report) Cursor { return Cursor{ReceivedAt: r.ReceivedAt, ID: r.ID} }
