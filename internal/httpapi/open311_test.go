package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/trygg/trygg/internal/open311"
)

// Kristinehamn (1781) and Filipstad (1782) town centres.
const (
	o311KhamnLat, o311KhamnLong = "59.3096", "14.1086"
	o311FilipLat, o311FilipLong = "59.7127", "14.1683"
)

// newOpen311Server is the test server with its clock on real time: reports get
// received_at from the database's now(), and GET requests' default window ends
// at the server's now.
func newOpen311Server(t *testing.T, env map[string]string) *testServer {
	ts := newTestServer(t, env)
	ts.now = time.Now()
	return ts
}

func (ts *testServer) o311Key(name string) string {
	ts.t.Helper()
	key, hash := open311.NewAPIKey()
	if _, err := ts.db.CreateAPIKey(context.Background(), name, hash); err != nil {
		ts.t.Fatal(err)
	}
	return key
}

// post sends a form-encoded POST requests.
func (ts *testServer) o311Post(format string, form url.Values) *httptest.ResponseRecorder {
	ts.t.Helper()
	return ts.do(http.MethodPost, "/open311/v2/requests."+format, form.Encode(),
		"Content-Type", "application/x-www-form-urlencoded")
}

func (ts *testServer) o311Exec(sql string, args ...any) {
	ts.t.Helper()
	if _, err := ts.db.Pool.Exec(context.Background(), sql, args...); err != nil {
		ts.t.Fatal(err)
	}
}

func (ts *testServer) o311Publish(refs ...string) {
	ts.o311Exec(`UPDATE reports SET visibility = 'published' WHERE reference = ANY ($1)`, refs)
}

// form builds a submission from pairs.
func o311Form(pairs ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		v.Add(pairs[i], pairs[i+1])
	}
	return v
}

func o311Fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "open311", "testdata", "spec", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// shapeOf lists the key paths of a JSON document or the element paths of an XML
// one: the names and nesting, not the values.
func o311Shape(t *testing.T, format string, b []byte) []string {
	t.Helper()
	set := map[string]bool{}
	if format == "json" {
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("not JSON: %v: %s", err, b)
		}
		var walk func(string, any)
		walk = func(p string, v any) {
			switch x := v.(type) {
			case map[string]any:
				for k, e := range x {
					set[p+"/"+k] = true
					walk(p+"/"+k, e)
				}
			case []any:
				for _, e := range x {
					walk(p+"/[]", e)
				}
			}
		}
		walk("", v)
	} else {
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
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// sameShape requires a response to have the names and nesting of the
// specification's example document; extra lists names trygg adds on purpose.
func o311SameShape(t *testing.T, w *httptest.ResponseRecorder, format, fixture string, extra ...string) {
	t.Helper()
	if format == "xml" && !bytes.HasPrefix(w.Body.Bytes(), []byte(`<?xml version="1.0" encoding="UTF-8"?>`)) {
		t.Errorf("XML without its UTF-8 declaration: %.60s", w.Body)
	}
	got := o311Shape(t, format, w.Body.Bytes())
	want := append(o311Shape(t, format, o311Fixture(t, fixture+"."+format)), extra...)
	sort.Strings(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s.%s names differ from the specification's example\n got %v\nwant %v", fixture, format, got, want)
	}
	ct := map[string]string{"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}[format]
	if w.Header().Get("Content-Type") != ct {
		t.Errorf("Content-Type %q, want %q", w.Header().Get("Content-Type"), ct)
	}
}

// open311Error decodes an Open311 error document in either format.
func open311Error(t *testing.T, format string, w *httptest.ResponseRecorder) open311.Error {
	t.Helper()
	o311SameShape(t, w, format, "errors")
	var list []open311.Error
	if format == "json" {
		if err := json.Unmarshal(w.Body.Bytes(), &list); err != nil {
			t.Fatal(err)
		}
	} else {
		var doc open311.Errors
		if err := xml.Unmarshal(w.Body.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		list = doc.Errors
	}
	if len(list) != 1 || list[0].Code != w.Code || list[0].Description == "" {
		t.Fatalf("error document %s does not carry status %d", w.Body, w.Code)
	}
	return list[0]
}

// decodeAs reads a JSON or XML answer into the JSON form v or the XML document doc.
func o311Decode(t *testing.T, format string, w *httptest.ResponseRecorder, v, doc any) {
	t.Helper()
	var err error
	if format == "json" {
		err = json.Unmarshal(w.Body.Bytes(), v)
	} else {
		err = xml.Unmarshal(w.Body.Bytes(), doc)
	}
	if err != nil {
		t.Fatalf("%s: %v: %s", format, err, w.Body)
	}
}

func o311Created(t *testing.T, format string, w *httptest.ResponseRecorder) open311.Created {
	t.Helper()
	if w.Code != http.StatusCreated {
		t.Fatalf("POST requests.%s: %d %s", format, w.Code, w.Body)
	}
	var list []open311.Created
	var doc open311.CreatedRequests
	o311Decode(t, format, w, &list, &doc)
	if format == "xml" {
		list = doc.Requests
	}
	if len(list) != 1 || list[0].ServiceRequestID == "" {
		t.Fatalf("POST answer %s", w.Body)
	}
	return list[0]
}

func o311Requests(t *testing.T, format string, w *httptest.ResponseRecorder) []open311.ServiceRequest {
	t.Helper()
	if w.Code != http.StatusOK {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	var list []open311.ServiceRequest
	var doc open311.ServiceRequests
	o311Decode(t, format, w, &list, &doc)
	if format == "xml" {
		list = doc.Requests
	}
	return list
}

var o311Formats = []string{"json", "xml"}
