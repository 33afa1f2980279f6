package report

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/category"
)

// clockNow is the clock every validation test runs at.
var clockNow = time.Date(2026, 11, 20, 18, 0, 0, 0, time.UTC)

// testTaxonomy is a small slice of the real one: a leaf of each kind, a group and an
// inactive leaf.
var testTaxonomy = map[string]category.Category{
	"FEL":             {Code: "FEL", Kind: KindFelanmalan, IsGroup: true, Active: true},
	"FEL.LIGHT":       {Code: "FEL.LIGHT", Kind: KindFelanmalan, Parent: "FEL", Active: true},
	"FEL.OLD":         {Code: "FEL.OLD", Kind: KindFelanmalan, Parent: "FEL", Active: false},
	"OTR.PLACE.LIGHT": {Code: "OTR.PLACE.LIGHT", Kind: KindOtrygghet, Parent: "OTR.PLACE", Active: true},
}

func valuePtr[T any](v T) *T { return &v }

// invalidField returns the field an Invalid error names, or "" for any other error.
func invalidField(err error) string {
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.Invalid {
		return ""
	}
	if d, ok := e.Details.(map[string]string); ok {
		return d["field"]
	}
	return "(none)"
}

func TestDecodeNew(t *testing.T) {
	cases := []struct {
		name  string
		body  string
		field string // "" = accepted; "(none)" = invalid without a field
	}{
		{"minimal", `{"kind":"felanmalan","category":"FEL.LIGHT","location":{"lat":59.3,"lon":14.1}}`, ""},
		{"every field", `{"kind":"otrygghet","category":"OTR.PLACE.LIGHT","location":{"lat":59.3,"lon":14.1,"accuracy_m":5},
			"observed_at":"2026-11-20T21:30:00+01:00","description":"Mörkt","feeling":2,"time_of_day":"evening",
			"contact":{"name":"Kim","email":"kim@example.se","phone":"070"}}`, ""},
		{"unknown field", `{"kind":"felanmalan","colour":"red"}`, "colour"},
		{"unknown nested field", `{"location":{"lat":1,"lon":2,"alt":3}}`, "alt"},
		{"string as number", `{"location":{"lat":"59.3","lon":14.1}}`, "location.lat"},
		{"number as string", `{"kind":5}`, "kind"},
		{"fraction as integer", `{"feeling":2.5}`, "feeling"},
		{"time not RFC 3339", `{"observed_at":"2026-11-20 21:30"}`, "observed_at"},
		{"syntax error", `{"kind":`, "(none)"},
		{"NaN", `{"location":{"lat":NaN,"lon":1}}`, "(none)"},
		{"empty", ``, "(none)"},
		{"trailing object", `{"kind":"felanmalan"}{}`, "(none)"},
		{"trailing garbage", `{"kind":"felanmalan"} x`, "(none)"},
		{"array", `[]`, "(none)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeNew(strings.NewReader(tc.body))
			if tc.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("accepted")
			}
			if got := invalidField(err); got != tc.field {
				t.Errorf("field %q, want %q (%v)", got, tc.field, err)
			}
		})
	}
}

func TestDecodeNewKeepsValues(t *testing.T) {
	n, err := DecodeNew(strings.NewReader(`{"kind":"otrygghet","category":"OTR.PLACE.LIGHT",
		"location":{"lat":59.3096,"lon":14.1086,"accuracy_m":8.5},"observed_at":"2026-11-20T21:30:00+01:00","feeling":2}`))
	if err != nil {
		t.Fatal(err)
	}
	if n.Location.Lat != 59.3096 || n.Location.Lon != 14.1086 || *n.Location.AccuracyM != 8.5 || *n.Feeling != 2 {
		t.Errorf("decoded %+v %+v", n, *n.Location)
	}
	if !n.ObservedAt.Equal(time.Date(2026, 11, 20, 20, 30, 0, 0, time.UTC)) {
		t.Errorf("observed_at %v", n.ObservedAt)
	}
}

// valid returns a submission that passes Validate, changed by edit.
func validNew(edit func(n *New)) New {
	n := New{Kind: KindFelanmalan, Category: "FEL.LIGHT", Location: &Location{Lat: 59.3096, Lon: 14.1086}}
	if edit != nil {
		edit(&n)
	}
	return n
}

