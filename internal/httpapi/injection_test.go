package httpapi

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/report"
	"github.com/trygg/trygg/internal/streets"
)

// hostile are SQL-injection and path-traversal strings sent in every string
// parameter of every route.
var hostile = []string{
	`' OR '1'='1`,
	`1'; DROP TABLE reports; --`,
	`1 UNION SELECT id, reference FROM reports--`,
	`../../../../etc/passwd`,
	`..%2f..%2f..%2fetc%2fpasswd`,
	"\x00'\"\\;--",
}

// plausible values for parameters that are not under attack, so a request gets
// past the first check and the hostile one reaches deeper code.
var plausible = map[string]string{
	"municipality": "1781", "period": "2026-W47", "z": "12", "x": "2199", "y": "1192",
	"kind": "felanmalan", "category": "FEL.LIGHT", "lat": "59.3096", "lon": "14.1086",
}

// tableCounts returns every public table's row count: a hostile request must
// change none of them.
func tableCounts(t *testing.T, ts *testServer) map[string]int {
	t.Helper()
	ctx := context.Background()
	rows, err := ts.db.Pool.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	rows.Close()
	counts := map[string]int{}
	for _, n := range names {
		counts[n] = ts.count(`"` + n + `"`)
	}
	return counts
}

func TestHostileStringsInEveryParameter(t *testing.T) {
	ts := newTestServer(t, nil)
	ts.seed(seeded{})
	admin := bearer(ts.token(auth.Admin, "1781", "1782"))
	before := tableCounts(t, ts)
	requests := 0
	for _, r := range ts.srv.Engine().Routes() {
		if strings.Contains(r.Path, "*") {
			continue // the static asset route: internal/web tests its traversal
		}
		op := (*openapi3.Operation)(nil)
		if item := ts.srv.contract.doc.Paths.Find(ginParam.ReplaceAllString(r.Path, "{$1}")); item != nil {
			op = item.GetOperation(r.Method)
		}
		pathParams := ginParam.FindAllStringSubmatch(r.Path, -1)
		var queryParams []string
		if op != nil {
			for _, p := range op.Parameters {
				if p.Value != nil && p.Value.In == "query" {
					queryParams = append(queryParams, p.Value.Name)
				}
			}
		}
		// build puts value in the named parameter and plausible values elsewhere.
		build := func(target, value string) string {
			path := r.Path
			for _, m := range pathParams {
				v := plausible[m[1]]
				if v == "" {
					v = uuid.NewString()
				}
				if m[1] == target {
					v = url.PathEscape(value)
				}
				path = strings.Replace(path, m[0], v, 1)
			}
			q := url.Values{}
			for _, name := range queryParams {
				if name == target {
					q.Set(name, value)
				} else if v, ok := plausible[name]; ok {
					q.Set(name, v)
				}
			}
			if len(q) > 0 {
				path += "?" + q.Encode()
			}
			return path
		}
		var targets []string
		for _, m := range pathParams {
			targets = append(targets, m[1])
		}
		targets = append(targets, queryParams...)
		for _, target := range targets {
			for _, value := range hostile {
				path := build(target, value)
				w := ts.do(r.Method, path, nil, admin...)
				requests++
				if w.Code >= 500 {
					t.Errorf("%s %s (%s=%q): %d %s", r.Method, path, target, value, w.Code, w.Body)
				}
			}
		}
	}
	after := tableCounts(t, ts)
	for name, n := range before {
		if after[name] != n {
			t.Errorf("table %s: %d rows before, %d after the hostile requests", name, n, after[name])
		}
	}
	if len(after) != len(before) {
		t.Errorf("tables before %d, after %d", len(before), len(after))
	}
	if requests < 100 {
		t.Fatalf("only %d hostile requests: the route walk is broken", requests)
	}
	t.Logf("%d hostile requests", requests)
}

