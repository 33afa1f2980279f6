package httpapi

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// specPost is the specification's example POST with trygg's service codes and
// a real key: every parameter the specification defines is sent.
func o311SpecPost(t *testing.T, key, code string) url.Values {
	t.Helper()
	v, err := url.ParseQuery(strings.TrimSpace(string(o311Fixture(t, "post_request.txt"))))
	if err != nil {
		t.Fatal(err)
	}
	v.Set("api_key", key)
	v.Set("service_code", code)
	return v
}

func TestOpen311PostSpecExample(t *testing.T) {
	t.Parallel()
	ts := newOpen311Server(t, nil)
	key := ts.o311Key("fixamingata")
	for i, f := range o311Formats {
		sub := o311SpecPost(t, key, "FEL.LIGHT")
		sub.Set("device_id", "phone-"+f) // two o311Formats, two devices: not a retry
		w := ts.o311Post(f, sub)
		rc := o311Created(t, f, w)
		o311SameShape(t, w, f, "post_response", map[string]string{"json": "/[]/token", "xml": "service_requests/request/token"}[f])
		if rc.AccountID != "konto-7" || rc.ServiceNotice == "" || rc.Token == "" {
			t.Errorf("answer %+v", rc)
		}
		if n := ts.count("reports"); n != i+1 {
			t.Fatalf("%d reports after %d POSTs", n, i+1)
		}
		var source, status, visibility, kind, name, email, phone, desc string
		err := ts.db.Pool.QueryRow(context.Background(), `
SELECT r.source, r.status, r.visibility, r.kind, c.name, c.email, c.phone, r.description
FROM reports r JOIN report_contacts c ON c.report_id = r.id WHERE r.reference = $1`, rc.ServiceRequestID).
			Scan(&source, &status, &visibility, &kind, &name, &email, &phone, &desc)
		if err != nil {
			t.Fatal(err)
		}
		if source != "open311" || status != "received" || visibility != "pending" || kind != "felanmalan" {
			t.Errorf("stored %s/%s/%s/%s", source, status, visibility, kind)
		}
		if name != "Kim Ek" || email != "kim@example.se" || phone != "0701234567" || desc != "Lyktan blinkar" {
			t.Errorf("contact %q %q %q, description %q", name, email, phone, desc)
		}

		// The token resolves to the request.
		w = ts.do(http.MethodGet, "/open311/v2/tokens/"+rc.Token+"."+f, nil)
		if w.Code != 200 || !strings.Contains(w.Body.String(), rc.ServiceRequestID) {
			t.Fatalf("token.%s: %d %s", f, w.Code, w.Body)
		}
		o311SameShape(t, w, f, "token_response")
		w = ts.do(http.MethodGet, "/open311/v2/tokens/00000000-0000-0000-0000-000000000000."+f, nil)
		if w.Code != 404 {
			t.Errorf("unknown token: %d", w.Code)
		}
		open311Error(t, f, w)
	}
	if n := ts.count("report_events"); n != 2 {
		t.Errorf("%d created events, want 2", n)
	}
}

