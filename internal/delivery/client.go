package delivery

import (
	"cmp"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
)

// DefaultRescueAfter is how long an attempt may stay running before another
// client takes the job over.
const DefaultRescueAfter = 2 * time.Minute

// ClientOptions tune the River client that works deliveries.
type ClientOptions struct {
	MaxWorkers   int           // concurrent attempts; default 4
	PollInterval time.Duration // how often to look for due jobs besides LISTEN/NOTIFY; default 1 s
	// RescueAfter is how long a job may stay "running" before another client
	// takes it over: the case of a process killed in the middle of an attempt.
	// Default DefaultRescueAfter; it must exceed the worker's attempt timeout,
	// which is also River's job timeout. The leader looks for such jobs when it
	// is elected and every 30 s after.
	RescueAfter time.Duration
	Log         *slog.Logger
}

// NewClient returns a River client that works the deliveries queue with w.
// Start it with Start(ctx) and stop it with Stop(ctx); jobs a stopped or killed
// client left are picked up by the next one.
func NewClient(pool *pgxpool.Pool, w *Worker, o ClientOptions) (*river.Client[pgx.Tx], error) {
	rescueAfter := cmp.Or(o.RescueAfter, DefaultRescueAfter)
	timeout := w.Timeout(nil)
	if rescueAfter <= timeout {
		return nil, fmt.Errorf("delivery: rescue after %v must exceed the attempt timeout %v", rescueAfter, timeout)
	}
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, w); err != nil {
		return nil, err
	}
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return river.NewClient(riverpgxv5.New(pool), &river.Config{
		Queues:               map[string]river.QueueConfig{Queue: {MaxWorkers: cmp.Or(o.MaxWorkers, 4)}},
		Workers:              workers,
		FetchPollInterval:    o.PollInterval,
		FetchCooldown:        min(o.PollInterval, river.FetchCooldownDefault),
		RescueStuckJobsAfter: rescueAfter,
		JobTimeout:           timeout,
		// Delivered jobs are recorded in report_deliveries; River's copy of them
		// only needs to live long enough to debug.
		CompletedJobRetentionPeriod: 7 * 24 * time.Hour,
		Logger:                      log,
	})
}