// bodyHostile are the strings sent in every string field of every request
// body: hostile's SQL injection and traversal, plus what only a body carries
// easily: a NUL, a very long string, invalid UTF-8 (sent as raw bytes, not as
// an escape) and markup.
var bodyHostile = append(slices.Clone(hostile),
	"a\x00b",
	strings.Repeat("långt ", 2000),
	"\xff\xfe\xfd trasig utf-8",
	`<script>alert("trygg")</script><img src=x onerror=alert(1)>`,
)

// noBodyRoutes are the writes that take no body.
var noBodyRoutes = []string{"POST /v1/staff/reports/:id/unmerge"}

// bodyFixture holds the resources that the body routes' paths name.
type bodyFixture struct {
	ts                         *testServer
	admin                      []string
	promise, commitment        string
	walk, measure, observation string
	laterWalk                  string
	area                       string
	o311Key                    string
}

// bodyRequest is one request with a body, built fresh for every hostile value
// (a report to change, a new idempotency key), so that each value meets a
// resource in the state the field is meant for.
type bodyRequest struct {
	path    string
	headers []string
	body    any // map/slice: JSON; url.Values: form; multipartFields; csvBody
}

type (
	multipartFields map[string]string
	csvBody         struct{ header, row []string }
)

// bodyRoutes gives every route with a body a request that succeeds as it is,
// keyed by gin method and path. The hostile values go into the fields the
// contract's requestBody schema lists (for CSV, the columns of the row).
var bodyRoutes = map[string]func(fx *bodyFixture) bodyRequest{
	"POST /v1/reports": func(fx *bodyFixture) bodyRequest {
		return bodyRequest{path: "/v1/reports", headers: []string{"Idempotency-Key", "inj-" + uuid.NewString()},
			body: felanmalan(map[string]any{"contact": map[string]any{"name": "Anna", "email": "anna@example.se", "phone": "070-1234567"}})}
	},
	"POST /v1/reports/:id/confirmations": func(fx *bodyFixture) bodyRequest {
		id := fx.ts.seed(seeded{category: "OTR.PLACE.LIGHT", visibility: report.Published})
		return bodyRequest{path: confirmPath(id), headers: []string{"Idempotency-Key", "inj-" + uuid.NewString(), "X-Device-Id", uuid.NewString()},
			body: multipartFields{"feeling": "2"}}
	},
	"POST /v1/reports/:id/photos": nil, // multipart with only the binary photo: no string field
	"POST /open311/v2/requests.json": func(fx *bodyFixture) bodyRequest {
		return bodyRequest{path: "/open311/v2/requests.json", body: fx.o311Form()}
	},
	"POST /open311/v2/requests.xml": func(fx *bodyFixture) bodyRequest {
		return bodyRequest{path: "/open311/v2/requests.xml", body: fx.o311Form()}
	},
	"PATCH /v1/staff/reports/:id": func(fx *bodyFixture) bodyRequest {
		id := fx.ts.seed(seeded{})
		return bodyRequest{path: "/v1/staff/reports/" + id.String(), headers: []string{"If-Match", `"1"`},
			body: map[string]any{"status": "triaged", "visibility": "published", "note": "Ringde tillbaka", "public_note": true}}
	},
	"POST /v1/staff/reports/:id/merge": func(fx *bodyFixture) bodyRequest {
		keep, dup := fx.ts.seed(seeded{}), fx.ts.seed(seeded{})
		return bodyRequest{path: "/v1/staff/reports/" + dup.String() + "/merge", body: map[string]any{"into": keep, "note": "Samma lampa"}}
	},
	"PATCH /v1/staff/reports/:id/photos/:photo_id": func(fx *bodyFixture) bodyRequest {
		id := fx.ts.seed(seeded{})
		return bodyRequest{path: "/v1/staff/reports/" + id.String() + "/photos/" + fx.ts.seedPhoto(id).String(), body: map[string]any{"visibility": "hidden"}}
	},
	"POST /v1/admin/dsr/search": func(*bodyFixture) bodyRequest {
		return bodyRequest{path: "/v1/admin/dsr/search", body: map[string]any{"email": "anna@example.se", "phone": "070-1234567"}}
	},
	"POST /v1/admin/dsr/export": func(*bodyFixture) bodyRequest {
		return bodyRequest{path: "/v1/admin/dsr/export", body: map[string]any{"email": "anna@example.se", "phone": "070-1234567"}}
	},
	"POST /v1/admin/dsr/erase": func(*bodyFixture) bodyRequest {
		return bodyRequest{path: "/v1/admin/dsr/erase", body: map[string]any{"email": "nobody@example.se", "phone": "070-0000000"}}
	},
	"POST /v1/lagesbild/snapshots": func(*bodyFixture) bodyRequest {
		return bodyRequest{path: "/v1/lagesbild/snapshots", body: map[string]any{"municipality": "1781", "period": "2026-11"}}
	},
	"POST /v1/staff/areas": func(*bodyFixture) bodyRequest {
		return bodyRequest{path: "/v1/staff/areas", body: map[string]any{"municipality": "1781", "name": "Centrum " + uuid.NewString()[:6], "kind": "custom",
			"geometry": square(14.10, 59.30, 0.01)}}
	},
	"PATCH /v1/staff/areas/:id": func(fx *bodyFixture) bodyRequest {
		return bodyRequest{path: "/v1/staff/areas/" + fx.area, body: map[string]any{"name": "Centrum " + uuid.NewString()[:6], "kind": "centrum"}}
	},
	"POST /v1/staff/areas/import": func(*bodyFixture) bodyRequest {
		return bodyRequest{path: "/v1/staff/areas/import?municipality=1781&kind=stadsdel&name_property=name",
			body: map[string]any{"type": "FeatureCollection", "features": []any{map[string]any{"type": "Feature",
				"properties": map[string]any{"name": "Stadsdel " + uuid.NewString()[:6]}, "geometry": square(14.12, 59.31, 0.005)}}}}
	},
	"POST /v1/staff/events": func(*bodyFixture) bodyRequest {
		return bodyRequest{path: "/v1/staff/events", body: []any{map[string]any{"id": rand.Int32(), "datetime": "2026-11-20 21:10:00 +01:00",
			"name": "20 november 21:10, Skadegörelse, Kristinehamn", "summary": "Fönster krossat.", "url": "/aktuellt/handelser/2026/november/20/",
			"type": "Skadegörelse", "location": map[string]any{"name": "Kristinehamn", "gps": "59.3096,14.1086"}}}}
	},
	"POST /v1/staff/events csv": func(*bodyFixture) bodyRequest {
		return bodyRequest{path: "/v1/staff/events?format=csv&source=vaktbolaget",
			body: csvBody{[]string{"id", "occurred_at", "type", "lat", "lon"}, []string{"v" + uuid.NewString()[:8], "2026-11-20T22:10:00+01:00", "Skadegörelse", "59.3096", "14.1086"}}}
	},
	"POST /v1/staff/surveys": func(*bodyFixture) bodyRequest {
		return bodyRequest{path: "/v1/staff/surveys?municipality=1781",
			body: csvBody{[]string{"area", "year", "indicator", "value", "n"}, []string{"", "2024", "trygg_kvall", "60", "800"}}}
	},
	"POST /v1/staff/promises": func(*bodyFixture) bodyRequest {
		return bodyRequest{path: "/v1/staff/promises", body: map[string]any{"municipality": "1781", "title": "Tryggare centrum",
			"partners": []string{"Polisen"}, "signatories": []string{"Kommundirektören"}, "signed_on": "2026-01-15",
			"valid_from": "2026-01-01", "valid_to": "2026-12-31", "problem_picture": "Otrygghet vid stationen", "follow_up": "Varje kvartal",
			"commitments": []any{map[string]any{"text": "Trygghetsvandringar", "responsible": "other", "responsible_other": "Bostadsbolaget"}}}}
	},
	"PATCH /v1/staff/promises/:id": func(fx *bodyFixture) bodyRequest {
		return bodyRequest{path: "/v1/staff/promises/" + fx.promise, headers: fx.etag("/v1/staff/promises/" + fx.promise),
			body: map[string]any{"title": "Tryggare centrum", "problem_picture": "Otrygghet", "follow_up": "Kvartalsvis"}}
	},
	"POST /v1/staff/promises/:id/commitments": func(fx *bodyFixture) bodyRequest {
		return bodyRequest{path: "/v1/staff/promises/" + fx.promise + "/commitments", headers: fx.etag("/v1/staff/promises/" + fx.promise),
			body: map[string]any{"text": "Belysning", "responsible": "other", "responsible_other": "Tekniska förvaltningen"}}
	},
	"PATCH /v1/staff/promises/:id/commitments/:commitment_id": func(fx *bodyFixture) bodyRequest {
		return bodyRequest{path: "/v1/staff/promises/" + fx.promise + "/commitments/" + fx.commitment, headers: fx.etag("/v1/staff/promises/" + fx.promise),
			body: map[string]any{"text": "Belysning", "responsible": "other", "responsible_other": "Tekniska förvaltningen"}}
	},
	"POST /v1/staff/promises/:id/activities": func(fx *bodyFixture) bodyRequest {
		return bodyRequest{path: "/v1/staff/promises/" + fx.promise + "/activities", body: map[string]any{"commitment_id": fx.commitment,
			"occurred_on": "2026-11-01", "type": "trygghetsvandring", "description": "Kvällsvandring", "who": "Polisen"}}
	},
	"POST /v1/walks/plan": func(*bodyFixture) bodyRequest {
		return bodyRequest{path: "/v1/walks/plan", body: map[string]any{"municipality": "0180", "start": kthStart, "max_length_m": 1500}}
	},
	"POST /v1/walks": func(*bodyFixture) bodyRequest {
		return bodyRequest{path: "/v1/walks", body: map[string]any{"municipality": "1781", "title": "Kvällsvandring", "starts_at": "2026-11-25T18:00:00+01:00",
			"organiser": "Kristinehamns kommun", "partners": []string{"Polisen"}, "participants": 12}}
	},
	"PATCH /v1/walks/:id": func(fx *bodyFixture) bodyRequest {
		return bodyRequest{path: "/v1/walks/" + fx.walk, body: map[string]any{"title": "Kvällsvandring", "organiser": "Kommunen", "partners": []string{"Polisen"}}}
	},
	"POST /v1/walks/:id/observations": func(fx *bodyFixture) bodyRequest {
		return bodyRequest{path: "/v1/walks/" + fx.walk + "/observations", body: map[string]any{
			"point": map[string]float64{"lat": 59.3096, "lon": 14.1086}, "rating": "otrygg", "category": "OTR.PLACE.LIGHT",
			"factors": []string{"lighting"}, "note": "Mörk gångväg", "observed_at": "2026-11-20T18:30:00+01:00"}}
	},
	"POST /v1/walks/:id/observations/:oid/photos": nil, // multipart with only the binary photo
	"POST /v1/walks/:id/measures": func(fx *bodyFixture) bodyRequest {
		return bodyRequest{path: "/v1/walks/" + fx.walk + "/measures", body: map[string]any{"observation_id": fx.observation,
			"what": "Byt armaturer", "horizon": "short", "owner": "Tekniska förvaltningen", "due_date": "2027-01-31"}}
	},
	"PATCH /v1/walks/:id/measures/:mid": func(fx *bodyFixture) bodyRequest {
		return bodyRequest{path: "/v1/walks/" + fx.walk + "/measures/" + fx.measure, body: map[string]any{"status": "in_progress", "owner": "Kommunen",
			"checked_at_walk": fx.laterWalk, "check_note": "Lamporna bytta"}}
	},
}

