// Command fault-load drives trygg for the fault and load scripts:
//
//	fault-load post   -url U -workers N -duration D -prefix P -acked FILE
//	    posts reports with Idempotency-Keys P-…; a request without a 2xx answer is
//	    retried with the same key, as a resident's app would; every 2xx is
//	    appended to FILE with its key, request and response.
//	fault-load verify -url U -prefix P -acked FILE -sent N   (DATABASE_URL set)
//	    checks every acknowledged report exists exactly once and that retrying its
//	    key returns the original response; prints sent, acknowledged, stored, lost,
//	    duplicated and exits 1 unless lost, duplicated and mismatched are 0.
//	fault-load mix    -url U -workers N -duration D -token T
//	    mixes report posts, public tile requests and hotspot queries; prints
//	    throughput, p50/p99 and errors; exits 1 on any error but 429.
//
// scripts/fault-crash and scripts/load-mix run it.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// Central Kristinehamn (kommun 1781): every point is accepted.
const (
	minLat, maxLat = 59.300, 59.325
	minLon, maxLon = 14.090, 14.135
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: fault-load post|verify|mix [flags]")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	url := fs.String("url", "http://127.0.0.1:18090", "trygg base URL")
	workers := fs.Int("workers", 8, "concurrent clients")
	duration := fs.Duration("duration", 20*time.Second, "how long to run")
	prefix := fs.String("prefix", fmt.Sprintf("fault-%08x", rand.Uint32()), "Idempotency-Key prefix")
	acked := fs.String("acked", "bin/fault-acked.jsonl", "file of acknowledged reports")
	sent := fs.Int("sent", 0, "reports sent (from post's output)")
	token := fs.String("token", "", "analyst bearer token for hotspot queries")
	_ = fs.Parse(os.Args[2:])
	var err error
	switch os.Args[1] {
	case "post":
		err = post(*url, *workers, *duration, *prefix, *acked)
	case "verify":
		err = verify(*url, *prefix, *acked, *sent)
	case "mix":
		err = mix(*url, *workers, *duration, *token)
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fault-load:", err)
		os.Exit(1)
	}
}

type ack struct {
	Key      string          `json:"key"`
	Request  json.RawMessage `json:"request"`
	Status   int             `json:"status"`
	Response json.RawMessage `json:"response"`
}

func reportBody(rng *rand.Rand, key string) []byte {
	b, _ := json.Marshal(map[string]any{
		"kind": "felanmalan", "category": "FEL.LIGHT",
		"location":    map[string]float64{"lat": minLat + rng.Float64()*(maxLat-minLat), "lon": minLon + rng.Float64()*(maxLon-minLon), "accuracy_m": 10},
		"description": "fault " + key,
	})
	return b
}

func postReport(ctx context.Context, c *http.Client, url, key string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/v1/reports", bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// post sends reports until the duration ends; each key is retried until it is
// acknowledged or the run is over (then it counts as sent, not acknowledged).
func post(url string, workers int, duration time.Duration, prefix, ackedPath string) error {
	f, err := os.Create(ackedPath)
	if err != nil {
		return err
	}
	defer f.Close()
	var mu sync.Mutex
	enc := json.NewEncoder(f)
	var sentN, ackedN, failures, retried atomic.Int64
	var failMu sync.Mutex
	failedBy := map[string]int{} // "connection" or the status code
	deadline := time.Now().Add(duration)
	client := &http.Client{Timeout: 20 * time.Second}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), rand.Uint64()))
			for seq := 0; time.Now().Before(deadline); seq++ {
				key := fmt.Sprintf("%s-%02d-%06d", prefix, w, seq)
				body := reportBody(rng, key)
				sentN.Add(1)
				// Retry this key until acknowledged; the grace after the
				// deadline lets a key in flight during a crash finish.
				for try := 0; time.Now().Before(deadline.Add(15 * time.Second)); try++ {
					ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
					status, resp, err := postReport(ctx, client, url, key, body)
					cancel()
					if err == nil && status >= 200 && status < 300 {
						mu.Lock()
						_ = enc.Encode(ack{Key: key, Request: body, Status: status, Response: resp})
						mu.Unlock()
						ackedN.Add(1)
						if try > 0 {
							retried.Add(1)
						}
						break
					}
					failures.Add(1)
					why := "connection"
					if err == nil {
						why = strconv.Itoa(status)
					}
					failMu.Lock()
					failedBy[why]++
					failMu.Unlock()
					time.Sleep(200 * time.Millisecond)
				}
			}
		})
	}
	wg.Wait()
	fmt.Printf("sent=%d acknowledged=%d acknowledged_after_retry=%d failed_attempts=%d\n",
		sentN.Load(), ackedN.Load(), retried.Load(), failures.Load())
	fmt.Printf("failed attempts by cause: %v\n", failedBy)
	// While the service or its database is away a client may see the
	// connection fail, 503 (database unreachable) or 429; anything else is a
	// wrong answer to a valid request.
	for why, n := range failedBy {
		if why != "connection" && why != "503" && why != "429" {
			return fmt.Errorf("%d attempts were answered %s", n, why)
		}
	}
	return nil
}