func TestOpen311PostErrors(t *testing.T) {
	t.Parallel()
	ts := newOpen311Server(t, map[string]string{"TRYGG_BODY_LIMIT_BYTES": "2048"})
	key := ts.o311Key("app")
	revoked := ts.o311Key("old app")
	ts.o311Exec(`UPDATE api_keys SET revoked_at = now() WHERE name = 'old app'`)
	ok := func(pairs ...string) url.Values {
		v := o311Form("api_key", key, "service_code", "OTR.PLACE.LIGHT", "lat", o311KhamnLat, "long", o311KhamnLong)
		for i := 0; i+1 < len(pairs); i += 2 {
			if pairs[i+1] == "" {
				v.Del(pairs[i])
			} else {
				v.Set(pairs[i], pairs[i+1])
			}
		}
		return v
	}
	twice := ok("attribute[feeling][]", "1")
	twice.Add("attribute[feeling][]", "2")
	tests := []struct {
		name   string
		form   url.Values
		status int
		want   string // in the description
	}{
		{"no api_key", ok("api_key", ""), 403, "api_key"},
		{"bad api_key", ok("api_key", "o311_wrong"), 403, "api_key"},
		{"revoked api_key", ok("api_key", revoked), 403, "api_key"},
		{"no service_code", ok("service_code", ""), 400, "service_code"},
		{"unknown service_code", ok("service_code", "FEL.NOPE"), 400, "service_code"},
		{"group service_code", ok("service_code", "OTR.SOC"), 400, "service_code"},
		{"no location", ok("lat", "", "long", ""), 400, "lat"},
		{"address only", ok("lat", "", "long", "", "address_string", "Kungsgatan 5"), 400, "address_string"},
		{"lat out of range", ok("lat", "95"), 400, "lat"},
		{"point outside Sweden", ok("lat", "52.52", "long", "13.40"), 400, "municipality"},
		{"unknown jurisdiction", ok("jurisdiction_id", "9999"), 404, "jurisdiction_id"},
		{"point outside jurisdiction", ok("jurisdiction_id", "1781", "lat", o311FilipLat, "long", o311FilipLong), 400, "Filipstad"},
		{"feeling out of list", ok("attribute[feeling]", "9"), 400, "attribute[feeling]"},
		{"feeling twice", twice, 400, "attribute[feeling]"},
		{"unknown attribute", ok("attribute[colour]", "red"), 400, "colour"},
		{"time of day not in list", ok("attribute[time_of_day]", "noon"), 400, "time_of_day"},
		{"feeling on felanmälan", ok("service_code", "FEL.LIGHT", "attribute[feeling]", "2"), 400, "feeling"},
		{"description too long", ok("description", strings.Repeat("å", 1001)), 413, "larger"},
	}
	for _, tt := range tests {
		for _, f := range o311Formats {
			w := ts.o311Post(f, tt.form)
			if w.Code != tt.status {
				t.Errorf("%s.%s: %d, want %d: %s", tt.name, f, w.Code, tt.status, w.Body)
				continue
			}
			if e := open311Error(t, f, w); !strings.Contains(e.Description, tt.want) {
				t.Errorf("%s.%s: description %q lacks %q", tt.name, f, e.Description, tt.want)
			}
		}
	}
	if n := ts.count("reports"); n != 0 {
		t.Errorf("refused POSTs stored %d reports", n)
	}
	// The valid form itself passes, with its attributes stored.
	w := ts.o311Post("json", ok("attribute[feeling]", "2", "attribute[time_of_day]", "evening"))
	o311Created(t, "json", w)
	var feeling int
	var tod string
	if err := ts.db.Pool.QueryRow(context.Background(), `SELECT feeling, time_of_day FROM reports`).Scan(&feeling, &tod); err != nil || feeling != 2 || tod != "evening" {
		t.Errorf("attributes stored as %d %q (%v)", feeling, tod, err)
	}
}

func TestOpen311KeySetting(t *testing.T) {
	t.Parallel()
	ts := newOpen311Server(t, map[string]string{"TRYGG_OPEN311_KEY_REQUIRED": "false"})
	v := o311Form("service_code", "FEL.ROAD", "lat", o311KhamnLat, "long", o311KhamnLong)
	o311Created(t, "xml", ts.o311Post("xml", v))
	v.Set("api_key", "o311_wrong")
	if w := ts.o311Post("json", v); w.Code != 403 {
		t.Errorf("a wrong key is refused even when keys are optional: %d", w.Code)
	}
}