func (fx *bodyFixture) o311Form() url.Values {
	return url.Values{"api_key": {fx.o311Key}, "service_code": {"FEL.LIGHT"}, "lat": {"59.3096"}, "long": {"14.1086"},
		"address_string": {"Kungsgatan 1"}, "email": {"anna@example.se"}, "device_id": {uuid.NewString()}, "account_id": {"konto-1"},
		"first_name": {"Anna"}, "last_name": {"Svensson"}, "phone": {"070-1234567"}, "description": {"Lampan är trasig"}, "media_url": {"https://example.se/a.jpg"}}
}

// etag is an If-Match with the resource's current ETag.
func (fx *bodyFixture) etag(path string) []string {
	w := fx.ts.do(http.MethodGet, path, nil, fx.admin...)
	if w.Code != http.StatusOK {
		fx.ts.t.Fatalf("GET %s: %d %s", path, w.Code, w.Body)
	}
	return []string{"If-Match", w.Header().Get("ETag")}
}

// id creates a resource through the API and returns the id of its answer.
func (fx *bodyFixture) id(path string, body any, headers ...string) string {
	fx.ts.t.Helper()
	w := fx.ts.do(http.MethodPost, path, body, append(slices.Clone(fx.admin), headers...)...)
	if w.Code != http.StatusCreated && w.Code != http.StatusOK {
		fx.ts.t.Fatalf("POST %s: %d %s", path, w.Code, w.Body)
	}
	return decode[struct {
		ID string `json:"id"`
	}](fx.ts.t, w).ID
}

