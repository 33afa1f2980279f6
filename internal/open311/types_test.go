package open311

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// jsonPaths lists every key path of a JSON document ("[]/endpoints/[]/formats").
func jsonPaths(t *testing.T, b []byte) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("not JSON: %v: %s", err, b)
	}
	set := map[string]bool{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				set[prefix+"/"+k] = true
				walk(prefix+"/"+k, e)
			}
		case []any:
			for _, e := range x {
				walk(prefix+"/[]", e)
			}
		}
	}
	walk("", v)
	return sorted(set)
}

// xmlPaths lists every element path of an XML document ("services/service/group").
func xmlPaths(t *testing.T, b []byte) []string {
	t.Helper()
	set := map[string]bool{}
	dec := xml.NewDecoder(bytes.NewReader(b))
	var stack []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not XML: %v: %s", err, b)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			stack = append(stack, e.Name.Local)
			set[strings.Join(stack, "/")] = true
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	return sorted(set)
}

func sorted(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "spec", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSpecDocuments reads each of the specification's example documents into
// trygg's types, strictly, writes it back, and requires the same names and
// nesting: a misspelt or misplaced element fails here.
func TestSpecDocuments(t *testing.T) {
	tests := []struct {
		name      string
		json, xml func() any // fresh values to decode into
	}{
		{"discovery", func() any { return &Discovery{} }, func() any { return &Discovery{} }},
		{"services", func() any { return &[]Service{} }, func() any { return &Services{} }},
		{"service_definition", func() any { return &ServiceDefinition{} }, func() any { return &ServiceDefinition{} }},
		{"requests", func() any { return &[]ServiceRequest{} }, func() any { return &ServiceRequests{} }},
		{"token_response", func() any { return &[]TokenRequest{} }, func() any { return &TokenRequests{} }},
		{"errors", func() any { return &[]Error{} }, func() any { return &Errors{} }},
		{"post_response", func() any { return &[]Created{} }, func() any { return &CreatedRequests{} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := fixture(t, tt.name+".json")
			v := tt.json()
			dec := json.NewDecoder(bytes.NewReader(spec))
			dec.DisallowUnknownFields()
			if err := dec.Decode(v); err != nil {
				t.Fatalf("spec JSON does not fit the type: %v", err)
			}
			out, _ := json.Marshal(v)
			if got, want := jsonPaths(t, out), jsonPaths(t, spec); !reflect.DeepEqual(got, want) {
				t.Errorf("JSON names\n got %v\nwant %v", got, want)
			}

			spec = fixture(t, tt.name+".xml")
			x := tt.xml()
			if err := xml.Unmarshal(spec, x); err != nil {
				t.Fatal(err)
			}
			out, _ = xml.Marshal(x)
			if got, want := xmlPaths(t, out), xmlPaths(t, spec); !reflect.DeepEqual(got, want) {
				t.Errorf("XML names\n got %v\nwant %v", got, want)
			}
			// Reading back must not lose values: the documents round-trip.
			x2 := tt.xml()
			if err := xml.Unmarshal(out, x2); err != nil {
				t.Fatal(err)
			}
			if again, _ := xml.Marshal(x2); !bytes.Equal(again, out) {
				t.Errorf("XML does not round-trip:\n%s\n%s", out, again)
			}
		})
	}
}

func TestDatetimeText(t *testing.T) {
	d := Datetime(time.Date(2026, 11, 20, 21, 30, 0, 0, time.FixedZone("CET", 3600)))
	b, _ := d.MarshalText()
	if string(b) != "2026-11-20T20:30:00Z" {
		t.Errorf("got %s", b)
	}
	if b, _ := (Datetime{}).MarshalText(); len(b) != 0 {
		t.Errorf("zero time should be empty, got %s", b)
	}
}
