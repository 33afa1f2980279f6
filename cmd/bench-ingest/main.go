// Command bench-ingest measures how many resident reports trygg accepts per
// second over loopback: N workers post valid reports at random points in central
// Kristinehamn for a fixed time, each with its own Idempotency-Key, and it prints
// the rate and the latency percentiles. scripts/bench-ingest runs it next to a
// pgbench baseline of the bare INSERT.
//
//	bench-ingest -url http://127.0.0.1:18080 -workers 16 -duration 10s
//	DATABASE_URL=... bench-ingest -cpuprofile ingest.pprof   (server in-process, profiled)
package main

import (
	"bytes"
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
)

// The box lies inside Kristinehamn's town centre, well within kommun 1781, so
// every report is accepted and no request measures a refusal.
const (
	minLat, maxLat = 59.300, 59.325
	minLon, maxLon = 14.090, 14.135
)

// categories alternates felanmälan and otrygghet reports as residents send them.
var categories = []struct{ kind, code string }{
	{"felanmalan", "FEL.LIGHT"}, {"felanmalan", "FEL.ROAD"}, {"otrygghet", "OTR.PLACE.LIGHT"},
	{"otrygghet", "OTR.SOC.GATHER"}, {"felanmalan", "FEL.GRAFFITI"},
}

type result struct {
	latencies []time.Duration
	failures  map[int]int
	err       error
}

func main() {
	url := flag.String("url", "http://127.0.0.1:18080", "base URL of trygg")
	workers := flag.Int("workers", 16, "concurrent clients")
	duration := flag.Duration("duration", 10*time.Second, "how long to post")
	profile := flag.String("cpuprofile", "", "serve trygg inside this process (DATABASE_URL, TRYGG_*) and write a CPU profile of the run here")
	flag.Parse()
	if err := benchmark(*url, *workers, *duration, *profile); err != nil {
		fmt.Fprintln(os.Stderr, "bench-ingest:", err)
		os.Exit(1)
	}
}

func benchmark(url string, workers int, duration time.Duration, profile string) error {
	if profile == "" {
		return run(url, workers, duration)
	}
	base, stop, err := serveInProcess(context.Background(), profile)
	if err != nil {
		return err
	}
	err = run(base, workers, duration)
	if serr := stop(); err == nil {
		err = serr
	}
	return err
}

func run(base string, workers int, duration time.Duration) error {
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: workers, MaxIdleConnsPerHost: workers, IdleConnTimeout: time.Minute}}
	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	run := fmt.Sprintf("%08x", rand.Uint32())
	results := make([]result, workers)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[w] = post(ctx, client, base, fmt.Sprintf("bench-%s-%03d", run, w))
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)

	var all []time.Duration
	failures := map[int]int{}
	for _, r := range results {
		if r.err != nil {
			return r.err
		}
		all = append(all, r.latencies...)
		for code, n := range r.failures {
			failures[code] += n
		}
	}
	if len(all) == 0 {
		return fmt.Errorf("no report was accepted (failures by status: %v)", failures)
	}
	slices.Sort(all)
	fmt.Printf("http_workers %d\n", workers)
	fmt.Printf("http_seconds %.2f\n", elapsed.Seconds())
	fmt.Printf("http_reports %d\n", len(all))
	fmt.Printf("http_failures %v\n", failures)
	fmt.Printf("http_reports_per_second %.1f\n", float64(len(all))/elapsed.Seconds())
	fmt.Printf("http_p50_ms %.2f\n", ms(percentile(all, 0.50)))
	fmt.Printf("http_p99_ms %.2f\n", ms(percentile(all, 0.99)))
	return nil
}

// post sends reports until ctx ends; keys are worker-unique so that every post
// is a new report, never an idempotent replay.
func post(ctx context.Context, client *http.Client, base, keyPrefix string) result {
	r := result{failures: map[int]int{}}
	rng := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	for seq := 0; ctx.Err() == nil; seq++ {
		c := categories[seq%len(categories)]
		body, _ := json.Marshal(map[string]any{
			"kind": c.kind, "category": c.code,
			"location":    map[string]float64{"lat": minLat + rng.Float64()*(maxLat-minLat), "lon": minLon + rng.Float64()*(maxLon-minLon), "accuracy_m": 10},
			"description": "Syntetisk rapport från bench-ingest.",
		})
		req, err := http.NewRequest(http.MethodPost, base+"/v1/reports", bytes.NewReader(body))
		if err != nil {
			r.err = err
			return r
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", fmt.Sprintf("%s-%08d", keyPrefix, seq))
		t0 := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			r.err = err
			return r
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		// A request that ends after the deadline is not counted: the rate is
		// reports completed within the measured time.
		if ctx.Err() != nil {
			break
		}
		if resp.StatusCode != http.StatusCreated {
			r.failures[resp.StatusCode]++
			continue
		}
		r.latencies = append(r.latencies, time.Since(t0))
	}
	return r
}

// percentile is the nearest-rank percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(float64(len(sorted))*p+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