func newBodyFixture(t *testing.T, ts *testServer) *bodyFixture {
	fx := &bodyFixture{ts: ts, admin: bearer(ts.token(auth.Admin, "1781", "1782", "0180")), o311Key: ts.o311Key("injection")}
	// A street network, so that walk plans get past their first check.
	f, err := os.Open("../streets/testdata/kth_campus_stockholm.osm")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	network, err := streets.Parse(context.Background(), f, streets.FormatXML, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.db.ImportNetwork(context.Background(), "0180", "kth.osm", network); err != nil {
		t.Fatal(err)
	}
	fx.promise = fx.id("/v1/staff/promises", bodyRoutes["POST /v1/staff/promises"](fx).body)
	w := ts.do(http.MethodGet, "/v1/staff/promises/"+fx.promise, nil, fx.admin...)
	fx.commitment = decode[struct {
		Commitments []struct {
			ID string `json:"id"`
		} `json:"commitments"`
	}](t, w).Commitments[0].ID
	fx.walk = fx.id("/v1/walks", bodyRoutes["POST /v1/walks"](fx).body)
	fx.observation = fx.id("/v1/walks/"+fx.walk+"/observations", bodyRoutes["POST /v1/walks/:id/observations"](fx).body)
	fx.measure = fx.id("/v1/walks/"+fx.walk+"/measures", bodyRoutes["POST /v1/walks/:id/measures"](fx).body)
	fx.laterWalk = fx.id("/v1/walks", map[string]any{"municipality": "1781", "title": "Uppföljning", "starts_at": "2027-03-01T18:00:00+01:00"})
	fx.area = fx.id("/v1/staff/areas", bodyRoutes["POST /v1/staff/areas"](fx).body)
	return fx
}

// stringFields lists the dotted paths of the string fields of a JSON schema
// (array items as index 0), following properties, items and allOf/oneOf/anyOf.
// form says the body is a form, where every non-binary field is text on the wire.
func stringFields(s *openapi3.SchemaRef, prefix string, form bool, depth int, out map[string]bool) {
	if s == nil || s.Value == nil || depth > 6 {
		return
	}
	v := s.Value
	join := func(name string) string {
		if prefix == "" {
			return name
		}
		return prefix + "." + name
	}
	for _, sub := range slices.Concat(v.AllOf, v.OneOf, v.AnyOf) {
		stringFields(sub, prefix, form, depth+1, out)
	}
	switch {
	case v.Type.Is("object") || len(v.Properties) > 0:
		for name, p := range v.Properties {
			if form {
				if p.Value != nil && p.Value.Format != "binary" {
					out[name] = true
				}
				continue
			}
			stringFields(p, join(name), form, depth+1, out)
		}
	case v.Type.Is("array"):
		stringFields(v.Items, join("0"), form, depth+1, out)
	case v.Type.Is("string") && prefix != "":
		out[prefix] = true
	}
}

// setField puts value at a dotted path of a decoded JSON value, making the
// objects and arrays on the way.
func setBodyField(doc any, path []string, value any) any {
	if len(path) == 0 {
		return value
	}
	if path[0] == "0" {
		arr, _ := doc.([]any)
		if len(arr) == 0 {
			arr = []any{nil}
		}
		arr[0] = setBodyField(arr[0], path[1:], value)
		return arr
	}
	obj, _ := doc.(map[string]any)
	if obj == nil {
		obj = map[string]any{}
	}
	obj[path[0]] = setBodyField(obj[path[0]], path[1:], value)
	return obj
}

// hostileMarker stands in for the hostile value while the JSON is encoded;
// the value then goes in as raw bytes, so invalid UTF-8 arrives invalid.
const hostileMarker = "\u2063hostile\u2063"

func rawJSONString(s string) []byte {
	if utf8.ValidString(s) {
		b, _ := json.Marshal(s)
		return b
	}
	b, _ := json.Marshal(strings.ToValidUTF8(s, hostileMarker))
	return bytes.ReplaceAll(b, []byte(hostileMarker), []byte("\xff\xfe\xfd"))
}

// encodeBody builds the request body and its Content-Type with value in field.
func encodeBody(t *testing.T, body any, field, value string) ([]byte, string) {
	switch b := body.(type) {
	case url.Values:
		v := url.Values{}
		for k, vs := range b {
			v[k] = slices.Clone(vs)
		}
		v.Set(field, value)
		return []byte(v.Encode()), "application/x-www-form-urlencoded"
	case multipartFields:
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, v := range b {
			if k == field {
				v = value
			}
			_ = mw.WriteField(k, v)
		}
		if _, ok := b[field]; !ok {
			_ = mw.WriteField(field, value)
		}
		_ = mw.Close()
		return buf.Bytes(), mw.FormDataContentType()
	case csvBody:
		var buf bytes.Buffer
		cw := csv.NewWriter(&buf)
		row := slices.Clone(b.row)
		row[slices.Index(b.header, field)] = value
		_ = cw.Write(b.header)
		_ = cw.Write(row)
		cw.Flush()
		return buf.Bytes(), "text/csv"
	}
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	doc = setBodyField(doc, strings.Split(field, "."), hostileMarker)
	raw, err = json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	marker, _ := json.Marshal(hostileMarker)
	return bytes.Replace(raw, marker, rawJSONString(value), 1), "application/json"
}

// checksumSQL hashes every table a request could change (not the static
// geography, not the tokens' last-used time, which every request moves, nor
// the device-hash keys, made on first use by whichever request comes first).
func checksumSQL(t *testing.T, ts *testServer) string {
	rows, err := ts.db.Pool.Query(context.Background(), `SELECT tablename FROM pg_tables WHERE schemaname = 'public'
AND tablename NOT IN ('spatial_ref_sys', 'municipalities', 'street_nodes', 'street_edges', 'api_tokens', 'hash_keys') ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, fmt.Sprintf(`SELECT %[1]s AS t, coalesce(md5(string_agg(md5(x::text), '' ORDER BY md5(x::text))), '') AS h FROM "%[2]s" x`,
			"'"+n+"'", n))
	}
	rows.Close()
	return `SELECT string_agg(t || ':' || h, ',' ORDER BY t) FROM (` + strings.Join(parts, " UNION ALL ") + `) s`
}

// storedSQL finds a string value stored verbatim anywhere: in a text column,
// an array or inside jsonb.
func storedSQL(t *testing.T, ts *testServer) string {
	rows, err := ts.db.Pool.Query(context.Background(), `SELECT tablename FROM pg_tables WHERE schemaname = 'public'
AND tablename NOT IN ('spatial_ref_sys', 'municipalities', 'street_nodes', 'street_edges') ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, fmt.Sprintf(`SELECT 1 FROM "%s" x WHERE jsonb_path_exists(to_jsonb(x), '$.** ? (@ == $v)', jsonb_build_object('v', $1::text))`, n))
	}
	rows.Close()
	return `SELECT EXISTS (` + strings.Join(parts, " UNION ALL ") + `)`
}

