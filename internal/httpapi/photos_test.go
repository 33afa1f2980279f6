package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/jpeg"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/report"
)

// uploadPhoto posts data as the report's photo with its follow-up token.
func (ts *testServer) uploadPhoto(rc report.Receipt, data []byte) *httptest.ResponseRecorder {
	ts.t.Helper()
	body, ct := multipartPhoto(ts.t, "photo", "photo.jpg", data)
	return ts.do(http.MethodPost, "/v1/reports/"+rc.ID.String()+"/photos", body,
		"Content-Type", ct, "X-Follow-Up-Token", rc.FollowUpToken)
}

// solidPNG is a small picture of one colour; distinct shades give distinct photos.
func solidPNG(t testing.TB, shade uint8) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 16, 12))
	for i := range img.Pix {
		img.Pix[i] = shade
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func (ts *testServer) publish(id string) {
	ts.t.Helper()
	if _, err := ts.db.Pool.Exec(context.Background(), `UPDATE reports SET visibility = 'published' WHERE id = $1`, id); err != nil {
		ts.t.Fatal(err)
	}
}

// TestPhotoEXIFStrippedEndToEnd uploads a phone JPEG carrying GPS EXIF and reads
// the stored bytes back through the API: upright, 480 wide, no metadata.
func TestPhotoEXIFStrippedEndToEnd(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	rc := ts.postReport("photo-exif-key-01", felanmalan(nil))
	in := readPhotoTestdata(t, "streetlight_gps.jpg")
	if !bytes.Contains(in, []byte("Exif\x00")) || !bytes.Contains(in, []byte("TestCam")) {
		t.Fatal("test photo lacks the EXIF it is meant to carry")
	}
	w := ts.uploadPhoto(rc, in)
	if w.Code != http.StatusCreated {
		t.Fatalf("upload %d %s", w.Code, w.Body)
	}
	ref := decode[report.PhotoRef](t, w)
	if ref.ContentType != "image/jpeg" || ref.Width != 480 || ref.Height != 640 {
		t.Errorf("photo %+v, want image/jpeg 480×640", ref)
	}
	if want := "/v1/reports/" + rc.ID.String() + "/photos/" + ref.ID.String(); ref.URL != want || w.Header().Get("Location") != want {
		t.Errorf("url %q, Location %q, want %q", ref.URL, w.Header().Get("Location"), want)
	}
	if n := ts.count("report_events WHERE type = 'photo'"); n != 1 {
		t.Errorf("%d photo events, want 1", n)
	}

	staff := ts.token(auth.Caseworker, "1781")
	g := ts.do(http.MethodGet, ref.URL, nil, "Authorization", "Bearer "+staff)
	if g.Code != 200 {
		t.Fatalf("GET %d %s", g.Code, g.Body)
	}
	out := g.Body.Bytes()
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(out))
	if err != nil || cfg.Width != 480 || cfg.Height != 640 {
		t.Errorf("stored bytes decode as %d×%d (%v), want 480×640", cfg.Width, cfg.Height, err)
	}
	for _, s := range []string{"Exif\x00", "TestCam", "Phone-1", "GPS"} {
		if bytes.Contains(out, []byte(s)) {
			t.Errorf("stored photo contains %q", s)
		}
	}
	sum := sha256.Sum256(out)
	headers := map[string]string{
		"Content-Type":           "image/jpeg",
		"ETag":                   `"` + hex.EncodeToString(sum[:]) + `"`,
		"X-Content-Type-Options": "nosniff",
		"Cache-Control":          "private, no-cache",
	}
	for h, want := range headers {
		if got := g.Header().Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	// A revalidation with the ETag gets 304 and no body.
	nm := ts.do(http.MethodGet, ref.URL, nil, "Authorization", "Bearer "+staff, "If-None-Match", headers["ETag"])
	if nm.Code != http.StatusNotModified || nm.Body.Len() != 0 {
		t.Errorf("If-None-Match: %d with %d bytes, want 304 and none", nm.Code, nm.Body.Len())
	}
}

// TestPhotoVisibility is who may read an unpublished report's photo, and that
// publishing opens it to everyone.
func TestPhotoVisibility(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	rc := ts.postReport("photo-vis-key-001", felanmalan(nil))
	w := ts.uploadPhoto(rc, solidPNG(t, 40))
	if w.Code != http.StatusCreated {
		t.Fatalf("upload %d %s", w.Code, w.Body)
	}
	ref := decode[report.PhotoRef](t, w)
	other := ts.postReport("photo-vis-key-002", felanmalan(nil))
	bearer := func(role auth.Role, munis ...string) []string {
		return []string{"Authorization", "Bearer " + ts.token(role, munis...)}
	}
	cases := []struct {
		name    string
		path    string
		headers []string
		status  int
	}{
		{"public, unpublished", ref.URL, nil, 404},
		{"caseworker in scope", ref.URL, bearer(auth.Caseworker, "1781"), 200},
		{"police in scope", ref.URL, bearer(auth.Police, "1782", "1781"), 200},
		{"caseworker of another municipality", ref.URL, bearer(auth.Caseworker, "1782"), 404},
		{"analyst may not read reports", ref.URL, bearer(auth.Analyst, "1781"), 404},
		{"unknown token", ref.URL, []string{"Authorization", "Bearer trg_nonsense"}, 401},
		{"not a bearer token", ref.URL, []string{"Authorization", "Basic a2ltOmtpbQ=="}, 401},
		{"photo of another report", "/v1/reports/" + other.ID.String() + "/photos/" + ref.ID.String(), bearer(auth.Caseworker, "1781"), 404},
		{"malformed photo id", "/v1/reports/" + rc.ID.String() + "/photos/1", bearer(auth.Caseworker, "1781"), 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := ts.do(http.MethodGet, tc.path, nil, tc.headers...)
			if g.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", g.Code, tc.status, g.Body)
			}
			if g.Code == 200 && g.Header().Get("Content-Type") != "image/png" {
				t.Errorf("Content-Type %q", g.Header().Get("Content-Type"))
			}
		})
	}

	ts.publish(rc.ID.String())
	g := ts.do(http.MethodGet, ref.URL, nil)
	if g.Code != 200 || g.Header().Get("Content-Type") != "image/png" {
		t.Fatalf("published, public: %d %s", g.Code, g.Header().Get("Content-Type"))
	}
	if cc := g.Header().Get("Cache-Control"); !strings.HasPrefix(cc, "public") {
		t.Errorf("published photo Cache-Control %q, want public", cc)
	}
	if _, err := png.Decode(bytes.NewReader(g.Body.Bytes())); err != nil {
		t.Errorf("served bytes are not a PNG: %v", err)
	}
}

