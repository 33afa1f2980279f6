// Command bench-tiles measures vector tiles over loopback against the bare
// PostGIS query that makes them (the physical floor), cold and warm, at zooms 10,
// 13 and 16. scripts/bench-tiles builds a fresh database and runs it.
//
// For every zoom it picks tiles over the four demo towns, each with a few report
// filters, and times with the same concurrency:
//
//   - raw:  the tile's SQL (postgres.TileQuery) run directly through pgx;
//   - cold: GET /tiles/... on a server whose cache is empty (each key once),
//     right after the raw query of the same key in the same client;
//   - warm: the same requests again, several rounds, served from the cache.
//
// Per row (layer and zoom) it prints p50, p99 and mean latency and requests per
// second of each pass, then cold÷raw of all four (for req/s: cold's rate over
// raw's, so below 1 means cold is slower) and warm÷cold req/s, with a verdict
// on the goals of issue 5:
//
//   - cold within 1.3× raw, on p50 AND on mean (both per row; p99 and req/s are
//     shown, not judged: p99 of 120 keys is one or two requests, and on a
//     shared machine those are whoever the scheduler delayed);
//   - warm at least 10× the cold rate.
//
// Raw and cold are paired: each client runs a key's query and then GETs the
// same key (or the other way round, alternating between passes), so both see
// the same moment's load. The cold pass is repeated
// (-cold-repeats, each on a new server with an empty cache) and each key's raw
// and cold times are the medians of its repeats: one sample per key made the
// p50 of a zoom whose tiles are partly tiny and partly large jump between runs
// (reports_public z13 gave 1.02× and 1.53× in two runs a minute apart on a
// quiet machine, with equal means), because the median of 120 single samples
// falls into the gap between the two groups. With -cpuprofile the first
// cold pass is profiled; -zooms and -layers narrow the run; a database kept
// from an earlier run is only topped up to -reports.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/trygg/trygg/internal/config"
	"github.com/trygg/trygg/internal/httpapi"
	"github.com/trygg/trygg/internal/postgres"
	"github.com/trygg/trygg/internal/tiles"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench-tiles:", err)
		os.Exit(1)
	}
}

// town is a demo town the reports gather around.
type town struct {
	code     string
	lon, lat float64
}

var towns = []town{
	{"1781", 14.107, 59.309}, // Kristinehamn
	{"1782", 14.169, 59.713}, // Filipstad
	{"1863", 14.522, 59.782}, // Hällefors
	{"1290", 14.156, 56.029}, // Kristianstad
}