// transformedFields are fields a 2xx may store changed or not at all, and why.
var transformedFields = map[string]string{}

// TestHostileStringsInEveryBodyField sends every hostile string in every
// string field of every request body the contract describes (JSON, forms,
// multipart, CSV columns). Each answer is 2xx, with the value stored exactly
// as sent, or 4xx in the route's error format with the database unchanged;
// never 5xx.
func TestHostileStringsInEveryBodyField(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	fx := newBodyFixture(t, ts)
	sumSQL, findSQL := checksumSQL(t, ts), storedSQL(t, ts)
	requests, accepted := 0, 0
	for _, r := range ts.srv.Engine().Routes() {
		if r.Method != http.MethodPost && r.Method != http.MethodPatch && r.Method != http.MethodPut {
			continue
		}
		key := r.Method + " " + r.Path
		if slices.Contains(noBodyRoutes, key) {
			continue
		}
		t.Run(key, func(t *testing.T) {
			var op *openapi3.Operation
			if item := ts.srv.contract.doc.Paths.Find(ginParam.ReplaceAllString(r.Path, "{$1}")); item != nil {
				op = item.GetOperation(r.Method)
			}
			if op == nil || op.RequestBody == nil || op.RequestBody.Value == nil || len(op.RequestBody.Value.Content) == 0 {
				t.Fatalf("%s takes a body but the contract gives it no requestBody schema (or list it in noBodyRoutes)", key)
			}
			build, ok := bodyRoutes[key]
			if !ok {
				t.Fatalf("%s has no request in bodyRoutes (injection_test.go): add one that succeeds, so its fields are attacked", key)
			}
			fields := map[string]bool{}
			for ct, mt := range op.RequestBody.Value.Content {
				if mt.Schema == nil {
					t.Fatalf("%s: content %s has no schema", key, ct)
				}
				if ct == "text/csv" {
					continue // the columns are the request's header row
				}
				stringFields(mt.Schema, "", strings.HasPrefix(ct, "multipart/") || ct == "application/x-www-form-urlencoded", 0, fields)
			}
			if build == nil {
				if len(fields) > 0 {
					t.Fatalf("%s has string fields %v but no request in bodyRoutes", key, fields)
				}
				return
			}
			if key == "POST /v1/staff/areas/import" {
				fields["features.0.properties.name"] = true // the name_property the import reads: free-form in GeoJSON
			}
			variants := []func(*bodyFixture) bodyRequest{build}
			if extra, ok := bodyRoutes[key+" csv"]; ok {
				variants = append(variants, extra)
			}
			sent, took := 0, 0
			defer func() { t.Logf("%d hostile values sent, %d accepted", sent, took) }()
			for _, build := range variants {
				names := fields
				if b, ok := build(fx).body.(csvBody); ok {
					names = map[string]bool{}
					for _, col := range b.header {
						names[col] = true
					}
				}
				if len(names) == 0 {
					t.Fatalf("no string field found in the schema of %s", key)
				}
				for _, field := range slices.Sorted(maps.Keys(names)) {
					for _, value := range bodyHostile {
						ok := sendHostile(t, fx, r.Method, r.Path, build(fx), field, value, sumSQL, findSQL)
						requests++
						sent++
						if ok {
							accepted++
							took++
						}
					}
				}
			}
		})
	}
	if requests < 300 {
		t.Fatalf("only %d hostile body requests: the route walk is broken", requests)
	}
	t.Logf("%d hostile body requests, %d accepted", requests, accepted)
}

