package httpapi

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/report"
)

// confirmWithPhoto posts a multipart confirmation: fields are name/value
// pairs, photo (when not nil) the image in the field "photo".
func (ts *testServer) confirmWithPhoto(id uuid.UUID, key, device string, photo []byte, fields ...string) *httptest.ResponseRecorder {
	ts.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(fields); i += 2 {
		if err := mw.WriteField(fields[i], fields[i+1]); err != nil {
			ts.t.Fatal(err)
		}
	}
	if photo != nil {
		fw, err := mw.CreateFormFile("photo", "me-too.jpg")
		if err != nil {
			ts.t.Fatal(err)
		}
		fw.Write(photo)
	}
	if err := mw.Close(); err != nil {
		ts.t.Fatal(err)
	}
	return ts.do(http.MethodPost, confirmPath(id), buf.Bytes(),
		"Content-Type", mw.FormDataContentType(), "Idempotency-Key", key, "X-Device-Id", device)
}

// staffView is GET /v1/staff/reports/{id} as the tests read it.
type staffView struct {
	report.Detail
	Duplicates duplicateSuggestions `json:"duplicates"`
}

func (ts *testServer) staffView(tok string, id uuid.UUID) (staffView, string) {
	ts.t.Helper()
	w := ts.do(http.MethodGet, "/v1/staff/reports/"+id.String(), nil, bearer(tok)...)
	if w.Code != http.StatusOK {
		ts.t.Fatalf("staff view of %s: %d %s", id, w.Code, w.Body)
	}
	return decode[staffView](ts.t, w), w.Header().Get("ETag")
}

func (ts *testServer) followView(id uuid.UUID, token string) (report.FollowUpView, int) {
	ts.t.Helper()
	w := ts.do(http.MethodGet, "/v1/reports/"+id.String(), nil, "X-Follow-Up-Token", token)
	if w.Code != http.StatusOK {
		return report.FollowUpView{}, w.Code
	}
	return decode[report.FollowUpView](ts.t, w), w.Code
}

