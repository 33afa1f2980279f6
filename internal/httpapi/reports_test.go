package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/trygg/trygg/internal/report"
)

// kristinehamn is a point in central Kristinehamn (kommun 1781).
var kristinehamn = map[string]any{"lat": 59.3096, "lon": 14.1086, "accuracy_m": 8}

// felanmalan returns a valid felanmälan body with overrides applied; a nil
// override value deletes the key.
func felanmalan(over map[string]any) map[string]any {
	b := map[string]any{"kind": "felanmalan", "category": "FEL.LIGHT", "location": kristinehamn,
		"description": "Gatlampan vid gångvägen är trasig."}
	for k, v := range over {
		if v == nil {
			delete(b, k)
		} else {
			b[k] = v
		}
	}
	return b
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// postReport submits body under key and returns the receipt, failing unless 201.
func (ts *testServer) postReport(key string, body any) report.Receipt {
	ts.t.Helper()
	w := ts.do(http.MethodPost, "/v1/reports", body, "Idempotency-Key", key)
	if w.Code != http.StatusCreated {
		ts.t.Fatalf("POST /v1/reports = %d %s", w.Code, w.Body)
	}
	return decode[report.Receipt](ts.t, w)
}

// multipartPhoto builds a multipart/form-data body with data in field.
func multipartPhoto(t testing.TB, field, filename string, data []byte) (body []byte, contentType string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile(field, filename)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), mw.FormDataContentType()
}

func readPhotoTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../photo/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// tables whose row counts must not move when a request is refused.
var writtenTables = []string{"reports", "report_contacts", "report_events", "photos", "idempotency_keys"}

func (ts *testServer) counts() map[string]int {
	m := map[string]int{}
	for _, t := range writtenTables {
		m[t] = ts.count(t)
	}
	return m
}

