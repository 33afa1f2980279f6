package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"time"

	"github.com/paulmach/orb"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/config"
	"github.com/trygg/trygg/internal/httpapi"
	"github.com/trygg/trygg/internal/postgres"
)

// seedReportsSQL scatters synthetic otrygghet reports over the box ($1..$4):
// half around eight centres (so Gi* finds hotspots), half uniformly.
const seedReportsSQL = `
WITH box AS (SELECT $1::float8 AS x0, $2::float8 AS y0, $3::float8 AS x1, $4::float8 AS y1),
centres AS (
    SELECT c, x0 + random() * (x1 - x0) AS x, y0 + random() * (y1 - y0) AS y FROM box, generate_series(0, 7) c
)
INSERT INTO reports (id, reference, kind, category, geom, observed_at, status, source, follow_up_hash, time_of_day)
SELECT gen_random_uuid(), 'BENCH-' || g, 'otrygghet',
       (ARRAY['OTR.SOC.GATHER', 'OTR.PLACE.LIGHT', 'OTR.SOC.INTOX', 'OTR.PLACE.VEG'])[1 + g % 4],
       CASE WHEN g % 2 = 0
            THEN ST_SetSRID(ST_MakePoint(ce.x + (random() - 0.5) * 0.0015, ce.y + (random() - 0.5) * 0.0008), 4326)
            ELSE ST_SetSRID(ST_MakePoint(x0 + random() * (x1 - x0), y0 + random() * (y1 - y0)), 4326) END,
       now() - (g % 300) * interval '1 day', 'received', 'demo', '\x00'::bytea,
       (ARRAY['evening', 'night', 'day'])[1 + g % 3]
FROM box, generate_series(1, $5::int) g JOIN centres ce ON ce.c = g % 8`

// benchHTTP times POST /v1/walks/plan through the real router: candidate
// SQL (Gi* cells, clusters, open measures), the cached graph and the plan.
func benchHTTP(ctx context.Context, db *postgres.DB, box orb.Bound, reports, runs int, budget float64) error {
	if _, err := db.Pool.Exec(ctx, seedReportsSQL, box.Min[0], box.Min[1], box.Max[0], box.Max[1], reports); err != nil {
		return fmt.Errorf("seed reports: %w", err)
	}
	cfg, err := config.FromEnv(func(string) string { return "" })
	if err != nil {
		return err
	}
	srv, err := httpapi.New(cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)), httpapi.Options{})
	if err != nil {
		return err
	}
	token, hash := auth.NewToken()
	if _, err := db.CreateToken(ctx, "bench", auth.Planner, []string{"0180"}, hash); err != nil {
		return err
	}
	c := box.Center()
	body, _ := json.Marshal(map[string]any{
		"municipality": "0180", "start": map[string]float64{"lat": c[1], "lon": c[0]}, "max_length_m": budget,
	})
	var times []time.Duration
	var last struct {
		Stops      []json.RawMessage `json:"stops"`
		Candidates int               `json:"candidates"`
		LengthM    float64           `json:"length_m"`
	}
	for range runs {
		req := httptest.NewRequest(http.MethodPost, "/v1/walks/plan", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		w := httptest.NewRecorder()
		began := time.Now()
		srv.Handler().ServeHTTP(w, req)
		times = append(times, time.Since(began))
		if w.Code != http.StatusOK {
			return fmt.Errorf("plan over HTTP: %d %s", w.Code, w.Body)
		}
		if err := json.Unmarshal(w.Body.Bytes(), &last); err != nil {
			return err
		}
	}
	first := times[0]
	slices.Sort(times)
	n := len(times)
	fmt.Printf("HTTP plan: %d reports, %d candidates from the data, %.0f m budget: first %s, median %s, max %s; %d stops, %.0f m\n",
		reports, last.Candidates, budget, first.Round(time.Millisecond), times[n/2].Round(time.Millisecond),
		times[n-1].Round(time.Millisecond), len(last.Stops), last.LengthM)
	return nil
}