// TestPhotoLimitAndRetry: five photos, the sixth is refused; the same picture
// sent again (a retry) returns the stored photo and writes nothing.
func TestPhotoLimitAndRetry(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	rc := ts.postReport("photo-max-key-001", felanmalan(nil))
	var first report.PhotoRef
	for i := range report.MaxPhotos {
		w := ts.uploadPhoto(rc, solidPNG(t, uint8(10*i)))
		if w.Code != http.StatusCreated {
			t.Fatalf("photo %d: %d %s", i, w.Code, w.Body)
		}
		if i == 0 {
			first = decode[report.PhotoRef](t, w)
		}
	}
	before := ts.counts()
	w := ts.uploadPhoto(rc, solidPNG(t, 200))
	if w.Code != http.StatusConflict || errorCode(t, w) != "conflict" {
		t.Errorf("sixth photo: %d %s, want 409 conflict", w.Code, w.Body)
	}
	again := ts.uploadPhoto(rc, solidPNG(t, 0))
	if again.Code != http.StatusOK {
		t.Fatalf("retry of the first photo: %d %s, want 200", again.Code, again.Body)
	}
	if got := decode[report.PhotoRef](t, again); got.ID != first.ID {
		t.Errorf("retry returned photo %s, want the stored %s", got.ID, first.ID)
	}
	if after := ts.counts(); after["photos"] != before["photos"] || after["report_events"] != before["report_events"] {
		t.Errorf("rows changed: %v → %v", before, after)
	}
}

// TestPhotoRaceForTheLastSlot: concurrent uploads of different pictures never
// push a report past MaxPhotos.
func TestPhotoRaceForTheLastSlot(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	rc := ts.postReport("photo-race-key-01", felanmalan(nil))
	const n = 12
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		body, ct := multipartPhoto(t, "photo", "p.png", solidPNG(t, uint8(20*i)))
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = ts.do(http.MethodPost, "/v1/reports/"+rc.ID.String()+"/photos", body,
				"Content-Type", ct, "X-Follow-Up-Token", rc.FollowUpToken).Code
		}()
	}
	wg.Wait()
	created, refused := 0, 0
	for _, c := range codes {
		switch c {
		case http.StatusCreated:
			created++
		case http.StatusConflict:
			refused++
		default:
			t.Errorf("unexpected status %d", c)
		}
	}
	if created != report.MaxPhotos || refused != n-report.MaxPhotos {
		t.Errorf("%d created, %d refused; want %d and %d", created, refused, report.MaxPhotos, n-report.MaxPhotos)
	}
	if got := ts.count("photos"); got != report.MaxPhotos {
		t.Errorf("%d photos stored, want %d", got, report.MaxPhotos)
	}
}

// seedPhoto stores a small photo on a report straight in the database.
func (ts *testServer) seedPhoto(reportID uuid.UUID) uuid.UUID {
	ts.t.Helper()
	data := solidPNG(ts.t, 99)
	sum := sha256.Sum256(data)
	id := uuid.New()
	if _, err := ts.db.Pool.Exec(context.Background(), `
INSERT INTO photos (id, report_id, content_type, width, height, sha256, bytes) VALUES ($1, $2, 'image/png', 16, 12, $3, $4)`,
		id, reportID, sum[:], data); err != nil {
		ts.t.Fatal(err)
	}
	return id
}