// TestBadInputChangesNothing is the table: every bad request gets a 4xx
// in the JSON error format with a code, and no row is written anywhere.
func TestBadInputChangesNothing(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, map[string]string{"TRYGG_PHOTO_LIMIT_BYTES": "16384"})
	rc := ts.postReport("baseline-key-0001", felanmalan(nil))
	photoPath := "/v1/reports/" + rc.ID.String() + "/photos"

	notImage, notImageCT := multipartPhoto(t, "photo", "x.jpg", readPhotoTestdata(t, "not_an_image.jpg"))
	// 21 kB: over the 16 kB photo limit, under the route's limit with overhead.
	bigPhoto, bigPhotoCT := multipartPhoto(t, "photo", "big.jpg", readPhotoTestdata(t, "streetlight_gps.jpg"))
	// Over the route's own limit (photo limit + multipart overhead).
	hugePhoto, hugePhotoCT := multipartPhoto(t, "photo", "huge.jpg", bytes.Repeat([]byte{0xff}, 16384+multipartOverhead+1))
	tiny, tinyCT := multipartPhoto(t, "photo", "tiny.png", readPhotoTestdata(t, "tiny.png"))
	otherField, otherFieldCT := multipartPhoto(t, "image", "tiny.png", readPhotoTestdata(t, "tiny.png"))

	key := func(k string) []string { return []string{"Idempotency-Key", k} }
	good := key("a-fresh-key-0001")
	long := strings.Repeat("å", report.MaxDescription+1)

	cases := []struct {
		name    string
		method  string
		path    string
		body    any
		headers []string
		status  int
		code    string
		mention string // the message must name this (a field, a limit)
	}{
		{"invalid JSON", "POST", "/v1/reports", `{"kind": "felanmalan",`, good, 400, "invalid", ""},
		{"empty body", "POST", "/v1/reports", ``, good, 400, "invalid", ""},
		{"two JSON objects", "POST", "/v1/reports", string(mustJSON(t, felanmalan(nil))) + `{}`, good, 400, "invalid", ""},
		{"unknown field", "POST", "/v1/reports", felanmalan(map[string]any{"colour": "red"}), good, 400, "invalid", "colour"},
		{"unknown nested field", "POST", "/v1/reports", felanmalan(map[string]any{"location": map[string]any{"lat": 59.3, "lon": 14.1, "alt": 3}}), good, 400, "invalid", "alt"},
		{"missing kind", "POST", "/v1/reports", felanmalan(map[string]any{"kind": nil}), good, 400, "invalid", "kind"},
		{"missing category", "POST", "/v1/reports", felanmalan(map[string]any{"category": nil}), good, 400, "invalid", "category"},
		{"missing location", "POST", "/v1/reports", felanmalan(map[string]any{"location": nil}), good, 400, "invalid", "location"},
		{"unknown kind", "POST", "/v1/reports", felanmalan(map[string]any{"kind": "klagomal"}), good, 400, "invalid", "kind"},
		{"category of the other kind", "POST", "/v1/reports", felanmalan(map[string]any{"kind": "otrygghet"}), good, 400, "invalid", "FEL.LIGHT"},
		{"unknown category", "POST", "/v1/reports", felanmalan(map[string]any{"category": "FEL.NOPE"}), good, 400, "invalid", "FEL.NOPE"},
		{"group category", "POST", "/v1/reports", felanmalan(map[string]any{"category": "FEL"}), good, 400, "invalid", "category"},
		{"lat above 90", "POST", "/v1/reports", felanmalan(map[string]any{"location": map[string]any{"lat": 90.5, "lon": 14.1}}), good, 400, "invalid", "lat"},
		{"lat below -90", "POST", "/v1/reports", felanmalan(map[string]any{"location": map[string]any{"lat": -91, "lon": 14.1}}), good, 400, "invalid", "lat"},
		{"lon above 180", "POST", "/v1/reports", felanmalan(map[string]any{"location": map[string]any{"lat": 59.3, "lon": 180.01}}), good, 400, "invalid", "lon"},
		{"lon below -180", "POST", "/v1/reports", felanmalan(map[string]any{"location": map[string]any{"lat": 59.3, "lon": -200}}), good, 400, "invalid", "lon"},
		{"NaN as number", "POST", "/v1/reports", `{"kind":"felanmalan","category":"FEL.LIGHT","location":{"lat":NaN,"lon":14.1}}`, good, 400, "invalid", ""},
		{"Infinity as number", "POST", "/v1/reports", `{"kind":"felanmalan","category":"FEL.LIGHT","location":{"lat":Infinity,"lon":14.1}}`, good, 400, "invalid", ""},
		{"number overflowing to infinity", "POST", "/v1/reports", `{"kind":"felanmalan","category":"FEL.LIGHT","location":{"lat":1e999,"lon":14.1}}`, good, 400, "invalid", ""},
		{"string as number", "POST", "/v1/reports", felanmalan(map[string]any{"location": map[string]any{"lat": "59.3096", "lon": 14.1086}}), good, 400, "invalid", "lat"},
		{"point in the sea", "POST", "/v1/reports", felanmalan(map[string]any{"location": map[string]any{"lat": 57.5, "lon": 19.5}}), good, 400, "invalid", "municipality"},
		{"point abroad", "POST", "/v1/reports", felanmalan(map[string]any{"location": map[string]any{"lat": 52.52, "lon": 13.40}}), good, 400, "invalid", "municipality"},
		{"negative accuracy", "POST", "/v1/reports", felanmalan(map[string]any{"location": map[string]any{"lat": 59.3096, "lon": 14.1086, "accuracy_m": -1}}), good, 400, "invalid", "accuracy_m"},
		{"observed_at in the future", "POST", "/v1/reports", felanmalan(map[string]any{"observed_at": "2026-11-21T18:00:00Z"}), good, 400, "invalid", "observed_at"},
		{"observed_at over a year ago", "POST", "/v1/reports", felanmalan(map[string]any{"observed_at": "2025-11-01T18:00:00Z"}), good, 400, "invalid", "observed_at"},
		{"observed_at not a time", "POST", "/v1/reports", felanmalan(map[string]any{"observed_at": "igår kväll"}), good, 400, "invalid", "observed_at"},
		{"description too long", "POST", "/v1/reports", felanmalan(map[string]any{"description": long}), good, 400, "invalid", "description"},
		{"feeling on a felanmälan", "POST", "/v1/reports", felanmalan(map[string]any{"feeling": 2}), good, 400, "invalid", "feeling"},
		{"feeling out of range", "POST", "/v1/reports", felanmalan(map[string]any{"kind": "otrygghet", "category": "OTR.PLACE.LIGHT", "feeling": 6}), good, 400, "invalid", "feeling"},
		{"body over the limit", "POST", "/v1/reports", felanmalan(map[string]any{"description": strings.Repeat("x", 70<<10)}), good, 413, "too_large", "65536"},
		{"body padded over the limit", "POST", "/v1/reports", string(mustJSON(t, felanmalan(nil))) + strings.Repeat(" ", 65<<10), good, 413, "too_large", ""},
		{"not JSON content type", "POST", "/v1/reports", "kind=felanmalan", append([]string{"Content-Type", "application/x-www-form-urlencoded"}, good...), 415, "unsupported_media_type", ""},
		{"missing Idempotency-Key", "POST", "/v1/reports", felanmalan(nil), nil, 400, "invalid", "Idempotency-Key"},
		{"short Idempotency-Key", "POST", "/v1/reports", felanmalan(nil), key("abc"), 400, "invalid", "Idempotency-Key"},
		{"Idempotency-Key with spaces", "POST", "/v1/reports", felanmalan(nil), key("has some spaces"), 400, "invalid", "Idempotency-Key"},
		{"same key, different body", "POST", "/v1/reports", felanmalan(map[string]any{"category": "FEL.ROAD"}), key("baseline-key-0001"), 409, "conflict", "Idempotency-Key"},
		{"photo not an image", "POST", photoPath, notImage, []string{"Content-Type", notImageCT, "X-Follow-Up-Token", rc.FollowUpToken}, 415, "unsupported_media_type", "JPEG or PNG"},
		{"photo too large", "POST", photoPath, bigPhoto, []string{"Content-Type", bigPhotoCT, "X-Follow-Up-Token", rc.FollowUpToken}, 413, "too_large", "16 KiB"},
		{"photo body over the route limit", "POST", photoPath, hugePhoto, []string{"Content-Type", hugePhotoCT, "X-Follow-Up-Token", rc.FollowUpToken}, 413, "too_large", ""},
		{"photo in the wrong field", "POST", photoPath, otherField, []string{"Content-Type", otherFieldCT, "X-Follow-Up-Token", rc.FollowUpToken}, 400, "invalid", "photo"},
		{"photo not multipart", "POST", photoPath, readPhotoTestdata(t, "tiny.png"), []string{"Content-Type", "image/png", "X-Follow-Up-Token", rc.FollowUpToken}, 415, "unsupported_media_type", ""},
		{"photo with a wrong token", "POST", photoPath, tiny, []string{"Content-Type", tinyCT, "X-Follow-Up-Token", "not-the-token"}, 404, "not_found", ""},
		{"photo without a token", "POST", photoPath, tiny, []string{"Content-Type", tinyCT}, 401, "unauthorized", "X-Follow-Up-Token"},
		{"photo for a report that does not exist", "POST", "/v1/reports/6f1c2a43-58d4-4d7e-9a51-0b8a3c1d2e4f/photos", tiny, []string{"Content-Type", tinyCT, "X-Follow-Up-Token", rc.FollowUpToken}, 404, "not_found", ""},
		{"photo for a malformed report id", "POST", "/v1/reports/42/photos", tiny, []string{"Content-Type", tinyCT, "X-Follow-Up-Token", rc.FollowUpToken}, 400, "invalid", "id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := ts.counts()
			w := ts.do(tc.method, tc.path, tc.body, tc.headers...)
			if w.Code != tc.status {
				t.Errorf("status %d, want %d: %s", w.Code, tc.status, w.Body)
			}
			e := decode[ErrorBody](t, w).Error
			if e.Code != tc.code {
				t.Errorf("error code %q, want %q (%s)", e.Code, tc.code, e.Message)
			}
			if e.Message == "" || !strings.Contains(e.Message, tc.mention) {
				t.Errorf("message %q does not mention %q", e.Message, tc.mention)
			}
			if after := ts.counts(); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("rows changed: before %v, after %v", before, after)
			}
		})
	}
}