func TestOpen311Retry(t *testing.T) {
	t.Parallel()
	ts := newOpen311Server(t, nil)
	key := ts.o311Key("app")
	v := o311Form("api_key", key, "service_code", "FEL.ROAD", "lat", o311KhamnLat, "long", o311KhamnLong,
		"device_id", "phone-1", "description", "Potthål")
	first := o311Created(t, "json", ts.o311Post("json", v))
	again := o311Created(t, "xml", ts.o311Post("xml", v))
	if again.ServiceRequestID != first.ServiceRequestID || again.Token != first.Token {
		t.Errorf("retry got %s, first %s", again.ServiceRequestID, first.ServiceRequestID)
	}
	if n := ts.count("reports"); n != 1 {
		t.Fatalf("retry created a second report: %d", n)
	}
	v.Set("description", "Ett till potthål")
	if other := o311Created(t, "json", ts.o311Post("json", v)); other.ServiceRequestID == first.ServiceRequestID {
		t.Error("a different submission was taken for a retry")
	}
	// Outside the window the same submission is a new report.
	ts.o311Exec(`UPDATE open311_submissions SET created_at = now() - interval '11 minutes'`)
	v.Set("description", "Potthål")
	o311Created(t, "json", ts.o311Post("json", v))
	// Without a device id, identical submissions may come from different residents.
	v.Del("device_id")
	o311Created(t, "json", ts.o311Post("json", v))
	o311Created(t, "json", ts.o311Post("json", v))
	if n := ts.count("reports"); n != 5 {
		t.Errorf("%d reports, want 5", n)
	}
}

func TestOpen311RateAndBodyLimits(t *testing.T) {
	t.Parallel()
	ts := newOpen311Server(t, map[string]string{"TRYGG_RATE_LIMIT": "0.001", "TRYGG_RATE_BURST": "1"})
	key := ts.o311Key("app")
	v := o311Form("api_key", key, "service_code", "FEL.ROAD", "lat", o311KhamnLat, "long", o311KhamnLong)
	o311Created(t, "json", ts.o311Post("json", v))
	w := ts.o311Post("xml", v)
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
		t.Fatalf("second POST: %d", w.Code)
	}
	open311Error(t, "xml", w)
}

// TestOpen311RetryRace sends one submission from one device several times at
// once, as a client with an impatient retry loop does: one report results.
func TestOpen311RetryRace(t *testing.T) {
	t.Parallel()
	ts := newOpen311Server(t, nil)
	key := ts.o311Key("app")
	v := o311Form("api_key", key, "service_code", "FEL.PATH", "lat", o311KhamnLat, "long", o311KhamnLong, "device_id", "phone-race")
	refs := make(chan string, 6)
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := ts.o311Post("json", v)
			if w.Code != http.StatusCreated {
				t.Errorf("%d %s", w.Code, w.Body)
				refs <- ""
				return
			}
			refs <- w.Body.String()[:40]
		}()
	}
	wg.Wait()
	close(refs)
	seen := map[string]bool{}
	for r := range refs {
		seen[r] = true
	}
	if n := ts.count("reports"); n != 1 || len(seen) != 1 {
		t.Errorf("%d reports, %d different answers; want 1 and 1", n, len(seen))
	}
}

// TestOpen311Multipart accepts the multipart form some clients send when they
// attach media; the file part is ignored.
func TestOpen311Multipart(t *testing.T) {
	t.Parallel()
	ts := newOpen311Server(t, nil)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, val := range map[string]string{"api_key": ts.o311Key("app"), "service_code": "FEL.PARK",
		"lat": o311KhamnLat, "long": o311KhamnLong, "description": "Trasig bänk"} {
		_ = mw.WriteField(k, val)
	}
	fw, _ := mw.CreateFormFile("media", "x.jpg")
	_, _ = fw.Write([]byte("not really a jpeg"))
	_ = mw.Close()
	w := ts.do(http.MethodPost, "/open311/v2/requests.xml", body.Bytes(), "Content-Type", mw.FormDataContentType())
	o311Created(t, "xml", w)
	if n := ts.count("reports"); n != 1 {
		t.Errorf("%d reports", n)
	}
}
