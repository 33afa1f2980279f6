package delivery

import (
	"context"
	"errors"
	"hash/fnv"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
)

// MaxAttempts is how often a delivery is tried before it is marked failed. With
// the default backoff that spans about ten hours.
const MaxAttempts = 20

// Args is the River job: only the delivery id, everything else is read fresh on
// each attempt.
type Args struct {
	DeliveryID uuid.UUID `json:"delivery_id"`
}

// Kind names the job in River's tables.
func (Args) Kind() string { return "trygg.delivery" }

// InsertOpts puts deliveries on their own queue.
func (Args) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: Queue, MaxAttempts: MaxAttempts}
}

// Queue is the River queue deliveries run on.
const Queue = "deliveries"

// Backoff is the exponential delay after a failed attempt: Base·2^(attempt−1),
// at most Max, spread by up to ±10 % per delivery so that a receiver coming back
// from an outage is not hit by every waiting delivery in the same second.
type Backoff struct {
	Base, Max time.Duration
}

// DefaultBackoff waits 2 s, 4 s, 8 s, … up to an hour.
var DefaultBackoff = Backoff{Base: 2 * time.Second, Max: time.Hour}

// Delay is the wait after attempt number attempt (1-based) of delivery id.
func (b Backoff) Delay(id uuid.UUID, attempt int) time.Duration {
	d := b.Base
	for i := 1; i < attempt && d < b.Max; i++ {
		d *= 2
	}
	d = min(d, b.Max)
	h := fnv.New32a()
	h.Write(id[:])
	spread := float64(h.Sum32()%2001)/10000 - 0.1 // −0.1 … +0.1
	return d + time.Duration(float64(d)*spread)
}

// Worker delivers one job per call; River calls it.
type Worker struct {
	river.WorkerDefaults[Args]
	Store          Store
	Sender         Sender
	Backoff        Backoff
	AttemptTimeout time.Duration // one attempt; default 30 s
	Log            *slog.Logger

	// planned holds the next attempt Work announced for a job (River job id →
	// time.Time) until River asks NextRetry for it, so the time staff are shown
	// is the time River schedules.
	planned sync.Map
}

// Work makes one attempt and records its outcome where staff can see it.
func (w *Worker) Work(ctx context.Context, job *river.Job[Args]) error {
	id := job.Args.DeliveryID
	j, err := w.Store.DeliveryJob(ctx, id)
	if err != nil {
		return err
	}
	if j.Delivery.State == StateDelivered {
		return nil // an earlier attempt got through but its job did not finish
	}
	if j.DestinationGone {
		// Sending the report to an address no longer configured (perhaps
		// removed because it was wrong) would hand it to a stranger.
		if err := w.Store.RecordAttempt(ctx, id, job.Attempt, Outcome{At: w.now(), Err: ErrDestinationGone, Final: true}); err != nil {
			return err
		}
		return river.JobCancel(errors.New(ErrDestinationGone))
	}
	if err := w.Store.StartAttempt(ctx, id, job.Attempt, w.now()); err != nil {
		return err
	}
	remote, sendErr := w.Sender.Send(ctx, j, job.Attempt)
	o := Outcome{At: w.now(), RemoteID: remote}
	if sendErr == nil {
		o.Final = true
	} else {
		o.Err = sendErr.Error()
		if job.Attempt >= job.MaxAttempts {
			o.Final = true
		} else {
			next := o.At.Add(w.backoff().Delay(id, job.Attempt))
			o.NextAttempt = &next
			w.planned.Store(job.ID, next)
		}
	}
	// The outcome is recorded with a fresh context: an attempt that timed out
	// must still leave its error behind.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := w.Store.RecordAttempt(rctx, id, job.Attempt, o); err != nil {
		return errors.Join(sendErr, err)
	}
	if sendErr != nil && w.Log != nil {
		w.Log.Warn("delivery attempt failed", "delivery_id", id, "attempt", job.Attempt, "error", sendErr)
	}
	return sendErr
}

// NextRetry makes River wait the backoff after a failed attempt: from the end
// of the attempt, as announced to staff by Work. A job Work did not plan (an
// error before sending, or a job rescued from a dead worker) waits the backoff
// from now.
func (w *Worker) NextRetry(job *river.Job[Args]) time.Time {
	if next, ok := w.planned.LoadAndDelete(job.ID); ok {
		return next.(time.Time)
	}
	return w.now().Add(w.backoff().Delay(job.Args.DeliveryID, job.Attempt))
}

func (w *Worker) backoff() Backoff {
	if w.Backoff.Base <= 0 {
		return DefaultBackoff
	}
	return w.Backoff
}

// Timeout bounds one attempt.
func (w *Worker) Timeout(*river.Job[Args]) time.Duration {
	if w.AttemptTimeout > 0 {
		return w.AttemptTimeout
	}
	return 30 * time.Second
}

func (w *Worker) now() time.Time {
	if w.Sender.Now != nil {
		return w.Sender.Now()
	}
	return time.Now()
}
