package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/category"
)

// Limits on what a resident may send.
const (
	MaxDescription = 2000
	MaxObservedAge = 366 * 24 * time.Hour
	// MaxPhotos is how many photos one report may carry: enough to show a place
	// from a few sides, few enough that a report cannot become a file store.
	MaxPhotos = 5
	// clockSkew tolerates phones whose clocks run a little fast.
	clockSkew = 5 * time.Minute
)

// New is a resident's submission before it is stored.
type New struct {
	Kind        string     `json:"kind"`
	Category    string     `json:"category"`
	Location    *Location  `json:"location"`
	ObservedAt  *time.Time `json:"observed_at,omitempty"`
	Description string     `json:"description,omitempty"`
	Feeling     *int       `json:"feeling,omitempty"`
	TimeOfDay   string     `json:"time_of_day,omitempty"`
	Contact     *Contact   `json:"contact,omitempty"`

	// Set by the server, never by the client.
	Source          string     `json:"-"`
	DeviceHash      []byte     `json:"-"` // keyed hash of X-Device-Id (privacy.DeviceKeys)
	DeviceKeyPeriod int        `json:"-"`
	Visibility      Visibility `json:"-"`
	ExternalKey     string     `json:"-"`
}

// DecodeNew reads one JSON submission strictly: unknown fields, trailing data and
// values of the wrong type are refused with an error naming the field.
func DecodeNew(r io.Reader) (New, error) {
	var n New
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&n); err != nil {
		return n, decodeError(err)
	}
	if dec.More() {
		return n, apperr.Errorf(apperr.Invalid, "request body must hold exactly one JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return n, apperr.Errorf(apperr.Invalid, "request body must hold exactly one JSON object")
	}
	return n, nil
}

func decodeError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tim *time.ParseError
	switch {
	case errors.As(err, &syn):
		return apperr.Errorf(apperr.Invalid, "request body is not valid JSON at byte %d: %v", syn.Offset, syn)
	case errors.As(err, &typ) && typ.Field == "":
		return apperr.Errorf(apperr.Invalid, "request body must be a JSON object, not a JSON %s", typ.Value)
	case errors.As(err, &typ):
		return apperr.Field(typ.Field, "field %q must be %s, not a JSON %s", typ.Field, jsonType(typ.Type.Kind().String()), typ.Value)
	case errors.As(err, &tim):
		return apperr.Field("observed_at", "observed_at must be an RFC 3339 time such as 2026-11-20T21:30:00+01:00")
	case errors.Is(err, io.EOF):
		return apperr.Errorf(apperr.Invalid, "request body is empty; send a JSON object")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return apperr.Field(f, "unknown field %q", f)
	}
	return apperr.Errorf(apperr.Invalid, "request body is not valid JSON: %v", err)
}

func jsonType(goKind string) string {
	switch goKind {
	case "float64", "float32":
		return "a number"
	case "int", "int64":
		return "a whole number"
	case "struct", "ptr", "map":
		return "an object"
	}
	return "a " + goKind
}

// Validate checks a submission against the category taxonomy and the clock.
// It fills ObservedAt with now when the resident left it out.
func (n *New) Validate(now time.Time, cats map[string]category.Category) error {
	switch n.Kind {
	case "":
		return apperr.Field("kind", "kind is required: otrygghet or felanmalan")
	case KindOtrygghet, KindFelanmalan:
	default:
		return apperr.Field("kind", "kind must be otrygghet or felanmalan, not %q", n.Kind)
	}
	if n.Category == "" {
		return apperr.Field("category", "category is required; GET /v1/categories lists them")
	}
	c, ok := cats[n.Category]
	if !ok {
		return apperr.Field("category", "unknown category %q; GET /v1/categories lists them", n.Category)
	}
	if c.Kind != n.Kind {
		return apperr.Field("category", "category %s belongs to %s, not %s", c.Code, c.Kind, n.Kind)
	}
	if !c.Reportable() {
		return apperr.Field("category", "category %s is a group or inactive; choose one of its subcategories", c.Code)
	}
	if err := n.validateLocation(); err != nil {
		return err
	}
	if n.ObservedAt == nil {
		t := now
		n.ObservedAt = &t
	} else {
		if n.ObservedAt.After(now.Add(clockSkew)) {
			return apperr.Field("observed_at", "observed_at is in the future")
		}
		if now.Sub(*n.ObservedAt) > MaxObservedAge {
			return apperr.Field("observed_at", "observed_at is more than a year ago")
		}
	}
	if utf8.RuneCountInString(n.Description) > MaxDescription {
		return apperr.Field("description", "description is longer than %d characters", MaxDescription)
	}
	if !utf8.ValidString(n.Description) || strings.ContainsRune(n.Description, 0) {
		return apperr.Field("description", "description must be valid UTF-8 text")
	}
	if err := n.validateContact(); err != nil {
		return err
	}
	return n.validateOtrygghet()
}

func (n *New) validateContact() error {
	if c := n.Contact; c != nil {
		if len(c.Name) > 200 || len(c.Email) > 254 || len(c.Phone) > 40 {
			return apperr.Field("contact", "contact fields are too long")
		}
		if c.Email != "" && !strings.Contains(c.Email, "@") {
			return apperr.Field("contact.email", "contact.email is not an e-mail address")
		}
	}
	return nil
}

func (n *New) validateLocation() error {
	l := n.Location
	if l == nil {
		return apperr.Field("location", "location {lat, lon} is required")
	}
	if math.IsNaN(l.Lat) || l.Lat < -90 || l.Lat > 90 {
		return apperr.Field("location.lat", "location.lat must be between -90 and 90")
	}
	if math.IsNaN(l.Lon) || l.Lon < -180 || l.Lon > 180 {
		return apperr.Field("location.lon", "location.lon must be between -180 and 180")
	}
	if a := l.AccuracyM; a != nil && (math.IsNaN(*a) || *a < 0 || *a > 100000) {
		return apperr.Field("location.accuracy_m", "location.accuracy_m must be between 0 and 100000 metres")
	}
	return nil
}

func (n *New) validateOtrygghet() error {
	if n.Kind != KindOtrygghet {
		if n.Feeling != nil || n.TimeOfDay != "" {
			return apperr.Field("feeling", "feeling and time_of_day belong to otrygghet reports only")
		}
		return nil
	}
	if f := n.Feeling; f != nil && (*f < 1 || *f > 5) {
		return apperr.Field("feeling", "feeling must be 1 (very unsafe) to 5 (safe)")
	}
	switch n.TimeOfDay {
	case "", "morning", "day", "evening", "night":
	default:
		return apperr.Field("time_of_day", "time_of_day must be morning, day, evening or night")
	}
	return nil
}

// Canonical returns a stable encoding of the submission for idempotency checks:
// the same report sent twice hashes the same whatever the JSON key order.
func (n New) Canonical() []byte {
	var buf bytes.Buffer
	_ = json.NewEncoder(&buf).Encode(n)
	return buf.Bytes()
}

// String is for logs: never the description or contact.
func (n New) String() string {
	return fmt.Sprintf("%s/%s", n.Kind, n.Category)
}