// sendHostile sends req with value in field and checks the answer; it
// reports whether the value was accepted (2xx).
func sendHostile(t *testing.T, fx *bodyFixture, method, route string, req bodyRequest, field, value, sumSQL, findSQL string) bool {
	t.Helper()
	ts := fx.ts
	checksum := func() string {
		var s string
		if err := ts.db.Pool.QueryRow(context.Background(), sumSQL).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	body, ct := encodeBody(t, req.body, field, value)
	before := checksum()
	w := ts.do(method, req.path, body, append(append(slices.Clone(req.headers), fx.admin...), "Content-Type", ct)...)
	short := value
	if len(short) > 40 {
		short = short[:40] + "…"
	}
	switch {
	case w.Code >= 500:
		t.Errorf("%s=%q: %d %s", field, short, w.Code, w.Body)
	case w.Code >= 400:
		if strings.HasPrefix(route, "/open311/") {
			if !strings.Contains(w.Body.String(), "description") {
				t.Errorf("%s=%q: %d not in Open311's error format: %s", field, short, w.Code, w.Body)
			}
		} else if code := decode[ErrorBody](t, w).Error.Code; code == "" {
			t.Errorf("%s=%q: %d without an error code: %s", field, short, w.Code, w.Body)
		}
		if after := checksum(); after != before {
			t.Errorf("%s=%q: %d, but the database changed", field, short, w.Code)
		}
	default:
		if !utf8.ValidString(value) || strings.ContainsRune(value, 0) || transformedFields[method+" "+route+" "+field] != "" {
			return true
		}
		if checksum() == before {
			return true // answered without storing (a plan, a search)
		}
		var found bool
		if err := ts.db.Pool.QueryRow(context.Background(), findSQL, value).Scan(&found); err != nil {
			t.Fatal(err)
		}
		if !found {
			t.Errorf("%s=%q: %d, but the value is not stored as sent", field, short, w.Code)
		}
	}
	return w.Code < 300
}

// TestHostileMarkupIsEscapedInDocuments stores markup through the API where
// staff type free text (a walk's title and observation, a promise) and reads
// the printable documents that show it: the markup comes back as text, never
// as markup.
func TestHostileMarkupIsEscapedInDocuments(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	admin := bearer(ts.token(auth.Admin, "1781"))
	const markup = `<script>alert("trygg")</script><img src=x onerror=alert(1)>`
	post := func(path string, body any) string {
		w := ts.do(http.MethodPost, path, body, admin...)
		if w.Code != http.StatusCreated {
			t.Fatalf("POST %s: %d %s", path, w.Code, w.Body)
		}
		return decode[struct {
			ID string `json:"id"`
		}](t, w).ID
	}
	walk := post("/v1/walks", map[string]any{"municipality": "1781", "title": "Vandring " + markup, "starts_at": "2026-11-18T18:00:00+01:00", "organiser": markup})
	post("/v1/walks/"+walk+"/observations", map[string]any{"point": map[string]float64{"lat": 59.3096, "lon": 14.1086}, "rating": "otrygg",
		"category": "OTR.PLACE.LIGHT", "note": "Mörkt " + markup, "observed_at": "2026-11-18T18:30:00+01:00"})
	post("/v1/staff/promises", map[string]any{"municipality": "1781", "title": "Löfte " + markup, "valid_from": "2026-01-01", "valid_to": "2026-12-31",
		"commitments": []any{map[string]any{"text": "Åtagande " + markup, "responsible": "both"}}})
	// The lägesbild page may not quote these texts at all; when it does, escaped.
	for i, path := range []string{"/v1/walks/" + walk + "/report?format=html", "/v1/lagesbild?municipality=1781&period=2026-11&format=html"} {
		w := ts.do(http.MethodGet, path, nil, admin...)
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, w.Code, w.Body)
		}
		body := w.Body.String()
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
			t.Errorf("%s shows the stored markup as markup", path)
		}
		if i == 0 && !strings.Contains(body, "&lt;script&gt;alert") {
			t.Errorf("%s does not show the stored text at all, so the check proves nothing: %.500s", path, body)
		}
	}
}
