package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/trygg/trygg/internal/auth"
)

func TestSnapshotsAreFrozen(t *testing.T) {
	ts, tok, _ := lagesbildFixture(t)
	w := ts.do(http.MethodPost, "/v1/lagesbild/snapshots", map[string]any{"municipality": "1781", "period": "2026-W53"}, "Authorization", "Bearer "+tok)
	if w.Code != 201 {
		t.Fatalf("create %d %s", w.Code, w.Body)
	}
	snap := decode[struct {
		ID          string
		ContentHash string `json:"content_hash"`
		CreatedBy   string `json:"created_by"`
	}](t, w)
	if len(snap.ContentHash) != 64 || snap.CreatedBy != "analyst:analyst" {
		t.Fatalf("snapshot %+v", snap)
	}
	// New data after the meeting changes the live lägesbild, not the snapshot.
	ts.seedReport("OTR.SOC.GATHER", 14.105, 59.305, "2026-12-30 12:00", "received", "")
	live := decode[lbBody](t, ts.do(http.MethodGet, "/v1/lagesbild?municipality=1781&period=2026-W53", nil, "Authorization", "Bearer "+tok))
	if total(live, "otrygghet").Count != 2 {
		t.Fatalf("live count %d", total(live, "otrygghet").Count)
	}
	w = ts.do(http.MethodGet, "/v1/lagesbild/snapshots/"+snap.ID, nil, "Authorization", "Bearer "+tok)
	got := decode[struct {
		Intact      bool
		ContentHash string `json:"content_hash"`
		Content     lbBody
	}](t, w)
	if !got.Intact || got.ContentHash != snap.ContentHash || total(got.Content, "otrygghet").Count != 1 || got.Content.Period.Label != "2026-W53" {
		t.Errorf("snapshot content %+v", got)
	}
	// The hash is SHA-256 of the content's jsonb text, checkable outside trygg.
	var text string
	if err := ts.db.Pool.QueryRow(context.Background(), `SELECT content::text FROM lagesbild_snapshots WHERE id = $1`, snap.ID).Scan(&text); err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256([]byte(text)); hex.EncodeToString(sum[:]) != snap.ContentHash {
		t.Errorf("hash does not match content")
	}
	for _, stmt := range []string{
		`UPDATE lagesbild_snapshots SET content = '{}'`,
		`DELETE FROM lagesbild_snapshots`,
	} {
		if _, err := ts.db.Pool.Exec(context.Background(), stmt); err == nil || !strings.Contains(err.Error(), "cannot be changed") {
			t.Errorf("%s: %v", stmt, err)
		}
	}
	w = ts.do(http.MethodGet, "/v1/lagesbild/snapshots?municipality=1781", nil, "Authorization", "Bearer "+tok)
	if w.Code != 200 || strings.Count(w.Body.String(), `"content_hash"`) != 1 || strings.Contains(w.Body.String(), `"content":`) {
		t.Errorf("list %d %s", w.Code, w.Body)
	}
	other := ts.token(auth.Analyst, "1782")
	if w := ts.do(http.MethodGet, "/v1/lagesbild/snapshots/"+snap.ID, nil, "Authorization", "Bearer "+other); w.Code != 404 {
		t.Errorf("other municipality: %d", w.Code)
	}
	if w := ts.do(http.MethodPost, "/v1/lagesbild/snapshots", map[string]any{"municipality": "1782", "period": "2026-W53"}, "Authorization", "Bearer "+tok); w.Code != 403 {
		t.Errorf("snapshot outside scope: %d", w.Code)
	}
}