func TestCreateReportStoresOneRowOfEach(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	body := felanmalan(map[string]any{"contact": map[string]any{"name": "Kim", "email": "kim@example.se"},
		"description": strings.Repeat("å", report.MaxDescription)})
	w := ts.do(http.MethodPost, "/v1/reports", body, "Idempotency-Key", "create-key-0001")
	if w.Code != http.StatusCreated {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	rc := decode[report.Receipt](t, w)
	if rc.Municipality.Code != "1781" || rc.Municipality.Name != "Kristinehamn" {
		t.Errorf("municipality %+v, want 1781 Kristinehamn", rc.Municipality)
	}
	if rc.Status != report.Received || len(rc.Reference) != 9 || len(rc.FollowUpToken) < 30 {
		t.Errorf("receipt %+v", rc)
	}
	if loc := w.Header().Get("Location"); loc != "/v1/reports/"+rc.ID.String() {
		t.Errorf("Location %q", loc)
	}
	want := map[string]int{"reports": 1, "report_contacts": 1, "report_events": 1, "photos": 0, "idempotency_keys": 1}
	if got := ts.counts(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("rows %v, want %v", got, want)
	}
	// An anonymous report stores no contact row.
	ts.postReport("create-key-0002", felanmalan(nil))
	if n := ts.count("report_contacts"); n != 1 {
		t.Errorf("%d contact rows after an anonymous report, want 1", n)
	}
}

// TestIdempotencyRace sends one report 50 times at once under one key: one row,
// and every caller gets the same 201 body.
func TestIdempotencyRace(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	body := mustJSON(t, felanmalan(nil))
	const n = 50
	var wg sync.WaitGroup
	results := make([]*httptest.ResponseRecorder, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = ts.do(http.MethodPost, "/v1/reports", body, "Idempotency-Key", "race-key-00000001")
		}()
	}
	wg.Wait()
	for i, w := range results {
		if w.Code != http.StatusCreated {
			t.Errorf("request %d: status %d %s", i, w.Code, w.Body)
		}
		if w.Body.String() != results[0].Body.String() {
			t.Errorf("request %d: body %s differs from %s", i, w.Body, results[0].Body)
		}
	}
	if got := ts.count("reports"); got != 1 {
		t.Errorf("%d reports stored, want 1", got)
	}
	if got := ts.count("report_events"); got != 1 {
		t.Errorf("%d events stored, want 1", got)
	}
	// The same body under another key is another report.
	ts.postReport("race-key-00000002", body)
	if got := ts.count("reports"); got != 2 {
		t.Errorf("%d reports after a second key, want 2", got)
	}
}

