package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"

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