func verify(url, prefix, ackedPath string, sent int) error {
	f, err := os.Open(ackedPath)
	if err != nil {
		return err
	}
	defer f.Close()
	var acks []ack
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var a ack
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			return err
		}
		acks = append(acks, a)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT substr(description, 7), count(*) FROM reports WHERE description LIKE $1 GROUP BY 1`, "fault "+prefix+"-%")
	if err != nil {
		return err
	}
	stored := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return err
		}
		stored[k] = n
	}
	if err := rows.Err(); err != nil {
		return err
	}
	lost, duplicated, mismatched := 0, 0, 0
	for _, n := range stored {
		if n > 1 {
			duplicated += n - 1
		}
	}
	client := &http.Client{Timeout: 20 * time.Second}
	for _, a := range acks {
		if stored[a.Key] == 0 {
			lost++
			fmt.Fprintf(os.Stderr, "lost: %s\n", a.Key)
		}
		status, resp, err := postReport(ctx, client, url, a.Key, a.Request)
		if err != nil || status != a.Status || !sameJSON(resp, a.Response) {
			mismatched++
			if mismatched <= 5 {
				fmt.Fprintf(os.Stderr, "retry of %s: %d %s, first answer %d %s (%v)\n", a.Key, status, resp, a.Status, a.Response, err)
			}
		}
	}
	fmt.Printf("sent=%d acknowledged=%d stored=%d lost=%d duplicated=%d retry_mismatches=%d\n",
		sent, len(acks), len(stored), lost, duplicated, mismatched)
	if lost > 0 || duplicated > 0 || mismatched > 0 || len(acks) == 0 {
		return fmt.Errorf("reports were lost, duplicated or answered differently on retry (or none was acknowledged)")
	}
	return nil
}

func sameJSON(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return bytes.Equal(a, b)
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return bytes.Equal(ja, jb)
}

// mix runs the load test: a third each of report posts, public tiles and hotspot
// queries, as fast as the workers go.
func mix(url string, workers int, duration time.Duration, token string) error {
	type sample struct {
		kind   int
		status int
		d      time.Duration
	}
	names := []string{"report", "tile", "hotspot"}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	deadline := time.Now().Add(duration)
	results := make([][]sample, workers)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), rand.Uint64()))
			for seq := 0; time.Now().Before(deadline); seq++ {
				kind := seq % 3
				var req *http.Request
				switch kind {
				case 0:
					key := fmt.Sprintf("mix-%08x-%02d-%07d", rng.Uint32(), w, seq)
					req, _ = http.NewRequest(http.MethodPost, url+"/v1/reports", bytes.NewReader(reportBody(rng, key)))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Idempotency-Key", key)
				case 1:
					// Zoom 12–15 tiles over Kristinehamn.
					z := 12 + rng.IntN(4)
					lat := minLat + rng.Float64()*(maxLat-minLat)
					lon := minLon + rng.Float64()*(maxLon-minLon)
					x, y := tileOf(lat, lon, z)
					layer := []string{"report_cells", "reports_public", "municipalities"}[rng.IntN(3)]
					req, _ = http.NewRequest(http.MethodGet, fmt.Sprintf("%s/tiles/%s/%d/%d/%d.mvt", url, layer, z, x, y), nil)
				case 2:
					cell := []int{250, 500}[rng.IntN(2)]
					req, _ = http.NewRequest(http.MethodGet, fmt.Sprintf("%s/v1/hotspots?municipality=1781&cell=%d", url, cell), nil)
					req.Header.Set("Authorization", "Bearer "+token)
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				s := sample{kind: kind, d: time.Since(t0)}
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					s.status = resp.StatusCode
				}
				results[w] = append(results[w], s)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []sample
	for _, r := range results {
		all = append(all, r...)
	}
	errors, limited := 0, 0
	byStatus := map[int]int{}
	fmt.Printf("%-8s %8s %8s %9s %9s %7s\n", "kind", "requests", "req/s", "p50_ms", "p99_ms", "errors")
	for k := -1; k < 3; k++ {
		var ds []time.Duration
		kindErrors := 0
		for _, s := range all {
			if k >= 0 && s.kind != k {
				continue
			}
			ds = append(ds, s.d)
			if s.status == 0 || s.status >= 400 && s.status != 429 {
				kindErrors++
			}
			if k == -1 {
				byStatus[s.status]++
				if s.status == 429 {
					limited++
				}
			}
		}
		if k == -1 {
			errors = kindErrors
		}
		name := "all"
		if k >= 0 {
			name = names[k]
		}
		slices.Sort(ds)
		fmt.Printf("%-8s %8d %8.1f %9.1f %9.1f %7d\n", name, len(ds), float64(len(ds))/elapsed.Seconds(),
			ms(pct(ds, 0.50)), ms(pct(ds, 0.99)), kindErrors)
	}
	fmt.Printf("statuses %v; rate limited (429) %d; error rate %.3f %% (errors other than 429)\n",
		byStatus, limited, 100*float64(errors)/math.Max(1, float64(len(all))))
	if errors > 0 {
		return fmt.Errorf("%d requests failed with something other than 429", errors)
	}
	return nil
}

func pct(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	return ds[min(len(ds)-1, int(p*float64(len(ds))))]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func tileOf(lat, lon float64, z int) (int, int) {
	n := math.Exp2(float64(z))
	x := int((lon + 180) / 360 * n)
	r := lat * math.Pi / 180
	y := int((1 - math.Log(math.Tan(r)+1/math.Cos(r))/math.Pi) / 2 * n)
	return x, y
}