func TestLocateOnRealBoundaries(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	cases := []struct {
		query  string
		status int
		code   string
	}{
		{"lat=59.3096&lon=14.1086", 200, "1781"}, // central Kristinehamn
		{"lat=59.7426&lon=14.1690", 200, "1782"}, // Filipstad
		{"lat=56.0294&lon=14.1567", 200, "1290"}, // Kristianstad
		{"lat=57.5&lon=19.5", 404, "not_found"},  // the Baltic Sea
		{"lat=52.52&lon=13.40", 404, "not_found"},
		{"lat=91&lon=14.1", 400, "invalid"},
		{"lat=59.3&lon=-181", 400, "invalid"},
		{"lat=NaN&lon=14.1", 400, "invalid"},
		{"lat=abc&lon=14.1", 400, "invalid"},
		{"lat=59.3", 400, "invalid"},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			w := ts.do(http.MethodGet, "/v1/municipalities/locate?"+tc.query, nil)
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.status, w.Body)
			}
			got := errorCodeOr(t, w, func() string { return decode[report.Municipality](t, w).Code })
			if got != tc.code {
				t.Errorf("got %q, want %q", got, tc.code)
			}
		})
	}
}

// errorCodeOr returns the error code of a failed response, or ok() of a good one.
func errorCodeOr(t testing.TB, w *httptest.ResponseRecorder, ok func() string) string {
	if w.Code >= 400 {
		return errorCode(t, w)
	}
	return ok()
}

func TestCategoriesLanguageAndKind(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	type list struct {
		Categories []categoryJSON `json:"categories"`
	}
	find := func(l list, code string) categoryJSON {
		for _, c := range l.Categories {
			if c.Code == code {
				return c
			}
		}
		t.Fatalf("%s not listed", code)
		return categoryJSON{}
	}
	cases := []struct {
		name, query, lang string
		wantName          string
		wantLang          string
	}{
		{"Swedish by default", "", "", "Gatubelysning", "sv"},
		{"English on request", "", "en-GB,en;q=0.9", "Street lighting", "en"},
		{"Swedish preferred over English", "", "sv-SE,en;q=0.5", "Gatubelysning", "sv"},
		{"unknown language falls back to Swedish", "", "de", "Gatubelysning", "sv"},
		{"kind filter", "?kind=felanmalan", "en", "Street lighting", "en"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := ts.do(http.MethodGet, "/v1/categories"+tc.query, nil, "Accept-Language", tc.lang)
			if w.Code != 200 {
				t.Fatalf("status %d %s", w.Code, w.Body)
			}
			l := decode[list](t, w)
			if got := find(l, "FEL.LIGHT").Name; got != tc.wantName {
				t.Errorf("FEL.LIGHT is %q, want %q", got, tc.wantName)
			}
			if got := w.Header().Get("Content-Language"); got != tc.wantLang {
				t.Errorf("Content-Language %q, want %q", got, tc.wantLang)
			}
			if tc.query != "" {
				for _, c := range l.Categories {
					if c.Kind != "felanmalan" {
						t.Errorf("kind filter let through %s (%s)", c.Code, c.Kind)
					}
				}
			}
		})
	}
	if w := ts.do(http.MethodGet, "/v1/categories?kind=klagomal", nil); w.Code != 400 || errorCode(t, w) != "invalid" {
		t.Errorf("unknown kind: %d %s", w.Code, w.Body)
	}
}

