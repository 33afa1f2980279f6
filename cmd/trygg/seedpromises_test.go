package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/postgres"
	"github.com/trygg/trygg/internal/postgres/pgtest"
	"github.com/trygg/trygg/internal/promise"
)

// The demo promises must show every progress status, and seeding twice must not
// add them twice.
func TestSeedPromisesShowEveryStatus(t *testing.T) {
	pool := pgtest.New(t)
	db := postgres.New(pool)
	ctx := context.Background()
	for i, want := range []string{"4 new", "0 new"} {
		var out bytes.Buffer
		if err := seedPromises(ctx, db, &out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), want) {
			t.Fatalf("run %d: %s", i+1, out.String())
		}
	}
	ps, err := db.Promises(ctx, []string{"1781", "1782", "1290", "1863"})
	if err != nil || len(ps) != 4 {
		t.Fatalf("%d promises, %v", len(ps), err)
	}
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	seen := map[promise.Status]int{}
	for _, p := range ps {
		acts, err := db.Activities(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		per := map[uuid.UUID]int{}
		for _, a := range acts {
			per[a.CommitmentID]++
		}
		pr, err := promise.Evaluate(ctx, db, p, per, now)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range pr.Commitments {
			seen[c.Status]++
		}
		if p.Municipality == "1290" && len(p.Commitments[1].PriorityAreas) != 2 {
			t.Errorf("Kristianstad's walks commitment has %d priority areas", len(p.Commitments[1].PriorityAreas))
		}
	}
	for _, s := range []promise.Status{promise.Fulfilled, promise.Partly, promise.NotFulfilled, promise.NotYetMeasurable} {
		if seen[s] == 0 {
			t.Errorf("no demo commitment is %s (%v)", s, seen)
		}
	}
}
