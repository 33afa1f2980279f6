// Command bench-lagesbild measures the lägesbild of one municipality-quarter
// end to end over HTTP: it fills a database with reports over Kristianstad
// (1290) — REPORTS in 2026-Q3, a quarter of that in each comparison period —
// adds twelve areas and an admin token, and times
// GET /v1/lagesbild?municipality=1290&period=2026-Q3 several times against a
// running trygg. scripts/bench-lagesbild builds the database and the server.
// A new report is inserted before each timed request, so every request is
// computed afresh (no cached Gi* result).
//
//	bench-lagesbild -db postgres://... -url http://127.0.0.1:18087 -reports 200000 -runs 5
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"slices"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/postgres"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench-lagesbild:", err)
		os.Exit(1)
	}
}

// fillSQL inserts $1 reports observed in [$2, $3) in a 7 × 8 km box over
// Kristianstad; one in three is a felanmälan, half of those resolved within
// three weeks. The municipality is given, so the trigger's lookup is skipped.
// Each report draws its own time (an uncorrelated LATERAL would draw one time
// for all of them).
const fillSQL = `
WITH cats AS (SELECT kind, array_agg(code ORDER BY code) AS c FROM categories WHERE NOT is_group GROUP BY kind)
INSERT INTO reports (id, reference, kind, category, municipality_code, geom, observed_at, received_at, status, follow_up_hash, resolved_at, source)
SELECT gen_random_uuid(), $4 || i, k.kind, k.c[1 + (i % array_length(k.c, 1))], '1290',
       ST_SetSRID(ST_MakePoint(14.10 + random() * 0.12, 56.00 + random() * 0.07), 4326), t, t,
       CASE WHEN k.kind = 'felanmalan' AND i % 2 = 0 THEN 'resolved' WHEN k.kind = 'felanmalan' THEN 'in_progress' ELSE 'received' END,
       '\x00'::bytea,
       CASE WHEN k.kind = 'felanmalan' AND i % 2 = 0 THEN t + random() * interval '21 days' END,
       'demo'
FROM (SELECT i, $2::timestamptz + random() * ($3::timestamptz - $2::timestamptz) AS t FROM generate_series(1, $1) AS i) AS g
JOIN cats k ON k.kind = CASE WHEN i % 3 = 0 THEN 'felanmalan' ELSE 'otrygghet' END`

const areasSQL = `
INSERT INTO areas (id, municipality_code, kind, name, priority, geom)
SELECT gen_random_uuid(), '1290', 'stadsdel', 'Bänkområde ' || i, i <= 2,
       ST_Multi(ST_MakeEnvelope(14.10 + (i % 4) * 0.03, 56.00 + (i / 4) * 0.023, 14.13 + (i % 4) * 0.03, 56.023 + (i / 4) * 0.023, 4326))
FROM generate_series(0, 11) AS i`

func fill(ctx context.Context, pool *pgxpool.Pool, n int) error {
	began := time.Now()
	periods := []struct {
		from, to, prefix string
		n                int
	}{
		{"2026-07-01T00:00:00+02:00", "2026-10-01T00:00:00+02:00", "BQ3-", n},
		{"2026-04-01T00:00:00+02:00", "2026-07-01T00:00:00+02:00", "BQ2-", n / 4},
		{"2025-07-01T00:00:00+02:00", "2025-10-01T00:00:00+02:00", "BLY-", n / 4},
	}
	for _, p := range periods {
		if _, err := pool.Exec(ctx, fillSQL, p.n, p.from, p.to, p.prefix); err != nil {
			return fmt.Errorf("fill %s: %w", p.prefix, err)
		}
	}
	if _, err := pool.Exec(ctx, areasSQL); err != nil {
		return fmt.Errorf("areas: %w", err)
	}
	if _, err := pool.Exec(ctx, "ANALYZE reports; ANALYZE areas"); err != nil {
		return err
	}
	fmt.Printf("filled %d + %d + %d reports and 12 areas in %s\n", n, n/4, n/4, time.Since(began).Round(time.Millisecond))
	return nil
}

func run() error {
	dbURL := flag.String("db", os.Getenv("DATABASE_URL"), "database of the server under test")
	base := flag.String("url", "http://127.0.0.1:18087", "trygg base URL")
	reports := flag.Int("reports", 200_000, "reports in 2026-Q3 over Kristianstad")
	runs := flag.Int("runs", 5, "requests to time")
	flag.Parse()
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := fill(ctx, pool, *reports); err != nil {
		return err
	}
	tok, hash := auth.NewToken()
	if _, err := postgres.New(pool).CreateToken(ctx, "bench-lagesbild", auth.Admin, []string{"1290"}, hash); err != nil {
		return err
	}
	client := &http.Client{Timeout: 60 * time.Second}
	get := func(format string) (time.Duration, []byte, error) {
		req, _ := http.NewRequest(http.MethodGet, *base+"/v1/lagesbild?municipality=1290&period=2026-Q3&format="+format, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		t0 := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			return 0, nil, fmt.Errorf("status %d: %s", resp.StatusCode, body)
		}
		return time.Since(t0), body, err
	}
	// The first request warms the pool and the caches; it is reported apart.
	d, body, err := get("json")
	if err != nil {
		return err
	}
	var doc struct {
		Totals []struct {
			Key   string
			Count int
		}
	}
	_ = json.Unmarshal(body, &doc)
	fmt.Printf("cores %d; lägesbild 1290 2026-Q3: totals %v; %.1f kB; first request %s\n",
		runtime.NumCPU(), doc.Totals, float64(len(body))/1e3, d.Round(time.Millisecond))
	// Before each timed request one more report arrives, so the data version
	// changes and no cache (the Gi* result's, the public variant's) can answer:
	// every request counts, analyses and renders afresh.
	for _, format := range []string{"json", "html", "csv"} {
		var walls []time.Duration
		for k := 0; k < *runs; k++ {
			if _, err := pool.Exec(ctx, fillSQL, 1, "2026-08-01T00:00:00+02:00", "2026-08-02T00:00:00+02:00", fmt.Sprintf("BX-%s-%d-", format, k)); err != nil {
				return err
			}
			d, _, err := get(format)
			if err != nil {
				return err
			}
			walls = append(walls, d)
		}
		slices.Sort(walls)
		fmt.Printf("format=%-4s  min %s  median %s  max %s  (%d runs; goal < 1 s)\n", format,
			walls[0].Round(time.Millisecond), walls[len(walls)/2].Round(time.Millisecond), walls[len(walls)-1].Round(time.Millisecond), len(walls))
	}
	return nil
}