// TestFollowUpShowsNoPrivateData checks the resident's view of a report: the
// right token sees status and history, never the contact or the free text.
func TestFollowUpShowsNoPrivateData(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	secret := "Ring mig på 070-1234567, jag bor på Storgatan 3"
	rc := ts.postReport("followup-key-0001", felanmalan(map[string]any{"description": secret,
		"contact": map[string]any{"name": "Kim Andersson", "email": "kim@example.se", "phone": "070-1234567"}}))
	path := "/v1/reports/" + rc.ID.String()
	cases := []struct {
		name    string
		path    string
		headers []string
		status  int
	}{
		{"right token in header", path, []string{"X-Follow-Up-Token", rc.FollowUpToken}, 200},
		{"right token in query", path + "?token=" + rc.FollowUpToken, nil, 200},
		{"wrong token", path, []string{"X-Follow-Up-Token", rc.FollowUpToken + "x"}, 404},
		{"another report's id", "/v1/reports/6f1c2a43-58d4-4d7e-9a51-0b8a3c1d2e4f", []string{"X-Follow-Up-Token", rc.FollowUpToken}, 404},
		{"no token", path, nil, 401},
		{"malformed id", "/v1/reports/K7Q9-XM2A", []string{"X-Follow-Up-Token", rc.FollowUpToken}, 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := ts.do(http.MethodGet, tc.path, nil, tc.headers...)
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.status, w.Body)
			}
			for _, private := range []string{"Storgatan", "070-1234567", "kim@example.se", "Kim Andersson", "description", "contact"} {
				if strings.Contains(w.Body.String(), private) {
					t.Errorf("response contains %q: %s", private, w.Body)
				}
			}
			if w.Code != 200 {
				return
			}
			v := decode[report.FollowUpView](t, w)
			if v.ID != rc.ID || v.Reference != rc.Reference || v.Status != report.Received || len(v.History) != 1 || v.History[0].Type != report.EventCreated {
				t.Errorf("view %+v", v)
			}
			if cc := w.Header().Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", cc)
			}
		})
	}
}

// TestReceiptShowsNoContact: the one response a resident's app always gets
// carries no contact data back (it may be logged or cached by proxies).
func TestReceiptShowsNoContact(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	w := ts.do(http.MethodPost, "/v1/reports", felanmalan(map[string]any{"description": "Trasig lampa vid Storgatan 3",
		"contact": map[string]any{"email": "kim@example.se"}}), "Idempotency-Key", "receipt-key-0001")
	if w.Code != 201 {
		t.Fatalf("status %d %s", w.Code, w.Body)
	}
	for _, private := range []string{"kim@example.se", "Storgatan"} {
		if strings.Contains(w.Body.String(), private) {
			t.Errorf("receipt contains %q: %s", private, w.Body)
		}
	}
}

