package open311

import (
	"testing"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/category"
	"github.com/trygg/trygg/internal/report"
)

var (
	dark   = category.Category{Code: "OTR.PLACE.LIGHT", Kind: category.KindOtrygghet, Parent: "OTR.PLACE", NameSV: "Mörkt", NameEN: "Dark", Active: true}
	lamp   = category.Category{Code: "FEL.LIGHT", Kind: category.KindFelanmalan, Parent: "FEL", NameSV: "Gatubelysning", NameEN: "Street lighting", Active: true}
	groupP = category.Category{Code: "OTR.PLACE", Kind: category.KindOtrygghet, Parent: "OTR", IsGroup: true, NameSV: "Platsen", NameEN: "The place", Active: true}
	root   = category.Category{Code: "OTR", Kind: category.KindOtrygghet, IsGroup: true, NameSV: "Otrygghet", NameEN: "Feeling unsafe", Active: true}
)

func TestCheckAttributes(t *testing.T) {
	def := ServiceDefinition{ServiceCode: "X", Attributes: []Attribute{
		{Code: "feeling", Datatype: SingleValueList, Required: true, Values: []Value{{Key: "1"}, {Key: "2"}}},
		{Code: "kinds", Datatype: MultiValueList, Values: []Value{{Key: "a"}, {Key: "b"}}},
		{Code: "count", Datatype: Number},
		{Code: "when", Datatype: DatetimeType},
		{Code: "note", Datatype: Text},
	}}
	tests := []struct {
		name  string
		attrs map[string][]string
		field string // "" when valid
	}{
		{"required only", map[string][]string{"feeling": {"2"}}, ""},
		{"all kinds", map[string][]string{"feeling": {"1"}, "kinds": {"a", "b"}, "count": {"3.5"}, "when": {"2026-11-20T21:00:00+01:00"}, "note": {"x"}}, ""},
		{"required missing", map[string][]string{"kinds": {"a"}}, "attribute[feeling]"},
		{"required blank", map[string][]string{"feeling": {"  "}}, "attribute[feeling]"},
		{"unknown code", map[string][]string{"feeling": {"1"}, "colour": {"red"}}, "attribute[colour]"},
		{"value not in list", map[string][]string{"feeling": {"6"}}, "attribute[feeling]"},
		{"two values for single list", map[string][]string{"feeling": {"1", "2"}}, "attribute[feeling]"},
		{"bad multivalue", map[string][]string{"feeling": {"1"}, "kinds": {"a", "c"}}, "attribute[kinds]"},
		{"not a number", map[string][]string{"feeling": {"1"}, "count": {"many"}}, "attribute[count]"},
		{"not a datetime", map[string][]string{"feeling": {"1"}, "when": {"yesterday"}}, "attribute[when]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckAttributes(def, tt.attrs)
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if e, ok := apperr.As(err); !ok || e.Details.(map[string]string)["field"] != tt.field {
				t.Fatalf("err %v, want invalid %s", err, tt.field)
			}
		})
	}
}

func ptr(f float64) *float64 { return &f }

func TestToReport(t *testing.T) {
	sub := Submission{Lat: ptr(59.3), Long: ptr(14.1), Description: "Mörk gångtunnel", FirstName: "Ada", LastName: "Berg",
		Email: "ada@example.se", Attributes: map[string][]string{AttrFeeling: {"2"}, AttrTimeOfDay: {"night"}}}
	n, err := sub.ToReport(dark)
	if err != nil {
		t.Fatal(err)
	}
	if n.Kind != report.KindOtrygghet || n.Category != dark.Code || n.Source != report.SourceOpen311 {
		t.Errorf("kind/category/source = %s/%s/%s", n.Kind, n.Category, n.Source)
	}
	if n.Feeling == nil || *n.Feeling != 2 || n.TimeOfDay != "night" {
		t.Errorf("feeling %v time %q", n.Feeling, n.TimeOfDay)
	}
	if n.Contact == nil || n.Contact.Name != "Ada Berg" || n.Contact.Email != "ada@example.se" {
		t.Errorf("contact %+v", n.Contact)
	}
	if n.Location.Lat != 59.3 || n.Location.Lon != 14.1 {
		t.Errorf("location %+v", n.Location)
	}

	anon := Submission{Lat: ptr(59.3), Long: ptr(14.1), Attributes: map[string][]string{}}
	if n, err := anon.ToReport(lamp); err != nil || n.Contact != nil || n.Feeling != nil {
		t.Errorf("anonymous felanmälan: %+v %v", n, err)
	}

	bad := []struct {
		name  string
		sub   Submission
		cat   category.Category
		field string
	}{
		{"no location", Submission{Attributes: map[string][]string{}}, lamp, "lat"},
		{"address only", Submission{AddressString: "Storgatan 1", Attributes: map[string][]string{}}, lamp, "lat"},
		{"lat without long", Submission{Lat: ptr(59), Attributes: map[string][]string{}}, lamp, "lat"},
		{"feeling on felanmälan", Submission{Lat: ptr(59), Long: ptr(14), Attributes: map[string][]string{AttrFeeling: {"1"}}}, lamp, "attribute[feeling]"},
		{"feeling out of list", Submission{Lat: ptr(59), Long: ptr(14), Attributes: map[string][]string{AttrFeeling: {"0"}}}, dark, "attribute[feeling]"},
		{"media_url not http", Submission{Lat: ptr(59), Long: ptr(14), MediaURL: "file:///etc/passwd", Attributes: map[string][]string{}}, lamp, "media_url"},
	}
	for _, tt := range bad {
		_, err := tt.sub.ToReport(tt.cat)
		if e, ok := apperr.As(err); !ok || e.Details.(map[string]string)["field"] != tt.field {
			t.Errorf("%s: err %v, want invalid %s", tt.name, err, tt.field)
		}
	}
}

func TestServices(t *testing.T) {
	cats := []category.Category{root, groupP, dark, lamp, {Code: "FEL.OLD", Kind: category.KindFelanmalan, Active: false}}
	list := ListServices(cats, "sv")
	if len(list) != 2 {
		t.Fatalf("%d services, want the 2 reportable categories", len(list))
	}
	want := Service{ServiceCode: "OTR.PLACE.LIGHT", ServiceName: "Mörkt", Metadata: true, Type: "realtime",
		Keywords: "Platsen,Otrygghet", Group: "otrygghet"}
	if list[0] != want {
		t.Errorf("otrygghet service\n got %+v\nwant %+v", list[0], want)
	}
	if s := list[1]; s.Metadata || s.Group != "felanmälan" || s.ServiceName != "Gatubelysning" {
		t.Errorf("felanmälan service %+v", s)
	}
	if en := ListServices(cats, "en"); en[0].ServiceName != "Dark" || en[0].Group != "feeling unsafe" {
		t.Errorf("english %+v", en[0])
	}
	def := Definition(dark, "sv")
	if len(def.Attributes) != 2 || def.Attributes[0].Code != AttrFeeling || len(def.Attributes[0].Values) != 5 ||
		def.Attributes[1].Code != AttrTimeOfDay || len(def.Attributes[1].Values) != 4 {
		t.Errorf("otrygghet definition %+v", def)
	}
	if def := Definition(lamp, "sv"); len(def.Attributes) != 0 || def.Attributes == nil {
		t.Errorf("felanmälan definition should have an empty, non-nil attribute list: %+v", def)
	}
}
