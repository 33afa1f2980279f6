package httpapi

import (
	"context"
	"net/http"
	"testing"

	"github.com/trygg/trygg/internal/auth"
)

func TestSurveyImport(t *testing.T) {
	ts := newTestServer(t, nil)
	tok := ts.token(auth.Analyst, "1781")
	if w := ts.do(http.MethodPost, "/v1/staff/areas", map[string]any{"municipality": "1781", "name": "Centrum", "geometry": square(14.10, 59.30, 0.01)}, "Authorization", "Bearer "+tok); w.Code != 201 {
		t.Fatalf("area %d", w.Code)
	}
	csv := "area,year,indicator,value,n\n,2024,trygg_kvall,60,800\nCentrum,2024,trygg_kvall,\"55,5\",90\n"
	for range 2 {
		w := ts.do(http.MethodPost, "/v1/staff/surveys?municipality=1781", csv, "Authorization", "Bearer "+tok, "Content-Type", "text/csv")
		if w.Code != 200 {
			t.Fatalf("import %d %s", w.Code, w.Body)
		}
	}
	var v float64
	if err := ts.db.Pool.QueryRow(context.Background(), `SELECT s.value FROM surveys s JOIN areas a ON a.id = s.area_id WHERE a.name = 'Centrum'`).Scan(&v); err != nil || v != 55.5 || ts.count("surveys") != 2 {
		t.Errorf("stored %v, %d rows, %v", v, ts.count("surveys"), err)
	}
	bad := "area,year,indicator,value\nOkänt,2025,trygg_kvall,50\n"
	if w := ts.do(http.MethodPost, "/v1/staff/surveys?municipality=1781", bad, "Authorization", "Bearer "+tok, "Content-Type", "text/csv"); w.Code != 400 || ts.count("surveys") != 2 {
		t.Errorf("unknown area: %d", w.Code)
	}
	if w := ts.do(http.MethodPost, "/v1/staff/surveys?municipality=1782", csv, "Authorization", "Bearer "+tok, "Content-Type", "text/csv"); w.Code != 403 {
		t.Errorf("other municipality: %d", w.Code)
	}
}
