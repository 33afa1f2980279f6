package httpapi

import (
	"context"
	"net/http"
	"os"
	"testing"

	"github.com/trygg/trygg/internal/auth"
)

func TestEventImportIdempotentAndScoped(t *testing.T) {
	ts := newTestServer(t, nil)
	data, err := os.ReadFile("../lagesbild/testdata/polisen_events_sample.json")
	if err != nil {
		t.Fatal(err)
	}
	police := ts.token(auth.Police, "1290")
	admin := ts.token(auth.Admin, "1290")
	// A police token for Kristianstad stores Kristianstad's two events only.
	w := ts.do(http.MethodPost, "/v1/staff/events", data, "Authorization", "Bearer "+police)
	if got := decode[map[string]int](t, w); w.Code != 200 || got["read"] != 17 || got["added"] != 2 {
		t.Fatalf("scoped import %d %v", w.Code, got)
	}
	// An admin stores the rest; the two already there are not added again.
	w = ts.do(http.MethodPost, "/v1/staff/events", data, "Authorization", "Bearer "+admin)
	if got := decode[map[string]int](t, w); got["added"] != 15 || got["not_added"] != 2 {
		t.Fatalf("admin import %v", got)
	}
	w = ts.do(http.MethodPost, "/v1/staff/events", data, "Authorization", "Bearer "+admin)
	if got := decode[map[string]int](t, w); got["added"] != 0 || ts.count("events") != 17 {
		t.Fatalf("re-import added %v, %d rows", got, ts.count("events"))
	}
	var muni, county, precision string
	err = ts.db.Pool.QueryRow(context.Background(), `SELECT coalesce(municipality_code, '-'), coalesce(county_code, '-'), precision FROM events WHERE external_id = '420698'`).Scan(&muni, &county, &precision)
	if err != nil || muni != "-" || county != "22" || precision != "county" {
		t.Errorf("county event stored as %s/%s/%s %v", muni, county, precision, err)
	}
	err = ts.db.Pool.QueryRow(context.Background(), `SELECT municipality_code, precision FROM events WHERE external_id = '420066'`).Scan(&muni, &precision)
	if err != nil || muni != "1863" || precision != "municipality" {
		t.Errorf("Hällefors event stored as %s/%s %v", muni, precision, err)
	}
	if w := ts.do(http.MethodPost, "/v1/staff/events", data, "Authorization", "Bearer "+ts.token(auth.Caseworker, "1290")); w.Code != 403 {
		t.Errorf("caseworker import %d", w.Code)
	}
	if w := ts.do(http.MethodPost, "/v1/staff/events", "[{]", "Authorization", "Bearer "+admin); w.Code != 400 {
		t.Errorf("broken JSON %d", w.Code)
	}
	csv := "id,occurred_at,type,lat,lon\nv1,2026-11-20T22:10:00+01:00,Skadegörelse,59.3096,14.1086\n"
	w = ts.do(http.MethodPost, "/v1/staff/events?format=csv&source=vaktbolaget", csv, "Authorization", "Bearer "+admin, "Content-Type", "text/csv")
	if got := decode[map[string]int](t, w); got["added"] != 1 {
		t.Errorf("csv %d %v", w.Code, got)
	}
	err = ts.db.Pool.QueryRow(context.Background(), `SELECT municipality_code, precision FROM events WHERE source = 'vaktbolaget'`).Scan(&muni, &precision)
	if err != nil || muni != "1781" || precision != "exact" {
		t.Errorf("csv event %s %s %v", muni, precision, err)
	}
}
