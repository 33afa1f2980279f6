// Command bench-walks measures walk planning on a real street network: it
// imports the KTH campus extract into a scratch database, then plans round
// walks with 200 candidate places and a 3 km budget through the same code
// the API uses (the graph cache loading from PostGIS, then walk.Plan with its
// Dijkstra leg searches), and prints the timings. A second run seeds synthetic
// reports and times POST /v1/walks/plan through the real router, candidate
// queries included.
//
//	bench-walks -admin-url postgres://... [-runs 20] [-osm FILE]
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"

	"github.com/trygg/trygg/internal/postgres"
	"github.com/trygg/trygg/internal/streets"
	"github.com/trygg/trygg/internal/walk"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench-walks:", err)
		os.Exit(1)
	}
}

func run() error {
	admin := flag.String("admin-url", os.Getenv("TRYGG_TEST_DATABASE_URL"), "a role that may create databases")
	osmFile := flag.String("osm", "internal/streets/testdata/kth_campus_stockholm.osm.pbf", "OSM extract to plan on")
	runs := flag.Int("runs", 20, "plans to time")
	candidates := flag.Int("candidates", 200, "candidate places per plan")
	budget := flag.Float64("budget", 3000, "length budget in metres")
	reports := flag.Int("reports", 5000, "synthetic reports for the HTTP run")
	flag.Parse()
	if *admin == "" {
		return fmt.Errorf("give -admin-url or TRYGG_TEST_DATABASE_URL")
	}
	ctx := context.Background()
	dbURL, drop, err := scratchDatabase(ctx, *admin)
	if err != nil {
		return err
	}
	defer drop()
	mg, err := postgres.NewMigrator(dbURL)
	if err != nil {
		return err
	}
	if err := mg.Up(); err != nil {
		return err
	}
	mg.Close()
	db, err := postgres.Open(ctx, dbURL, 4)
	if err != nil {
		return err
	}
	defer db.Close()

	f, err := os.Open(*osmFile)
	if err != nil {
		return err
	}
	began := time.Now()
	net, err := streets.Parse(ctx, f, streets.FormatFromName(*osmFile), nil)
	f.Close()
	if err != nil {
		return err
	}
	parsed := time.Since(began)
	began = time.Now()
	info, err := db.ImportNetwork(ctx, "0180", *osmFile, net)
	if err != nil {
		return err
	}
	fmt.Printf("import: %d nodes, %d edges, %.1f km; parse %s, store %s\n",
		info.Nodes, info.Edges, info.LengthM/1000, parsed.Round(time.Millisecond), time.Since(began).Round(time.Millisecond))

	cache := walk.NewGraphCache(db)
	began = time.Now()
	g, err := cache.Graph(ctx, "0180")
	if err != nil {
		return err
	}
	fmt.Printf("graph load from PostGIS: %d vertices, %d segments in %s\n", g.Len(), g.Segments(), time.Since(began).Round(time.Millisecond))

	// Candidates spread over the network's extent, seeded so runs compare.
	box := bound(net)
	rng := rand.New(rand.NewPCG(1, 2))
	var times []time.Duration
	var stops, skipped int
	var length float64
	for r := range *runs {
		cands := make([]walk.Candidate, *candidates)
		for i := range cands {
			cands[i] = walk.Candidate{
				ID:    "c" + strconv.Itoa(i),
				Point: orb.Point{box.Min[0] + rng.Float64()*(box.Max[0]-box.Min[0]), box.Min[1] + rng.Float64()*(box.Max[1]-box.Min[1])},
				Score: 1 + rng.Float64()*20, Kind: walk.KindHotspot,
			}
		}
		start := box.Center()
		began := time.Now()
		g, err := cache.Graph(ctx, "0180") // as a request does: generation check, cached graph
		if err != nil {
			return err
		}
		route, err := walk.Plan(ctx, g, walk.Problem{Start: start, BudgetMetres: *budget, StopMinutes: 5, Candidates: cands, Seed: uint64(r)})
		if err != nil {
			return err
		}
		times = append(times, time.Since(began))
		stops, skipped, length = stops+len(route.Stops), skipped+len(route.Skipped), length+route.LengthMetres
	}
	slices.Sort(times)
	n := len(times)
	fmt.Printf("plan: %d runs, %d candidates, %.0f m budget: min %s, median %s, p95 %s, max %s\n",
		n, *candidates, *budget, times[0].Round(time.Millisecond), times[n/2].Round(time.Millisecond),
		times[min(n-1, n*95/100)].Round(time.Millisecond), times[n-1].Round(time.Millisecond))
	fmt.Printf("plan: on average %.1f stops, %.0f m walked, %.1f candidates left out\n",
		float64(stops)/float64(n), length/float64(n), float64(skipped)/float64(n))
	if err := benchHTTP(ctx, db, box, *reports, *runs, *budget); err != nil {
		return err
	}
	if times[n/2] > time.Second {
		fmt.Println("goal NOT met: median plan time above 1 s")
	} else {
		fmt.Println("goal met: median plan time under 1 s")
	}
	return nil
}

func bound(n *streets.Network) orb.Bound {
	b := orb.Bound{Min: orb.Point{n.Nodes[0].Lon, n.Nodes[0].Lat}, Max: orb.Point{n.Nodes[0].Lon, n.Nodes[0].Lat}}
	for _, nd := range n.Nodes {
		b = b.Extend(nd.Point())
	}
	return b
}

// scratchDatabase creates an empty database for the run and returns its URL
// and a function that drops it.
func scratchDatabase(ctx context.Context, admin string) (string, func(), error) {
	name := fmt.Sprintf("trygg_bench_walks_%d", os.Getpid())
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return "", nil, err
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		conn.Close(ctx)
		return "", nil, err
	}
	u, err := url.Parse(admin)
	if err != nil {
		return "", nil, err
	}
	u.Path = "/" + name
	return u.String(), func() {
		_, _ = conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		conn.Close(context.Background())
	}, nil
}