// spreadDeg is how far from the town centre reports fall (±3 km or so).
const spreadLon, spreadLat = 0.05, 0.025

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("bench-tiles", flag.ContinueOnError)
	dbURL := fs.String("db", "", "database URL of a migrated, empty bench database")
	reports := fs.Int("reports", 200000, "reports to load")
	keys := fs.Int("keys", 120, "distinct tile requests per zoom and layer")
	rounds := fs.Int("warm-rounds", 5, "warm passes over the keys")
	workers := fs.Int("c", 4, "concurrent clients")
	layersFlag := fs.String("layers", "reports_public,report_cells", "layers to measure")
	zoomsFlag := fs.String("zooms", "10,13,16", "zooms to measure")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the cold passes (raw and HTTP) to this file")
	repeats := fs.Int("cold-repeats", 5, "cold passes per zoom and layer, each on a new server with an empty cache; a key's time is the median of its passes")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := postgres.Open(ctx, *dbURL, int32(*workers*2+4))
	if err != nil {
		return err
	}
	defer db.Close()
	if err := load(ctx, db, *reports); err != nil {
		return err
	}
	cfg, err := config.FromEnv(func(k string) string {
		return map[string]string{"DATABASE_URL": *dbURL, "TRYGG_DB_MAX_CONNS": fmt.Sprint(*workers*2 + 4)}[k]
	})
	if err != nil {
		return err
	}
	if *repeats < 1 {
		return fmt.Errorf("-cold-repeats must be at least 1")
	}
	fmt.Fprintf(out, "%d reports over %d towns; %d keys per zoom and layer, %d clients, %d cold passes (per-key median), %d warm rounds; gzip accepted\n\n",
		*reports, len(towns), *keys, *workers, *repeats, *rounds)
	fmt.Fprintf(out, "%-15s %3s %-5s %9s %9s %9s %9s %7s\n", "layer", "z", "pass", "p50 ms", "p99 ms", "mean ms", "req/s", "bytes")
	var verdicts []string
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			return err
		}
		defer f.Close()
		coldProfile = f
	}
	for _, layer := range splitComma(*layersFlag) {
		for _, zs := range splitComma(*zoomsFlag) {
			z, err := strconv.Atoi(zs)
			if err != nil {
				return fmt.Errorf("-zooms: %w", err)
			}
			reqs := requests(layer, z, *keys)
			rawRuns := make([][]float64, *repeats)
			coldRuns := make([][]float64, *repeats)
			var bytes int
			var warm result
			for r := range *repeats {
				_, base, stop, err := serve(cfg, db)
				if err != nil {
					return err
				}
				rawRuns[r], coldRuns[r], bytes, err = timeColdAgainstRaw(ctx, db, base, reqs, *workers, r%2 == 0)
				if err == nil && r == *repeats-1 {
					warm, err = timeHTTP(base, reqs, *rounds, *workers)
				}
				stop()
				if err != nil {
					return err
				}
			}
			raw, cold := summarise(perKeyMedian(rawRuns), *workers), summarise(perKeyMedian(coldRuns), *workers)
			row := func(name string, r result, extra string) {
				fmt.Fprintf(out, "%-15s %3d %-5s %9.2f %9.2f %9.2f %9.0f %7s\n", layer, z, name, r.p50, r.p99, r.mean, r.rate, extra)
			}
			row("raw", raw, fmt.Sprint(bytes/len(reqs)))
			row("cold", cold, "")
			row("warm", warm, "")
			// The goal is on the typical tile and on the average one: p50 and
			// mean of cold over raw, each at most goalColdRaw. p99 and the rate
			// are shown beside them.
			p50, mean := cold.p50/raw.p50, cold.mean/raw.mean
			verdict := fmt.Sprintf("%s %d", layer, z)
			fmt.Fprintf(out, "%-15s %3d cold÷raw  p50 %.2f×  p99 %.2f×  mean %.2f×  req/s %.2f×  → p50 %s, mean %s\n",
				layer, z, p50, cold.p99/raw.p99, mean, cold.rate/raw.rate, pass(p50 <= goalColdRaw), pass(mean <= goalColdRaw))
			fmt.Fprintf(out, "%-15s %3d warm÷cold req/s %.1f× → %s\n\n", layer, z, warm.rate/cold.rate, pass(warm.rate/cold.rate >= goalWarmCold))
			if p50 > goalColdRaw || mean > goalColdRaw || warm.rate/cold.rate < goalWarmCold {
				verdicts = append(verdicts, verdict)
			}
		}
	}
	if len(verdicts) == 0 {
		fmt.Fprintf(out, "every row met the goals: cold ≤ %.1f× raw on p50 and mean, warm ≥ %.0f× the cold rate\n", goalColdRaw, goalWarmCold)
	} else {
		fmt.Fprintf(out, "goals missed in: %s\n", strings.Join(verdicts, "; "))
	}
	return nil
}

// The goals of issue 5: a cold tile costs at most goalColdRaw times the bare
// query, on p50 and on mean, and warm tiles come at least goalWarmCold times
// as fast as cold ones.
const (
	goalColdRaw  = 1.3
	goalWarmCold = 10.0
)

func pass(ok bool) string {
	if ok {
		return "ok"
	}
	return "MISSED"
}