func TestValidate(t *testing.T) {
	otr := func(edit func(n *New)) func(n *New) {
		return func(n *New) {
			n.Kind, n.Category = KindOtrygghet, "OTR.PLACE.LIGHT"
			if edit != nil {
				edit(n)
			}
		}
	}
	cases := []struct {
		name  string
		edit  func(n *New)
		field string // "" = valid
	}{
		{"valid felanmälan", nil, ""},
		{"valid otrygghet", otr(func(n *New) { n.Feeling, n.TimeOfDay = valuePtr(1), "night" }), ""},
		{"missing kind", func(n *New) { n.Kind = "" }, "kind"},
		{"unknown kind", func(n *New) { n.Kind = "klagomal" }, "kind"},
		{"missing category", func(n *New) { n.Category = "" }, "category"},
		{"unknown category", func(n *New) { n.Category = "FEL.NOPE" }, "category"},
		{"category of the other kind", func(n *New) { n.Kind = KindOtrygghet }, "category"},
		{"group category", func(n *New) { n.Category = "FEL" }, "category"},
		{"inactive category", func(n *New) { n.Category = "FEL.OLD" }, "category"},
		{"missing location", func(n *New) { n.Location = nil }, "location"},
		{"lat 90", func(n *New) { n.Location.Lat = 90 }, ""},
		{"lat -90", func(n *New) { n.Location.Lat = -90 }, ""},
		{"lat above 90", func(n *New) { n.Location.Lat = math.Nextafter(90, 91) }, "location.lat"},
		{"lat NaN", func(n *New) { n.Location.Lat = math.NaN() }, "location.lat"},
		{"lat +Inf", func(n *New) { n.Location.Lat = math.Inf(1) }, "location.lat"},
		{"lon 180", func(n *New) { n.Location.Lon = 180 }, ""},
		{"lon below -180", func(n *New) { n.Location.Lon = -180.0001 }, "location.lon"},
		{"lon NaN", func(n *New) { n.Location.Lon = math.NaN() }, "location.lon"},
		{"lon -Inf", func(n *New) { n.Location.Lon = math.Inf(-1) }, "location.lon"},
		{"accuracy 0", func(n *New) { n.Location.AccuracyM = valuePtr(0.0) }, ""},
		{"accuracy 100 km", func(n *New) { n.Location.AccuracyM = valuePtr(100000.0) }, ""},
		{"accuracy negative", func(n *New) { n.Location.AccuracyM = valuePtr(-0.5) }, "location.accuracy_m"},
		{"accuracy over 100 km", func(n *New) { n.Location.AccuracyM = valuePtr(100000.5) }, "location.accuracy_m"},
		{"accuracy NaN", func(n *New) { n.Location.AccuracyM = valuePtr(math.NaN()) }, "location.accuracy_m"},
		{"observed within the clock skew", func(n *New) { n.ObservedAt = valuePtr(clockNow.Add(clockSkew)) }, ""},
		{"observed in the future", func(n *New) { n.ObservedAt = valuePtr(clockNow.Add(clockSkew + time.Second)) }, "observed_at"},
		{"observed a year ago", func(n *New) { n.ObservedAt = valuePtr(clockNow.Add(-MaxObservedAge)) }, ""},
		{"observed over a year ago", func(n *New) { n.ObservedAt = valuePtr(clockNow.Add(-MaxObservedAge - time.Second)) }, "observed_at"},
		{"description at the limit in runes", func(n *New) { n.Description = strings.Repeat("ö", MaxDescription) }, ""},
		{"description too long", func(n *New) { n.Description = strings.Repeat("a", MaxDescription+1) }, "description"},
		{"description not UTF-8", func(n *New) { n.Description = "trasig \xff lampa" }, "description"},
		{"description with NUL", func(n *New) { n.Description = "trasig\x00lampa" }, "description"},
		{"contact e-mail without @", func(n *New) { n.Contact = &Contact{Email: "kim.example.se"} }, "contact.email"},
		{"contact name too long", func(n *New) { n.Contact = &Contact{Name: strings.Repeat("k", 201)} }, "contact"},
		{"contact phone only", func(n *New) { n.Contact = &Contact{Phone: "070-1234567"} }, ""},
		{"feeling on a felanmälan", func(n *New) { n.Feeling = valuePtr(3) }, "feeling"},
		{"time of day on a felanmälan", func(n *New) { n.TimeOfDay = "night" }, "feeling"},
		{"feeling 0", otr(func(n *New) { n.Feeling = valuePtr(0) }), "feeling"},
		{"feeling 5", otr(func(n *New) { n.Feeling = valuePtr(5) }), ""},
		{"feeling 6", otr(func(n *New) { n.Feeling = valuePtr(6) }), "feeling"},
		{"unknown time of day", otr(func(n *New) { n.TimeOfDay = "dusk" }), "time_of_day"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := validNew(tc.edit)
			err := n.Validate(clockNow, testTaxonomy)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if got := invalidField(err); got != tc.field {
				t.Errorf("field %q, want %q (%v)", got, tc.field, err)
			}
		})
	}
}

func TestValidateDefaultsObservedAtToNow(t *testing.T) {
	n := validNew(nil)
	if err := n.Validate(clockNow, testTaxonomy); err != nil {
		t.Fatal(err)
	}
	if n.ObservedAt == nil || !n.ObservedAt.Equal(clockNow) {
		t.Errorf("observed_at %v, want %v", n.ObservedAt, clockNow)
	}
}

func TestCanonicalIgnoresKeyOrderNotContent(t *testing.T) {
	a, err1 := DecodeNew(strings.NewReader(`{"kind":"felanmalan","category":"FEL.LIGHT","location":{"lat":59.3,"lon":14.1}}`))
	b, err2 := DecodeNew(strings.NewReader(`{"location":{"lon":14.1,"lat":59.3},"category":"FEL.LIGHT","kind":"felanmalan"}`))
	c, err3 := DecodeNew(strings.NewReader(`{"kind":"felanmalan","category":"FEL.LIGHT","location":{"lat":59.3,"lon":14.2}}`))
	if err1 != nil || err2 != nil || err3 != nil {
		t.Fatal(err1, err2, err3)
	}
	if string(a.Canonical()) != string(b.Canonical()) {
		t.Errorf("same report, different key order: %s vs %s", a.Canonical(), b.Canonical())
	}
	if string(a.Canonical()) == string(c.Canonical()) {
		t.Error("different reports share a canonical form")
	}
	// What the server sets is not part of what the client sent.
	b.Source, b.ExternalKey = SourceWeb, "x"
	if string(a.Canonical()) != string(b.Canonical()) {
		t.Error("server-set fields change the canonical form")
	}
}

func TestStringLeaksNothingPrivate(t *testing.T) {
	n := validNew(func(n *New) {
		n.Description = "Storgatan 3"
		n.Contact = &Contact{Email: "kim@example.se"}
	})
	if s := n.String(); s != "felanmalan/FEL.LIGHT" {
		t.Errorf("String() = %q", s)
	}
}
