package privacy

import (
	"context"
	"log/slog"
	"time"
)

// Policy is how long each kind of personal data is kept. Contact data, free
// text and photos are counted from when a report was closed (an otrygghet
// report counts as closed when it is received; an open felanmälan keeps what
// the caseworker needs to reach the resident). Device hashes, exact points and
// stored idempotent responses are counted from when they were received.
type Policy struct {
	Contact     time.Duration
	Text        time.Duration
	Photos      time.Duration
	Device      time.Duration
	Points      time.Duration
	Idempotency time.Duration
	Audit       time.Duration // 0 keeps audit entries for ever
}

// Cutoffs are the policy applied at one moment: data older than a cutoff goes.
type Cutoffs struct {
	Now         time.Time
	Contact     time.Time
	Text        time.Time
	Photos      time.Time
	Device      time.Time
	Points      time.Time
	Idempotency time.Time
	Audit       *time.Time // nil: audit entries are kept
}

// At returns the cutoffs of the policy at now.
func (p Policy) At(now time.Time) Cutoffs {
	c := Cutoffs{
		Now: now, Contact: now.Add(-p.Contact), Text: now.Add(-p.Text), Photos: now.Add(-p.Photos),
		Device: now.Add(-p.Device), Points: now.Add(-p.Points), Idempotency: now.Add(-p.Idempotency),
	}
	if p.Audit > 0 {
		a := now.Add(-p.Audit)
		c.Audit = &a
	}
	return c
}

// Item is one kind of data the purge removes or coarsens.
type Item string

const (
	ItemContact     Item = "contact"     // report_contacts rows deleted
	ItemText        Item = "text"        // reports.description set to NULL
	ItemPhotos      Item = "photos"      // photos deleted
	ItemDevice      Item = "device"      // device hashes set to NULL
	ItemPoints      Item = "points"      // points of sensitive categories moved to the centre of their 100 m square
	ItemIdempotency Item = "idempotency" // stored responses (they hold follow-up tokens) deleted
	ItemAudit       Item = "audit"       // audit entries past their period deleted
	ItemHashKeys    Item = "hash_keys"   // salts of device-hash keys older than the previous period
)

// Items is every item in the order the purge handles them.
var Items = []Item{ItemContact, ItemText, ItemPhotos, ItemDevice, ItemPoints, ItemIdempotency, ItemAudit, ItemHashKeys}

// Result says what a purge removed, or with DryRun what it would remove.
type Result struct {
	DryRun bool           `json:"dry_run"`
	At     time.Time      `json:"at"`
	Counts map[Item]int64 `json:"counts"`
	// Reports lists, per report item, the reports touched (dry runs only, so an
	// operator can check what would go before it goes).
	Reports map[Item][]string `json:"reports,omitempty"`
}

// Total is the number of rows a purge touched.
func (r Result) Total() int64 {
	var n int64
	for _, c := range r.Counts {
		n += c
	}
	return n
}

// PurgeStore applies cutoffs. With dryRun it changes nothing and reports what
// it would have done. hashPeriod is the oldest device-hash key period to keep.
type PurgeStore interface {
	Purge(ctx context.Context, c Cutoffs, hashPeriod int, dryRun bool) (Result, error)
}

// Purger runs the retention policy.
type Purger struct {
	Store  PurgeStore
	Policy Policy
	Keys   *DeviceKeys // nil: hash keys are not dropped
	Now    func() time.Time
}

// Run purges (or with dryRun lists) everything the policy says is due now.
func (p *Purger) Run(ctx context.Context, dryRun bool) (Result, error) {
	now := p.Now()
	keep := int(^uint(0) >> 1) // keep every key when there is no rotation
	if p.Keys != nil {
		keep = p.Keys.PeriodOf(now) - 1
	}
	res, err := p.Store.Purge(ctx, p.Policy.At(now), keep, dryRun)
	res.DryRun, res.At = dryRun, now
	return res, err
}

// Schedule runs the purge at once and then every interval until ctx ends. A
// failed run is logged and tried again at the next tick; a run in progress is
// cancelled with ctx.
func (p *Purger) Schedule(ctx context.Context, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		res, err := p.Run(ctx, false)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			log.Error("retention purge failed", "err", err)
		case res.Total() > 0:
			log.Info("retention purge", "counts", res.Counts)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
