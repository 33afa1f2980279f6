package httpapi

import (
	"bytes"
	"context"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/report"
)

// A photo taken on the walk is attached to the observation: it goes through
// the same cleaning as a resident's photo, lands on the observation's report
// (source=walk) and shows in the walk's protocol.
func TestWalkObservationPhoto(t *testing.T) {
	ts := newTestServer(t, map[string]string{"TRYGG_PHOTO_LIMIT_BYTES": "200000"})
	planner := ts.token(auth.Planner, "1781")
	w := ts.do(http.MethodPost, "/v1/walks", map[string]any{"municipality": "1781", "title": "Kvällsvandring centrum",
		"starts_at": "2026-11-19T18:00:00+01:00"}, bearer(planner)...)
	if w.Code != http.StatusCreated {
		t.Fatalf("walk %d %s", w.Code, w.Body)
	}
	base := "/v1/walks/" + decode[walkBody](t, w).ID
	w = ts.do(http.MethodPost, base+"/observations", map[string]any{
		"point": map[string]float64{"lat": 59.3096, "lon": 14.1086}, "rating": "otrygg", "category": "OTR.PLACE.LIGHT",
		"factors": []string{"lighting"}, "note": "Mörk passage", "observed_at": "2026-11-19T18:30:00+01:00",
	}, bearer(planner)...)
	if w.Code != http.StatusCreated {
		t.Fatalf("observation %d %s", w.Code, w.Body)
	}
	obs := decode[struct {
		ID       uuid.UUID `json:"id"`
		ReportID uuid.UUID `json:"report_id"`
	}](t, w)
	upload := func(path string, data []byte, tok string) *httptest.ResponseRecorder {
		body, ct := multipartPhoto(t, "photo", "walk.jpg", data)
		return ts.do(http.MethodPost, path, body, append(bearer(tok), "Content-Type", ct)...)
	}
	path := base + "/observations/" + obs.ID.String() + "/photos"
	in := readPhotoTestdata(t, "streetlight_gps.jpg")

	// Refusals change nothing.
	before := ts.counts()
	for _, c := range []struct {
		name string
		path string
		data []byte
		tok  string
		want int
	}{
		{"not an image", path, readPhotoTestdata(t, "not_an_image.jpg"), planner, http.StatusUnsupportedMediaType},
		{"too large", path, bytes.Repeat([]byte{0xff}, 300000), planner, http.StatusRequestEntityTooLarge},
		{"unknown observation", base + "/observations/" + uuid.NewString() + "/photos", in, planner, http.StatusNotFound},
		{"other municipality", path, in, ts.token(auth.Planner, "1782"), http.StatusNotFound},
		{"analyst", path, in, ts.token(auth.Analyst, "1781"), http.StatusForbidden},
		{"no token", path, in, "", http.StatusUnauthorized},
	} {
		if w := upload(c.path, c.data, c.tok); w.Code != c.want {
			t.Errorf("%s: %d %s, want %d", c.name, w.Code, w.Body, c.want)
		}
	}
	if after := ts.counts(); !mapsEqual(before, after) {
		t.Errorf("refused uploads wrote: %v → %v", before, after)
	}

	w = upload(path, in, planner)
	if w.Code != http.StatusCreated {
		t.Fatalf("upload %d %s", w.Code, w.Body)
	}
	ref := decode[report.PhotoRef](t, w)
	if ref.Width != 480 || ref.Height != 640 || ref.URL != "/v1/reports/"+obs.ReportID.String()+"/photos/"+ref.ID.String() {
		t.Errorf("photo %+v", ref)
	}
	if again := upload(path, in, planner); again.Code != http.StatusOK || decode[report.PhotoRef](t, again).ID != ref.ID {
		t.Errorf("same picture again: %d %s", again.Code, again.Body)
	}
	// The planner reads it back, cleaned; the public does not while the report is pending.
	g := ts.do(http.MethodGet, ref.URL, nil, bearer(planner)...)
	if g.Code != 200 {
		t.Fatalf("planner reads the photo: %d", g.Code)
	}
	if cfg, err := jpeg.DecodeConfig(bytes.NewReader(g.Body.Bytes())); err != nil || cfg.Width != 480 {
		t.Errorf("stored photo %v %v", cfg, err)
	}
	for _, s := range []string{"Exif\x00", "TestCam", "GPS"} {
		if bytes.Contains(g.Body.Bytes(), []byte(s)) {
			t.Errorf("stored walk photo contains %q", s)
		}
	}
	if w := ts.do(http.MethodGet, ref.URL, nil); w.Code != http.StatusNotFound {
		t.Errorf("public read of a pending walk report's photo: %d", w.Code)
	}
	if w := ts.do(http.MethodGet, ref.URL, nil, bearer(ts.token(auth.Planner, "1782"))...); w.Code != http.StatusNotFound {
		t.Errorf("another municipality's planner reads the photo: %d", w.Code)
	}
	// The report's history has the photo, as a new version, by the planner.
	var actor string
	var version int
	if err := ts.db.Pool.QueryRow(context.Background(), `
SELECT e.actor, r.version FROM report_events e JOIN reports r ON r.id = e.report_id
WHERE e.report_id = $1 AND e.type = 'photo' AND (e.data ->> 'version')::int = r.version`, obs.ReportID).Scan(&actor, &version); err != nil || actor == "" || version != 2 {
		t.Errorf("photo event by %q at version %d (%v)", actor, version, err)
	}
	// The protocol lists the photo with the observation.
	w = ts.do(http.MethodGet, base+"/report", nil, bearer(planner)...)
	proto := decode[struct {
		Observations []struct {
			Photos []report.PhotoRef `json:"photos"`
		} `json:"observations"`
	}](t, w)
	if w.Code != 200 || len(proto.Observations) != 1 || len(proto.Observations[0].Photos) != 1 || proto.Observations[0].Photos[0].URL != ref.URL {
		t.Errorf("protocol %d %s", w.Code, w.Body)
	}
	if !strings.Contains(w.Body.String(), ref.ID.String()) {
		t.Errorf("protocol does not name the photo")
	}
}
