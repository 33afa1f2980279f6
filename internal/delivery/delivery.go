package delivery

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// Kinds of destination.
const (
	KindWebhook = "webhook"
	KindOpen311 = "open311"
)

// States of a delivery.
const (
	StatePending   = "pending"   // not yet accepted by the receiver; will be tried again
	StateDelivered = "delivered" // the receiver answered 2xx
	StateFailed    = "failed"    // attempts used up or refused for good; needs a person
)

// Destination is where one municipality's (or, as "*", every other
// municipality's) forwarded felanmälningar go.
type Destination struct {
	Municipality string `json:"municipality"` // kommunkod or "*"
	Kind         string `json:"kind"`
	URL          string `json:"url"`
	// Secret signs webhook bodies; APIKey and ServiceCode are sent to an Open311
	// server (ServiceCode empty: the report's category code).
	Secret      string `json:"-"`
	APIKey      string `json:"-"`
	ServiceCode string `json:"service_code,omitempty"`
}

// Delivery is one report's hand-over to one destination as staff see it.
type Delivery struct {
	ID            uuid.UUID  `json:"id"`
	ReportID      uuid.UUID  `json:"report_id"`
	Kind          string     `json:"kind"`
	URL           string     `json:"url"`
	State         string     `json:"state"`
	CreatedAt     time.Time  `json:"created_at"`
	Attempts      int        `json:"attempts"`
	LastAttemptAt *time.Time `json:"last_attempt_at,omitempty"`
	LastError     string     `json:"last_error,omitempty"`
	NextAttemptAt *time.Time `json:"next_attempt_at,omitempty"`
	DeliveredAt   *time.Time `json:"delivered_at,omitempty"`
	RemoteID      string     `json:"remote_id,omitempty"`
}

// Report is what a receiver is told about a forwarded felanmälan: where and what,
// never who reported it.
type Report struct {
	ID           uuid.UUID `json:"id"`
	Reference    string    `json:"reference"`
	Kind         string    `json:"kind"`
	Category     string    `json:"category"`
	Municipality string    `json:"municipality"`
	Lat          float64   `json:"lat"`
	Lon          float64   `json:"lon"`
	Description  string    `json:"description,omitempty"`
	ObservedAt   time.Time `json:"observed_at"`
	ReceivedAt   time.Time `json:"received_at"`
	Status       string    `json:"status"`
}

// Job is everything one attempt needs.
type Job struct {
	Delivery    Delivery
	Destination Destination
	Report      Report
	ForwardedAt time.Time
	// DestinationGone is set when the destination the delivery was made for has
	// been deleted since: nothing may be sent any more.
	DestinationGone bool
}

// ErrDestinationGone is the final error of a delivery whose destination was
// deleted before it got through.
const ErrDestinationGone = "the destination was deleted before delivery; nothing sent"

// Outcome is the result of one attempt.
type Outcome struct {
	At          time.Time
	Err         string     // empty on success
	NextAttempt *time.Time // when it will be tried again; nil when it will not
	Final       bool       // no further attempt (delivered, or given up)
	RemoteID    string
}

// Interrupted is the error an attempt gets when it ended without an outcome: the
// process working it was killed or stopped while waiting for the receiver. The
// receiver may have got it; the next attempt carries the same delivery id.
const Interrupted = "attempt interrupted: the worker stopped before the receiver answered"

// Store is the storage the worker needs.
type Store interface {
	DeliveryJob(ctx context.Context, id uuid.UUID) (Job, error)
	// StartAttempt counts attempt number attempt as begun at at, before anything
	// is sent, so an attempt whose process dies still shows. If the previous
	// attempt began and never recorded an outcome, it gets the error Interrupted.
	StartAttempt(ctx context.Context, id uuid.UUID, attempt int, at time.Time) error
	RecordAttempt(ctx context.Context, id uuid.UUID, attempt int, o Outcome) error
}
