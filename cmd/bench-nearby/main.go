// Command bench-nearby measures GET /v1/reports/nearby, the "is this already
// reported?" list an app asks for while the resident picks a category. It fills
// a migrated database with synthetic reports (open and closed, published and
// not, felanmälan and otrygghet) in central Kristinehamn, then has N clients
// ask trygg over loopback from random points for a fixed time, and prints the
// latency percentiles. scripts/bench-nearby builds, serves and runs it, and
// reports how often the server's queries used the partial index.
//
//	bench-nearby -db postgres://.../trygg_bench_nearby -seed 200000
//	bench-nearby -url http://127.0.0.1:18081 -workers 8 -duration 10s
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// The box lies inside Kristinehamn's town centre, well within kommun 1781. All
// reports land in its 6.5 km², far denser than any real town, so every query
// finds dozens of rows within its radius: a hard case, not a flattering one.
const (
	minLat, maxLat = 59.300, 59.325
	minLon, maxLon = 14.090, 14.135
)

// The categories a resident asks about: a 30 m, a 100 m and a 75 m felanmälan
// radius, a normal and a sensitive otrygghet category.
var categories = []string{"FEL.LIGHT", "FEL.ROAD", "FEL.PATH", "OTR.PLACE.LIGHT", "OTR.SOC.GATHER"}

// seedSQL writes n reports in one statement. Statuses and visibilities are
// mixed so that the partial index holds roughly half the rows.
const seedSQL = `
INSERT INTO reports (id, reference, kind, category, geom, observed_at, received_at, status, visibility, source,
                     follow_up_hash, confirmations)
SELECT gen_random_uuid(), 'BN-' || g, c.kind, c.code,
       ST_SetSRID(ST_MakePoint($2::float8 + random() * ($3::float8 - $2::float8),
                           $4::float8 + random() * ($5::float8 - $4::float8)), 4326),
       t, t, (ARRAY['received','triaged','in_progress','forwarded','resolved','resolved','rejected'])[1 + floor(random() * 7)::int],
       (ARRAY['published','published','published','published','pending','hidden'])[1 + floor(random() * 6)::int],
       'demo', '\x00'::bytea, floor(random() * 4)::int
FROM generate_series(1, $1) g
CROSS JOIN LATERAL (SELECT now() - random() * interval '300 days' + g * interval '0 s' AS t) tt
CROSS JOIN LATERAL (SELECT code, kind FROM categories WHERE NOT is_group AND g > 0 ORDER BY random() LIMIT 1) c`

func main() {
	dbURL := flag.String("db", "", "database URL (migrated), for -seed")
	seed := flag.Int("seed", 0, "write this many synthetic reports, then exit")
	url := flag.String("url", "", "base URL of trygg to query")
	workers := flag.Int("workers", 8, "concurrent clients")
	duration := flag.Duration("duration", 10*time.Second, "how long to query")
	flag.Parse()
	ctx := context.Background()
	var err error
	switch {
	case *seed > 0 && *dbURL != "":
		err = seedReports(ctx, *dbURL, *seed)
	case *url != "":
		err = run(ctx, *url, *workers, *duration)
	default:
		err = fmt.Errorf("give -db URL -seed N, or -url")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench-nearby:", err)
		os.Exit(1)
	}
}

func seedReports(ctx context.Context, dbURL string, n int) error {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	start := time.Now()
	if _, err := conn.Exec(ctx, seedSQL, n, minLon, maxLon, minLat, maxLat); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	if _, err := conn.Exec(ctx, "ANALYZE reports"); err != nil {
		return err
	}
	var total, indexed int
	err = conn.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE visibility = 'published'
        AND status IN ('received', 'triaged', 'in_progress', 'forwarded')) FROM reports`).Scan(&total, &indexed)
	fmt.Printf("seeded %d reports in %.1f s; %d are open and published (in the partial index)\n",
		total, time.Since(start).Seconds(), indexed)
	return err
}

type result struct {
	latencies []time.Duration
	found     int
	err       error
}

func run(ctx context.Context, base string, workers int, duration time.Duration) error {
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		MaxIdleConns: workers, MaxIdleConnsPerHost: workers, IdleConnTimeout: time.Minute}}
	qctx, cancel := context.WithTimeout(ctx, duration)
	defer cancel()
	results := make([]result, workers)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Go(func() { results[w] = ask(qctx, client, base) })
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	found := 0
	for _, r := range results {
		if r.err != nil {
			return r.err
		}
		all = append(all, r.latencies...)
		found += r.found
	}
	if len(all) == 0 {
		return fmt.Errorf("no request completed")
	}
	slices.Sort(all)
	pct := func(p float64) float64 {
		return float64(all[min(len(all)-1, int(p*float64(len(all))))].Microseconds()) / 1000
	}
	fmt.Printf("requests             %d in %.1f s with %d clients (%.0f/s)\n", len(all), elapsed.Seconds(), workers, float64(len(all))/elapsed.Seconds())
	fmt.Printf("latency_ms p50       %.2f\n", pct(0.50))
	fmt.Printf("latency_ms p90       %.2f\n", pct(0.90))
	fmt.Printf("latency_ms p99       %.2f   (goal < 20)\n", pct(0.99))
	fmt.Printf("latency_ms max       %.2f\n", float64(all[len(all)-1].Microseconds())/1000)
	fmt.Printf("mean items returned  %.1f\n", float64(found)/float64(len(all)))
	return nil
}

// ask queries nearby from random points until ctx ends.
func ask(ctx context.Context, client *http.Client, base string) result {
	var r result
	for ctx.Err() == nil {
		lat := minLat + rand.Float64()*(maxLat-minLat)
		lon := minLon + rand.Float64()*(maxLon-minLon)
		cat := categories[rand.IntN(len(categories))]
		url := fmt.Sprintf("%s/v1/reports/nearby?lat=%.6f&lon=%.6f&category=%s", base, lat, lon, cat)
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			r.err = err
			return r
		}
		t0 := time.Now()
		resp, err := client.Do(req)
		if ctx.Err() != nil {
			return r // the run ended mid-request; not a measurement
		}
		if err != nil {
			r.err = err
			return r
		}
		var body struct {
			Reports   []json.RawMessage `json:"reports"`
			Otrygghet []json.RawMessage `json:"otrygghet"`
		}
		derr := json.NewDecoder(resp.Body).Decode(&body)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		d := time.Since(t0)
		if resp.StatusCode != http.StatusOK || derr != nil {
			r.err = fmt.Errorf("GET %s: status %d (%v)", url, resp.StatusCode, derr)
			return r
		}
		r.latencies = append(r.latencies, d)
		r.found += len(body.Reports) + len(body.Otrygghet)
	}
	return r
}