// TestSnapshotContentVerifies checks a snapshot from outside: the stored
// content served byte for byte hashes to content_hash, tampering behind the
// trigger's back shows as not intact, its parameters are kept, and there is
// no route that changes or deletes it.
func TestSnapshotContentVerifies(t *testing.T) {
	ts, tok, areaID := lagesbildFixture(t)
	bearer := []string{"Authorization", "Bearer " + tok}
	w := ts.do(http.MethodPost, "/v1/lagesbild/snapshots", map[string]any{"municipality": "1781", "period": "2026-12", "area": areaID}, bearer...)
	if w.Code != 201 || !strings.HasPrefix(w.Header().Get("Location"), "/v1/lagesbild/snapshots/") {
		t.Fatalf("create %d %s", w.Code, w.Body)
	}
	snap := decode[struct {
		ID          string
		ContentHash string `json:"content_hash"`
		Params      map[string]string
		CreatedAt   time.Time `json:"created_at"`
	}](t, w)
	if snap.Params["municipality"] != "1781" || snap.Params["period"] != "2026-12" || snap.Params["area"] != areaID || !snap.CreatedAt.Equal(ts.now) {
		t.Errorf("parameters %+v at %s", snap.Params, snap.CreatedAt)
	}
	content := func() ([]byte, string) {
		w := ts.do(http.MethodGet, "/v1/lagesbild/snapshots/"+snap.ID+"/content", nil, bearer...)
		if w.Code != 200 {
			t.Fatalf("content %d %s", w.Code, w.Body)
		}
		return w.Body.Bytes(), w.Header().Get("ETag")
	}
	body, etag := content()
	sum := sha256.Sum256(body)
	if hex.EncodeToString(sum[:]) != snap.ContentHash || etag != `"`+snap.ContentHash+`"` {
		t.Fatalf("sha256 of the served content %x, hash %s, ETag %s", sum, snap.ContentHash, etag)
	}
	var frozen lbFull
	if err := json.Unmarshal(body, &frozen); err != nil || frozen.Period.Label != "2026-12" || total(frozen.lbBody, "otrygghet").Count != 1 {
		t.Fatalf("frozen content %v %+v", err, frozen.Totals)
	}

	// Data and areas change after the meeting; the snapshot does not.
	ts.seedReport("OTR.SOC.GATHER", 14.105, 59.305, "2026-12-10 12:00", "received", "")
	if w := ts.do(http.MethodPatch, "/v1/staff/areas/"+areaID, map[string]any{"name": "Innerstaden"}, bearer...); w.Code != 200 {
		t.Fatalf("rename %d", w.Code)
	}
	if again, _ := content(); !bytes.Equal(again, body) {
		t.Errorf("snapshot content changed with the data")
	}
	if live := decode[lbBody](t, ts.do(http.MethodGet, "/v1/lagesbild?municipality=1781&period=2026-12&area="+areaID, nil, bearer...)); total(live, "otrygghet").Count != 2 {
		t.Errorf("live count %d", total(live, "otrygghet").Count)
	}

	// No route writes a snapshot; each attempt leaves it as it was.
	for _, m := range []string{http.MethodPut, http.MethodPatch, http.MethodDelete} {
		for _, path := range []string{"/v1/lagesbild/snapshots/" + snap.ID, "/v1/lagesbild/snapshots/" + snap.ID + "/content"} {
			// The router answers a method it does not route with 400 "method not allowed".
			if w := ts.do(m, path, map[string]any{"content": map[string]any{}}, bearer...); w.Code != 404 && w.Code != 405 &&
				!(w.Code == 400 && strings.Contains(w.Body.String(), "method not allowed")) {
				t.Errorf("%s %s: %d %s", m, path, w.Code, w.Body)
			}
		}
	}
	if again, _ := content(); !bytes.Equal(again, body) {
		t.Errorf("snapshot content changed by a request")
	}

	// Tampering past the trigger (as the table's owner could) is detected.
	ctx := context.Background()
	for _, stmt := range []string{
		`ALTER TABLE lagesbild_snapshots DISABLE TRIGGER lagesbild_snapshots_frozen`,
		`UPDATE lagesbild_snapshots SET content = jsonb_set(content, '{totals,0,count}', '0')`,
		`ALTER TABLE lagesbild_snapshots ENABLE TRIGGER lagesbild_snapshots_frozen`,
	} {
		if _, err := ts.db.Pool.Exec(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	got := decode[struct{ Intact bool }](t, ts.do(http.MethodGet, "/v1/lagesbild/snapshots/"+snap.ID, nil, bearer...))
	list := decode[struct{ Snapshots []struct{ Intact bool } }](t, ts.do(http.MethodGet, "/v1/lagesbild/snapshots?municipality=1781", nil, bearer...))
	tampered, _ := content()
	sum = sha256.Sum256(tampered)
	if got.Intact || len(list.Snapshots) != 1 || list.Snapshots[0].Intact || hex.EncodeToString(sum[:]) == snap.ContentHash {
		t.Errorf("tampering not detected: intact %v, list %+v", got.Intact, list.Snapshots)
	}

	// Bad parameters are refused and store nothing.
	for _, body := range []map[string]any{
		{"municipality": "1781", "period": "2021-W53"},
		{"municipality": "1781", "period": "2026-12", "area": "not-a-uuid"},
		{"municipality": "1781", "period": "2026-12", "area": "00000000-0000-0000-0000-000000000001"},
		{"municipality": "1781"},
	} {
		if w := ts.do(http.MethodPost, "/v1/lagesbild/snapshots", body, bearer...); w.Code != 400 {
			t.Errorf("%v: %d %s", body, w.Code, w.Body)
		}
	}
	if n := ts.count("lagesbild_snapshots"); n != 1 {
		t.Errorf("%d snapshots stored", n)
	}
	// Who may: a planner may not, another municipality's analyst sees nothing.
	if w := ts.do(http.MethodPost, "/v1/lagesbild/snapshots", map[string]any{"municipality": "1781", "period": "2026-12"}, "Authorization", "Bearer "+ts.token(auth.Planner, "1781")); w.Code != 403 {
		t.Errorf("planner snapshot %d", w.Code)
	}
	other := []string{"Authorization", "Bearer " + ts.token(auth.Analyst, "1782")}
	if w := ts.do(http.MethodGet, "/v1/lagesbild/snapshots/"+snap.ID+"/content", nil, other...); w.Code != 404 {
		t.Errorf("other municipality reads the content: %d", w.Code)
	}
	if w := ts.do(http.MethodGet, "/v1/lagesbild/snapshots?municipality=1781", nil, other...); w.Code != 403 {
		t.Errorf("other municipality lists: %d", w.Code)
	}
	if w := ts.do(http.MethodGet, "/v1/lagesbild/snapshots", nil, other...); w.Code != 200 || strings.Contains(w.Body.String(), snap.ID) {
		t.Errorf("other municipality's own list %d %s", w.Code, w.Body)
	}
}