func photoIDs(ps []report.PhotoRef) []uuid.UUID {
	out := []uuid.UUID{}
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

// The staff report view carries the scored duplicate suggestions: the
// constructed cases of the issue, read where a caseworker reads them.
func TestStaffViewCarriesScoredDuplicates(t *testing.T) {
	ts := newTestServer(t, nil)
	day := ts.now.Add(-72 * time.Hour)
	target, _ := ts.dupSeed(dupReport{observed: day, description: "Gatlampan lyser inte", visibility: report.Pending})
	sameLamp, _ := ts.dupSeed(dupReport{east: 3, north: 4, observed: day.Add(24 * time.Hour), description: "Lampan lyser inte"})
	otherCat, _ := ts.dupSeed(dupReport{category: "FEL.ROAD", east: 3, north: 4, observed: day.Add(24 * time.Hour)})
	far, _ := ts.dupSeed(dupReport{north: 200, observed: day.Add(24 * time.Hour)})
	tok := ts.token(auth.Caseworker, "1781")

	v, _ := ts.staffView(tok, target)
	if v.Duplicates.RadiusM != 30 || v.Duplicates.SearchRadiusM != 60 || v.Duplicates.WindowDays != 30 {
		t.Errorf("search %+v", v.Duplicates)
	}
	score := map[uuid.UUID]report.DuplicateCandidate{}
	for _, c := range v.Duplicates.Candidates {
		score[c.ID] = c
	}
	if c, ok := score[sameLamp]; !ok || c.Score < 0.7 || c.CategoryMatch != "same" || c.DistanceM != 5 || c.DaysApart != 1 {
		t.Errorf("same lamp 5 m apart next day: %+v (present %v), want a high score", c, ok)
	}
	if c, ok := score[otherCat]; !ok || c.Score > 0.2 || c.CategoryMatch != "other" {
		t.Errorf("another category at the same place: %+v (present %v), want a low score", c, ok)
	}
	if c, ok := score[far]; ok {
		t.Errorf("a lamp 200 m away was suggested: %+v", c)
	}
	if len(v.Duplicates.Candidates) != 2 || v.Duplicates.Candidates[0].ID != sameLamp {
		t.Errorf("candidates %+v, want the same lamp first and the pothole", v.Duplicates.Candidates)
	}
	// Showing a suggestion's text is a read of it, and audited as one.
	var audited int
	if err := ts.db.Pool.QueryRow(context.Background(), `
SELECT count(*) FROM audit_log WHERE report_id = $1 AND detail ->> 'suggested_for' = $2`, sameLamp, target.String()).Scan(&audited); err != nil || audited != 1 {
		t.Errorf("%d audit entries for the suggested text (%v), want 1", audited, err)
	}
	// It agrees with the separate suggestions route.
	w := ts.do(http.MethodGet, "/v1/staff/reports/"+target.String()+"/duplicates", nil, bearer(tok)...)
	if sep := decode[duplicatesBody](t, w); len(sep.Candidates) != 2 || sep.Candidates[0].Score != v.Duplicates.Candidates[0].Score {
		t.Errorf("suggestions route %+v differs from the view", sep.Candidates)
	}
	// Once merged, a report suggests nothing: it can only be un-merged.
	if w := ts.do(http.MethodPost, "/v1/staff/reports/"+sameLamp.String()+"/merge", map[string]any{"into": target}, bearer(tok)...); w.Code != 200 {
		t.Fatalf("merge %d %s", w.Code, w.Body)
	}
	if v, _ := ts.staffView(tok, sameLamp); len(v.Duplicates.Candidates) != 0 {
		t.Errorf("a merged report suggests %+v", v.Duplicates.Candidates)
	}
	// The kept report no longer lists what was merged into it.
	if v, _ := ts.staffView(tok, target); len(v.Duplicates.Candidates) != 1 || v.Duplicates.Candidates[0].ID != otherCat {
		t.Errorf("after the merge the kept report suggests %+v", v.Duplicates.Candidates)
	}
}

// A merge moves confirmations, photos and followers to the kept report and
// keeps the duplicate readable; its followers see the kept report's progress.
// An un-merge takes everything back.
func TestMergeMovesPhotosAndFollowers(t *testing.T) {
	ts := newTestServer(t, nil)
	kept := ts.postReport("merge-followers-kept", felanmalan(nil))
	dup := ts.postReport("merge-followers-dup", felanmalan(map[string]any{"description": "Lampan är trasig igen"}))
	ts.publish(kept.ID.String())
	ts.publish(dup.ID.String())
	if w := ts.uploadPhoto(dup, solidPNG(t, 40)); w.Code != http.StatusCreated {
		t.Fatalf("photo %d %s", w.Code, w.Body)
	}
	w := ts.confirmWithPhoto(dup.ID, "merge-followers-conf", "phone-c", solidPNG(t, 80))
	if w.Code != http.StatusCreated {
		t.Fatalf("confirm %d %s", w.Code, w.Body)
	}
	conf := decode[report.Confirmation](t, w)
	if conf.FollowUpToken == "" || conf.Photo == nil {
		t.Fatalf("confirmation %+v lacks a token or photo", conf)
	}
	ts.confirmAs(kept.ID, "phone-k")
	cw := ts.token(auth.Caseworker, "1781")
	before, _ := ts.staffView(cw, dup.ID)
	dupPhotos := photoIDs(before.Photos)
	if len(dupPhotos) != 2 {
		t.Fatalf("duplicate has photos %v before the merge", dupPhotos)
	}

	if w := ts.do(http.MethodPost, "/v1/staff/reports/"+dup.ID.String()+"/merge", map[string]any{"into": kept.ID}, bearer(cw)...); w.Code != 200 {
		t.Fatalf("merge %d %s", w.Code, w.Body)
	}
	k, _ := ts.staffView(cw, kept.ID)
	d, _ := ts.staffView(cw, dup.ID)
	if k.Confirmations != 2 || d.Confirmations != 0 {
		t.Errorf("confirmations kept %d, duplicate %d; want 2 and 0", k.Confirmations, d.Confirmations)
	}
	if got := photoIDs(k.Photos); !slices.Equal(got, dupPhotos) {
		t.Errorf("kept report's photos %v, want the duplicate's %v", got, dupPhotos)
	}
	for _, p := range k.Photos {
		if !slices.Equal(p.MergedFrom, []uuid.UUID{dup.ID}) {
			t.Errorf("photo %s merged_from %v", p.ID, p.MergedFrom)
		}
	}
	if len(d.Photos) != 0 || d.Status != report.Duplicate || d.DuplicateOf == nil || *d.DuplicateOf != kept.ID {
		t.Errorf("duplicate after merge: status %s duplicate_of %v photos %d", d.Status, d.DuplicateOf, len(d.Photos))
	}
	// The photo's old URL still works.
	if w := ts.do(http.MethodGet, "/v1/reports/"+dup.ID.String()+"/photos/"+dupPhotos[0].String(), nil, bearer(cw)...); w.Code != 200 {
		t.Errorf("old photo URL after merge: %d", w.Code)
	}

	// The duplicate's reporter sees it merged and follows the kept report.
	v, code := ts.followView(dup.ID, dup.FollowUpToken)
	if code != 200 || v.Status != report.Duplicate || v.Kept == nil || v.Kept.ID != kept.ID || v.Kept.Status != report.Received {
		t.Fatalf("duplicate's follow-up view: %d %+v", code, v)
	}
	w = ts.do(http.MethodPatch, "/v1/staff/reports/"+kept.ID.String(), map[string]any{"status": "triaged"},
		append(bearer(cw), "If-Match", reportETag(k.Version))...)
	if w.Code != 200 {
		t.Fatalf("triage kept %d %s", w.Code, w.Body)
	}
	v, _ = ts.followView(dup.ID, dup.FollowUpToken)
	if v.Kept == nil || v.Kept.Status != report.Triaged || !slices.ContainsFunc(v.Kept.History, func(e report.Event) bool {
		return e.Type == report.EventStatus && e.ToStatus == report.Triaged
	}) {
		t.Errorf("duplicate's follower does not see the kept report triaged: %+v", v.Kept)
	}
	for _, f := range []struct {
		name  string
		id    uuid.UUID
		token string
	}{
		{"duplicate's reporter on the kept report", kept.ID, dup.FollowUpToken},
		{"confirmer on the kept report", kept.ID, conf.FollowUpToken},
		{"confirmer on the duplicate", dup.ID, conf.FollowUpToken},
	} {
		if v, code := ts.followView(f.id, f.token); code != 200 || v.Status != report.Triaged && f.id == kept.ID {
			t.Errorf("%s: %d %s", f.name, code, v.Status)
		}
	}
	if _, code := ts.followView(dup.ID, kept.FollowUpToken); code != http.StatusNotFound {
		t.Errorf("the kept report's token opens the duplicate: %d", code)
	}

	// Un-merge: everything goes back.
	if w := ts.do(http.MethodPost, "/v1/staff/reports/"+dup.ID.String()+"/unmerge", nil, bearer(cw)...); w.Code != 200 {
		t.Fatalf("unmerge %d %s", w.Code, w.Body)
	}
	k, _ = ts.staffView(cw, kept.ID)
	d, _ = ts.staffView(cw, dup.ID)
	if k.Confirmations != 1 || d.Confirmations != 1 || len(k.Photos) != 0 || !slices.Equal(photoIDs(d.Photos), dupPhotos) {
		t.Errorf("after unmerge: kept %d confirmations %d photos, duplicate %d confirmations %v photos",
			k.Confirmations, len(k.Photos), d.Confirmations, photoIDs(d.Photos))
	}
	for _, p := range d.Photos {
		if len(p.MergedFrom) != 0 {
			t.Errorf("photo %s still merged_from %v", p.ID, p.MergedFrom)
		}
	}
	if v, code := ts.followView(dup.ID, dup.FollowUpToken); code != 200 || v.Kept != nil || v.Status != report.Received {
		t.Errorf("duplicate's view after unmerge: %d %+v", code, v)
	}
	if _, code := ts.followView(kept.ID, dup.FollowUpToken); code != http.StatusNotFound {
		t.Errorf("after unmerge the duplicate's token still opens the kept report: %d", code)
	}
	if _, code := ts.followView(kept.ID, conf.FollowUpToken); code != http.StatusNotFound {
		t.Errorf("after unmerge the confirmer's token still opens the kept report: %d", code)
	}
	if _, code := ts.followView(dup.ID, conf.FollowUpToken); code != 200 {
		t.Errorf("after unmerge the confirmer cannot follow the report confirmed: %d", code)
	}
}

// A confirmation's photo is cleaned like any photo, visible to staff at once
// and public only once staff publish it.
func TestConfirmationPhotoModeration(t *testing.T) {
	ts := newTestServer(t, nil)
	id, _ := ts.dupSeed(dupReport{category: "OTR.PLACE.LIGHT"})
	in := readPhotoTestdata(t, "streetlight_gps.jpg")
	w := ts.confirmWithPhoto(id, "conf-photo-key-1", "phone-p", in, "feeling", "2")
	if w.Code != http.StatusCreated {
		t.Fatalf("confirm %d %s", w.Code, w.Body)
	}
	conf := decode[report.Confirmation](t, w)
	if conf.Photo == nil || conf.Photo.Visibility != report.Pending || conf.Photo.Width != 480 || conf.Photo.Height != 640 || conf.Feeling != 2 {
		t.Fatalf("confirmation %+v photo %+v", conf, conf.Photo)
	}
	// A retry under the same key is the same answer and stores nothing new.
	if again := ts.confirmWithPhoto(id, "conf-photo-key-1", "phone-p", in, "feeling", "2"); again.Code != http.StatusCreated ||
		decode[report.Confirmation](t, again).Photo.ID != conf.Photo.ID {
		t.Fatalf("retry %d %s", again.Code, again.Body)
	}
	// The same device under another key gets its first confirmation, photo included.
	if again := ts.confirmWithPhoto(id, "conf-photo-key-2", "phone-p", nil); again.Code != http.StatusOK ||
		decode[report.Confirmation](t, again).Photo == nil {
		t.Fatalf("second confirmation of the device %d %s", again.Code, again.Body)
	}
	if n := ts.count("photos"); n != 1 {
		t.Fatalf("%d photos stored, want 1", n)
	}
	url := conf.Photo.URL
	if w := ts.do(http.MethodGet, url, nil); w.Code != http.StatusNotFound {
		t.Errorf("public read of a pending confirmation photo: %d", w.Code)
	}
	cw := ts.token(auth.Caseworker, "1781")
	g := ts.do(http.MethodGet, url, nil, bearer(cw)...)
	if g.Code != 200 {
		t.Fatalf("staff read %d", g.Code)
	}
	for _, s := range []string{"Exif\x00", "TestCam", "GPS"} {
		if bytes.Contains(g.Body.Bytes(), []byte(s)) {
			t.Errorf("stored confirmation photo contains %q", s)
		}
	}
	v, etag := ts.staffView(cw, id)
	if len(v.Photos) != 1 || v.Photos[0].ConfirmationID == nil || *v.Photos[0].ConfirmationID != conf.ID || v.Photos[0].Visibility != report.Pending {
		t.Fatalf("staff view photos %+v", v.Photos)
	}
	path := "/v1/staff/reports/" + id.String() + "/photos/" + conf.Photo.ID.String()
	for _, bad := range []struct {
		body    any
		headers []string
		want    int
	}{
		{map[string]any{"visibility": "shown"}, nil, http.StatusBadRequest},
		{map[string]any{}, nil, http.StatusBadRequest},
		{map[string]any{"visibility": "published"}, []string{"If-Match", `"1"`}, http.StatusPreconditionFailed},
	} {
		if w := ts.do(http.MethodPatch, path, bad.body, append(bearer(cw), bad.headers...)...); w.Code != bad.want {
			t.Errorf("%v %v: %d %s, want %d", bad.body, bad.headers, w.Code, w.Body, bad.want)
		}
	}
	if w := ts.do(http.MethodPatch, "/v1/staff/reports/"+id.String()+"/photos/"+uuid.NewString(), map[string]any{"visibility": "published"}, bearer(cw)...); w.Code != http.StatusNotFound {
		t.Errorf("unknown photo: %d", w.Code)
	}
	if w := ts.do(http.MethodPatch, path, map[string]any{"visibility": "published"}, bearer(ts.token(auth.Police, "1781"))...); w.Code != http.StatusForbidden {
		t.Errorf("police moderates a photo: %d", w.Code)
	}
	if w := ts.do(http.MethodGet, url, nil); w.Code != http.StatusNotFound {
		t.Errorf("refused changes published the photo: %d", w.Code)
	}
	w = ts.do(http.MethodPatch, path, map[string]any{"visibility": "published"}, append(bearer(cw), "If-Match", etag)...)
	if w.Code != 200 {
		t.Fatalf("publish %d %s", w.Code, w.Body)
	}
	after := decode[report.Detail](t, w)
	if after.Version != v.Version+1 || after.Photos[0].Visibility != report.Published || w.Header().Get("ETag") == etag {
		t.Errorf("after publishing: version %d (was %d), photo %+v, ETag %s", after.Version, v.Version, after.Photos[0], w.Header().Get("ETag"))
	}
	last := after.History[len(after.History)-1]
	if last.Type != report.EventPhotoVisibility || last.Public || last.Data["to"] != "published" {
		t.Errorf("moderation event %+v", last)
	}
	if w := ts.do(http.MethodGet, url, nil); w.Code != 200 {
		t.Errorf("public read of a published confirmation photo: %d", w.Code)
	}
	// Hidden report: its photos are not public whatever their own state.
	ts.db.Pool.Exec(context.Background(), `UPDATE reports SET visibility = 'hidden' WHERE id = $1`, id)
	if w := ts.do(http.MethodGet, url, nil); w.Code != http.StatusNotFound {
		t.Errorf("photo of a hidden report: %d", w.Code)
	}
	// Bad multipart confirmations change nothing.
	before := ts.counts()
	for name, w := range map[string]*httptest.ResponseRecorder{
		"not an image":  ts.confirmWithPhoto(id, "conf-photo-bad-1", "phone-q", readPhotoTestdata(t, "not_an_image.jpg")),
		"unknown field": ts.confirmWithPhoto(id, "conf-photo-bad-2", "phone-q", nil, "comment", "hej"),
		"bad feeling":   ts.confirmWithPhoto(id, "conf-photo-bad-3", "phone-q", nil, "feeling", "sju"),
	} {
		if w.Code < 400 || w.Code >= 500 {
			t.Errorf("%s: %d %s", name, w.Code, w.Body)
		}
	}
	if after := ts.counts(); !mapsEqual(before, after) {
		t.Errorf("refused confirmations wrote: %v → %v", before, after)
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// New photos and confirmations are history: they make a new version, so the
// staff view's ETag changes and an If-Match from before them is stale.
func TestStaffETagFollowsPhotosAndConfirmations(t *testing.T) {
	ts := newTestServer(t, nil)
	rc := ts.postReport("etag-photos-key-1", felanmalan(nil))
	ts.publish(rc.ID.String())
	cw := ts.token(auth.Caseworker, "1781")
	v1, etag1 := ts.staffView(cw, rc.ID)

	ts.confirmAs(rc.ID, "phone-e")
	v2, etag2 := ts.staffView(cw, rc.ID)
	if etag2 == etag1 || v2.Version != v1.Version+1 {
		t.Fatalf("confirmation: ETag %s → %s, version %d → %d", etag1, etag2, v1.Version, v2.Version)
	}
	if w := ts.uploadPhoto(rc, solidPNG(t, 10)); w.Code != http.StatusCreated {
		t.Fatalf("photo %d", w.Code)
	}
	v3, etag3 := ts.staffView(cw, rc.ID)
	if etag3 == etag2 || v3.Version != v2.Version+1 {
		t.Fatalf("photo: ETag %s → %s", etag2, etag3)
	}
	// The same picture again is a retry: no new version.
	if w := ts.uploadPhoto(rc, solidPNG(t, 10)); w.Code != http.StatusOK {
		t.Fatalf("photo retry %d", w.Code)
	}
	if _, etag := ts.staffView(cw, rc.ID); etag != etag3 {
		t.Errorf("a photo retry changed the ETag %s → %s", etag3, etag)
	}
	// A change against the ETag from before them is 412 and lists them.
	w := ts.do(http.MethodPatch, "/v1/staff/reports/"+rc.ID.String(), map[string]any{"status": "triaged"}, append(bearer(cw), "If-Match", etag1)...)
	if w.Code != http.StatusPreconditionFailed {
		t.Fatalf("stale change %d %s", w.Code, w.Body)
	}
	det := decode[struct {
		Error struct {
			Details struct {
				Current int                 `json:"current_version"`
				Changes []report.StaffEvent `json:"changes"`
			} `json:"details"`
		} `json:"error"`
	}](t, w).Error.Details
	var types []string
	for _, e := range det.Changes {
		types = append(types, e.Type)
	}
	if det.Current != v3.Version || !slices.Equal(types, []string{report.EventConfirmation, report.EventPhoto}) {
		t.Errorf("412 details: current %d changes %v", det.Current, types)
	}
	if w := ts.do(http.MethodPatch, "/v1/staff/reports/"+rc.ID.String(), map[string]any{"status": "triaged"}, append(bearer(cw), "If-Match", etag3)...); w.Code != 200 {
		t.Errorf("change with the current ETag: %d %s", w.Code, w.Body)
	}
}

// Merging a resolved report keeps when it was resolved, through an un-merge too.
func TestMergeKeepsResolvedAt(t *testing.T) {
	ts := newTestServer(t, nil)
	kept, _ := ts.dupSeed(dupReport{})
	dup, _ := ts.dupSeed(dupReport{east: 3, status: report.Resolved})
	resolved := ts.now.Add(-5 * 24 * time.Hour).Truncate(time.Second)
	if _, err := ts.db.Pool.Exec(context.Background(), `UPDATE reports SET resolved_at = $2 WHERE id = $1`, dup, resolved); err != nil {
		t.Fatal(err)
	}
	cw := ts.token(auth.Caseworker, "1781")
	if w := ts.do(http.MethodPost, "/v1/staff/reports/"+dup.String()+"/merge", map[string]any{"into": kept}, bearer(cw)...); w.Code != 200 {
		t.Fatalf("merge %d %s", w.Code, w.Body)
	}
	if v, _ := ts.staffView(cw, dup); v.ResolvedAt == nil || !v.ResolvedAt.Equal(resolved) {
		t.Errorf("resolved_at after merge %v, want %v", v.ResolvedAt, resolved)
	}
	ts.now = ts.now.Add(time.Hour)
	w := ts.do(http.MethodPost, "/v1/staff/reports/"+dup.String()+"/unmerge", nil, bearer(cw)...)
	if w.Code != 200 {
		t.Fatalf("unmerge %d %s", w.Code, w.Body)
	}
	if d := decode[report.Detail](t, w); d.Status != report.Resolved || d.ResolvedAt == nil || !d.ResolvedAt.Equal(resolved) {
		t.Errorf("after unmerge: %s resolved_at %v, want resolved at %v", d.Status, d.ResolvedAt, resolved)
	}
	// A report that was never resolved gets no resolved_at from a merge.
	open, _ := ts.dupSeed(dupReport{east: 5, status: report.Triaged})
	if w := ts.do(http.MethodPost, "/v1/staff/reports/"+open.String()+"/merge", map[string]any{"into": kept}, bearer(cw)...); w.Code != 200 {
		t.Fatalf("merge %d", w.Code)
	}
	if v, _ := ts.staffView(cw, open); v.ResolvedAt != nil {
		t.Errorf("merged open report has resolved_at %v", v.ResolvedAt)
	}
}

// A merged into B, then B into C: A points at C; un-merging B points A back
// at B; un-merging A from anywhere in a chain restores it.
func TestMergeChainIsRepointed(t *testing.T) {
	ts := newTestServer(t, nil)
	a := ts.postReport("chain-report-a", felanmalan(nil))
	b, _ := ts.dupSeed(dupReport{east: 2, status: report.Triaged})
	c, _ := ts.dupSeed(dupReport{east: 4, status: report.InProgress})
	ts.publish(a.ID.String())
	ts.confirmAs(a.ID, "phone-a")
	ts.confirmAs(b, "phone-b")
	cw := ts.token(auth.Caseworker, "1781")
	step := func(path string, body any) {
		t.Helper()
		if w := ts.do(http.MethodPost, path, body, bearer(cw)...); w.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", path, w.Code, w.Body)
		}
	}
	pointsAt := func(id uuid.UUID) (report.Status, *uuid.UUID, int) {
		v, _ := ts.staffView(cw, id)
		return v.Status, v.DuplicateOf, v.Confirmations
	}
	step("/v1/staff/reports/"+a.ID.String()+"/merge", map[string]any{"into": b})
	av, _ := ts.staffView(cw, a.ID)
	step("/v1/staff/reports/"+b.String()+"/merge", map[string]any{"into": c})

	after, _ := ts.staffView(cw, a.ID)
	if after.DuplicateOf == nil || *after.DuplicateOf != c || after.Version != av.Version+1 {
		t.Fatalf("A after B→C: duplicate_of %v version %d (was %d), want C", after.DuplicateOf, after.Version, av.Version)
	}
	last := after.History[len(after.History)-1]
	if last.Type != report.EventRepointed || last.Data["from"] != b.String() || last.Data["into"] != c.String() {
		t.Errorf("A's last event %+v", last)
	}
	if _, _, n := pointsAt(c); n != 2 {
		t.Errorf("C has %d confirmations, want A's and B's", n)
	}
	// A's reporter follows C now.
	if v, code := ts.followView(a.ID, a.FollowUpToken); code != 200 || v.Kept == nil || v.Kept.ID != c || v.Kept.Status != report.InProgress {
		t.Errorf("A's follow-up view: %d %+v", code, v.Kept)
	}
	if _, code := ts.followView(c, a.FollowUpToken); code != 200 {
		t.Errorf("A's reporter cannot open C: %d", code)
	}
	// C cannot be merged into A (A is a duplicate), and merging C into B is
	// refused too, B being a duplicate: no cycles.
	if w := ts.do(http.MethodPost, "/v1/staff/reports/"+c.String()+"/merge", map[string]any{"into": b}, bearer(cw)...); w.Code != http.StatusConflict {
		t.Errorf("merge C into its own duplicate: %d", w.Code)
	}

	// Un-merging B: B is triaged again, and A points at B again.
	step("/v1/staff/reports/"+b.String()+"/unmerge", nil)
	if st, dupOf, n := pointsAt(b); st != report.Triaged || dupOf != nil || n != 2 {
		t.Errorf("B after unmerge: %s %v %d confirmations", st, dupOf, n)
	}
	if _, dupOf, _ := pointsAt(a.ID); dupOf == nil || *dupOf != b {
		t.Errorf("A after B's unmerge points at %v, want B", dupOf)
	}
	if _, _, n := pointsAt(c); n != 0 {
		t.Errorf("C keeps %d confirmations", n)
	}

	// Merge B into C again, then un-merge A straight from C.
	step("/v1/staff/reports/"+b.String()+"/merge", map[string]any{"into": c})
	step("/v1/staff/reports/"+a.ID.String()+"/unmerge", nil)
	if st, dupOf, n := pointsAt(a.ID); st != report.Received || dupOf != nil || n != 1 {
		t.Errorf("A after its unmerge: %s %v %d", st, dupOf, n)
	}
	var path []uuid.UUID
	if err := ts.db.Pool.QueryRow(context.Background(), `SELECT merge_path FROM reports WHERE id = $1`, a.ID).Scan(&path); err != nil || len(path) != 0 {
		t.Errorf("A's merge_path %v (%v)", path, err)
	}
	if _, _, n := pointsAt(c); n != 1 {
		t.Errorf("C has %d confirmations, want B's", n)
	}
	// Counts always equal rows.
	var drift int
	if err := ts.db.Pool.QueryRow(context.Background(), `
SELECT count(*) FROM reports r WHERE r.confirmations <> (SELECT count(*) FROM report_confirmations k WHERE k.report_id = r.id)`).Scan(&drift); err != nil || drift != 0 {
		t.Errorf("%d reports whose count drifted (%v)", drift, err)
	}
}

// Erasing a report's personal data takes its photos wherever a merge moved
// them, and leaves the photos that came with other reports.
func TestEraseFollowsMergedPhotos(t *testing.T) {
	ts := newTestServer(t, nil)
	kept := ts.postReport("erase-merged-kept", felanmalan(nil))
	dup := ts.postReport("erase-merged-dup", felanmalan(nil))
	for i, rc := range []report.Receipt{kept, dup} {
		if w := ts.uploadPhoto(rc, solidPNG(t, uint8(20+i))); w.Code != http.StatusCreated {
			t.Fatalf("photo %d", w.Code)
		}
	}
	cw := ts.token(auth.Caseworker, "1781")
	if w := ts.do(http.MethodPost, "/v1/staff/reports/"+dup.ID.String()+"/merge", map[string]any{"into": kept.ID}, bearer(cw)...); w.Code != 200 {
		t.Fatalf("merge %d %s", w.Code, w.Body)
	}
	e, err := ts.db.EraseReports(context.Background(), []uuid.UUID{dup.ID}, ts.now)
	if err != nil || e.Photos != 1 {
		t.Fatalf("erase: %+v %v, want the duplicate's one photo", e, err)
	}
	k, _ := ts.staffView(cw, kept.ID)
	if len(k.Photos) != 1 || len(k.Photos[0].MergedFrom) != 0 {
		t.Errorf("kept report's photos after erasing the duplicate: %+v", k.Photos)
	}
	e, err = ts.db.EraseReports(context.Background(), []uuid.UUID{kept.ID}, ts.now)
	if err != nil || e.Photos != 1 || ts.count("photos") != 0 {
		t.Errorf("erasing the kept report: %+v %v, %d photos left", e, err, ts.count("photos"))
	}
}