// load inserts the reports in one statement: around each town, denser near the
// centre, four fifths published, categories drawn from the leaves, observed in
// the last year. The municipality is given, so the per-row boundary lookup is
// skipped.
//
// Reports already in the database count: a database kept from an earlier run is
// only topped up to n, so iterating on a small change need not load again.
func load(ctx context.Context, db *postgres.DB, n int) error {
	start := time.Now()
	var have int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM reports`).Scan(&have); err != nil {
		return err
	}
	if have >= n {
		fmt.Printf("%d reports already loaded\n", have)
		return nil
	}
	n -= have
	_, err := db.Pool.Exec(ctx, `
WITH t(i, code, lon, lat) AS (SELECT * FROM unnest($2::int[], $3::text[], $4::float8[], $5::float8[])),
leaves AS (SELECT array_agg(code ORDER BY code) AS codes, array_agg(kind ORDER BY code) AS kinds FROM categories WHERE NOT is_group),
g AS (SELECT s, (s % 4) AS ti, 1 + floor(random() * (SELECT cardinality(codes) FROM leaves))::int AS ci FROM generate_series(1, $1) s)
INSERT INTO reports (id, reference, kind, category, municipality_code, geom, observed_at, received_at, status, visibility, source, follow_up_hash)
SELECT gen_random_uuid(), 'BENCH-' || ($8::int + g.s), l.kinds[g.ci], l.codes[g.ci], t.code,
       ST_SetSRID(ST_MakePoint(t.lon + (random() - 0.5) * 2 * $6 * random(), t.lat + (random() - 0.5) * 2 * $7 * random()), 4326),
       now() - random() * interval '365 days', now(), 'received',
       CASE WHEN random() < 0.8 THEN 'published' ELSE 'pending' END, 'demo', '\x00'
FROM g JOIN t ON t.i = g.ti, leaves l`,
		n, []int{0, 1, 2, 3}, codes(), lons(), lats(), spreadLon, spreadLat, have)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	if _, err := db.Pool.Exec(ctx, `ANALYZE reports`); err != nil {
		return err
	}
	fmt.Printf("loaded %d reports in %.1f s\n", n, time.Since(start).Seconds())
	return nil
}

func codes() []string {
	var out []string
	for _, t := range towns {
		out = append(out, t.code)
	}
	return out
}

func lons() []float64 {
	var out []float64
	for _, t := range towns {
		out = append(out, t.lon)
	}
	return out
}

func lats() []float64 {
	var out []float64
	for _, t := range towns {
		out = append(out, t.lat)
	}
	return out
}

// tileRequest is one distinct tile: layer, tile and filter.
type tileRequest struct {
	req   postgres.TileRequest
	query string
}

// requests picks up to n distinct (tile, filter) keys over the towns at zoom z,
// in a fixed pseudo-random order.
func requests(layer string, z, n int) []tileRequest {
	filters := []string{"", "kind=otrygghet", "kind=felanmalan", "category=OTR.PLACE"}
	var all []tileRequest
	for _, t := range towns {
		lo := tiles.Containing(z, t.lon-spreadLon, t.lat+spreadLat)
		hi := tiles.Containing(z, t.lon+spreadLon, t.lat-spreadLat)
		for x := lo.X; x <= hi.X; x++ {
			for y := lo.Y; y <= hi.Y; y++ {
				for _, q := range filters {
					f, _ := tiles.ParseFilter(parseQuery(q))
					all = append(all, tileRequest{
						req:   postgres.TileRequest{Layer: layer, Tile: tiles.Tile{Z: z, X: x, Y: y}, Filter: f, MinCellCount: 3, Now: time.Now()},
						query: q,
					})
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(uint64(z), 7))
	rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	return all[:min(n, len(all))]
}

// coldProfile, when set, receives a CPU profile of the first cold pass.
var coldProfile *os.File

// result is one pass's latency percentiles (ms) and rate (requests/s).
type result struct {
	p50, p99, mean, rate float64
}

// measure runs do over jobs with the given concurrency.
func measure(jobs int, workers int, do func(i int) error) (result, error) {
	lat := make([]float64, jobs)
	var mu sync.Mutex
	var firstErr error
	next := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				t0 := time.Now()
				err := do(i)
				lat[i] = float64(time.Since(t0).Microseconds()) / 1000
				if err != nil {
					mu.Lock()
					firstErr = cmp(firstErr, err)
					mu.Unlock()
				}
			}
		}()
	}
	for i := 0; i < jobs; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	elapsed := time.Since(start).Seconds()
	slices.Sort(lat)
	return result{p50: lat[len(lat)/2], p99: lat[min(len(lat)-1, len(lat)*99/100)], mean: mean(lat), rate: float64(jobs) / elapsed}, firstErr
}

func cmp(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// timeColdAgainstRaw times each key twice back to back in the same client: the
// tile's SQL straight through pgx, then GET on the server with an empty cache.
// Pairing keeps the two comparable on a machine whose load changes. One untimed
// SQL pass first warms PostgreSQL's buffers so both read from memory. The rate
// of each is requests per second of client time divided by the clients.
func timeColdAgainstRaw(ctx context.Context, db *postgres.DB, base string, reqs []tileRequest, workers int, rawFirst bool) (rawMS, coldMS []float64, bytes int, err error) {
	rawMS = make([]float64, len(reqs))
	coldMS = make([]float64, len(reqs))
	var mu sync.Mutex
	query := func(i int) (int, error) {
		q, args, err := postgres.TileQuery(reqs[i].req)
		if err != nil {
			return 0, err
		}
		var b []byte
		err = db.Pool.QueryRow(ctx, q, args...).Scan(&b)
		return len(b), err
	}
	if _, err := measure(len(reqs), workers, func(i int) error { _, err := query(i); return err }); err != nil {
		return nil, nil, 0, err
	}
	if coldProfile != nil {
		if err := pprof.StartCPUProfile(coldProfile); err == nil {
			defer pprof.StopCPUProfile()
		}
		coldProfile = nil
	}
	_, err = measure(len(reqs), workers, func(i int) error {
		timeRaw := func() error {
			t0 := time.Now()
			n, err := query(i)
			rawMS[i] = float64(time.Since(t0).Microseconds()) / 1000
			mu.Lock()
			bytes += n
			mu.Unlock()
			return err
		}
		timeCold := func() error {
			t0 := time.Now()
			err := get(base, reqs[i])
			coldMS[i] = float64(time.Since(t0).Microseconds()) / 1000
			return err
		}
		// Whichever runs second finds the tile's pages just read by the
		// first; the order alternates between passes so neither side always
		// gets that.
		if rawFirst {
			return cmp(timeRaw(), timeCold())
		}
		return cmp(timeCold(), timeRaw())
	})
	return rawMS, coldMS, bytes, err
}

// perKeyMedian takes runs[pass][key] and gives each key's median over the
// passes.
func perKeyMedian(runs [][]float64) []float64 {
	out := make([]float64, len(runs[0]))
	times := make([]float64, len(runs))
	for k := range out {
		for r := range runs {
			times[r] = runs[r][k]
		}
		slices.Sort(times)
		if n := len(times); n%2 == 1 {
			out[k] = times[n/2]
		} else {
			out[k] = (times[n/2-1] + times[n/2]) / 2
		}
	}
	return out
}

func summarise(ms []float64, workers int) result {
	total := 0.0
	for _, v := range ms {
		total += v
	}
	s := slices.Sorted(slices.Values(ms))
	return result{p50: s[len(s)/2], p99: s[min(len(s)-1, len(s)*99/100)], mean: total / float64(len(ms)),
		rate: float64(len(ms)) * float64(workers) / (total / 1000)}
}

func mean(ms []float64) float64 {
	total := 0.0
	for _, v := range ms {
		total += v
	}
	return total / float64(len(ms))
}

// serve starts the real router on a loopback port with an empty tile cache.
func serve(cfg config.Config, db *postgres.DB) (*httpapi.Server, string, func(), error) {
	api, err := httpapi.New(cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)), httpapi.Options{})
	if err != nil {
		return nil, "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", nil, err
	}
	srv := &http.Server{Handler: api.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return api, "http://" + ln.Addr().String(), func() { _ = srv.Close() }, nil
}

var client = &http.Client{Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 64}, Timeout: 60 * time.Second}

// timeHTTP requests every tile rounds times.
func timeHTTP(base string, reqs []tileRequest, rounds, workers int) (result, error) {
	return measure(len(reqs)*rounds, workers, func(i int) error { return get(base, reqs[i%len(reqs)]) })
}

// get asks the server for one tile, accepting gzip as browsers do.
func get(base string, r tileRequest) error {
	t := r.req.Tile
	url := fmt.Sprintf("%s/tiles/%s/%d/%d/%d.mvt", base, r.req.Layer, t.Z, t.X, t.Y)
	if r.query != "" {
		url += "?" + r.query
	}
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNoContent {
		return fmt.Errorf("%s: %s", url, resp.Status)
	}
	return nil
}

func parseQuery(q string) url.Values {
	v, _ := url.ParseQuery(q)
	return v
}

func splitComma(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