func TestRateLimitPublicWrites(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, map[string]string{"TRYGG_RATE_LIMIT": "0.001", "TRYGG_RATE_BURST": "2"})
	post := func(key string, headers ...string) *httptest.ResponseRecorder {
		return ts.do(http.MethodPost, "/v1/reports", felanmalan(nil), append([]string{"Idempotency-Key", key}, headers...)...)
	}
	for i := range 2 {
		if w := post(fmt.Sprintf("ratelimit-key-%04d", i)); w.Code != 201 {
			t.Fatalf("post %d within the burst: %d %s", i, w.Code, w.Body)
		}
	}
	before := ts.counts()
	w := post("ratelimit-key-0003")
	if w.Code != http.StatusTooManyRequests || errorCode(t, w) != "rate_limited" {
		t.Fatalf("third post: %d %s, want 429 rate_limited", w.Code, w.Body)
	}
	if ra := w.Header().Get("Retry-After"); ra == "" {
		t.Error("429 without Retry-After")
	}
	// A new device id does not escape the client address's limit.
	if w := post("ratelimit-key-0004", "X-Device-Id", "another-phone"); w.Code != http.StatusTooManyRequests {
		t.Errorf("new device id from the same address: %d, want 429", w.Code)
	}
	if after := ts.counts(); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("rows changed by refused posts: %v → %v", before, after)
	}
	// Reading is not limited.
	if w := ts.do(http.MethodGet, "/v1/categories", nil); w.Code != 200 {
		t.Errorf("GET after the limit: %d", w.Code)
	}
}

func TestCORS(t *testing.T) {
	t.Parallel()
	const app = "https://app.trygg.example.se"
	ts := newTestServer(t, map[string]string{"TRYGG_CORS_ORIGINS": app})
	cases := []struct {
		name       string
		method     string
		headers    []string
		status     int
		allowOrign string
	}{
		{"allowed origin echoed", "GET", []string{"Origin", app}, 200, app},
		{"unknown origin not echoed", "GET", []string{"Origin", "https://evil.example.com"}, 200, ""},
		{"allowed preflight", "OPTIONS", []string{"Origin", app, "Access-Control-Request-Method", "POST"}, 204, app},
		{"unknown origin's preflight refused", "OPTIONS", []string{"Origin", "https://evil.example.com", "Access-Control-Request-Method", "POST"}, 403, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := ts.do(tc.method, "/v1/categories", nil, tc.headers...)
			if w.Code != tc.status {
				t.Errorf("status %d, want %d: %s", w.Code, tc.status, w.Body)
			}
			if got := w.Header().Get("Access-Control-Allow-Origin"); got != tc.allowOrign {
				t.Errorf("Access-Control-Allow-Origin %q, want %q", got, tc.allowOrign)
			}
			if tc.status == 204 {
				for _, h := range []string{"Idempotency-Key", "X-Follow-Up-Token"} {
					if !strings.Contains(w.Header().Get("Access-Control-Allow-Headers"), h) {
						t.Errorf("preflight does not allow header %s", h)
					}
				}
			}
		})
	}
}

// TestBodyCappedRecognisesMaxBytesReader guards the name-based check that lets a
// route's own, larger body limit stand in front of the validator.
func TestBodyCappedRecognisesMaxBytesReader(t *testing.T) {
	rec := httptest.NewRecorder()
	capped := http.MaxBytesReader(rec, io.NopCloser(strings.NewReader("{}")), 1<<20)
	if !bodyCapped(capped) {
		t.Error("an http.MaxBytesReader is not recognised")
	}
	if bodyCapped(io.NopCloser(strings.NewReader("{}"))) {
		t.Error("a plain body is taken for a capped one")
	}
}

// TestInvalidWritesCountAgainstTheRateLimit: the limit is applied before the
// request is validated, so a client cannot flood with invalid bodies, and once
// it is exhausted an invalid request gets 429, not a validation error.
func TestInvalidWritesCountAgainstTheRateLimit(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, map[string]string{"TRYGG_RATE_LIMIT": "0.001", "TRYGG_RATE_BURST": "2"})
	for i := range 2 {
		w := ts.do(http.MethodPost, "/v1/reports", `{"kind": "nonsense"}`, "Idempotency-Key", fmt.Sprintf("invalid-key-%04d", i))
		if w.Code != http.StatusBadRequest {
			t.Fatalf("invalid post %d within the burst: %d %s, want 400", i, w.Code, w.Body)
		}
	}
	if w := ts.do(http.MethodPost, "/v1/reports", `{"kind": "nonsense"}`, "Idempotency-Key", "invalid-key-0003"); w.Code != http.StatusTooManyRequests {
		t.Errorf("third invalid post: %d, want 429", w.Code)
	}
	if w := ts.do(http.MethodPost, "/v1/reports", felanmalan(nil), "Idempotency-Key", "valid-key-0004"); w.Code != http.StatusTooManyRequests {
		t.Errorf("valid post after the burst went to invalid posts: %d, want 429", w.Code)
	}
	if n := ts.count("reports"); n != 0 {
		t.Errorf("%d reports stored", n)
	}
}
