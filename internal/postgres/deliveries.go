package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/delivery"
	"github.com/trygg/trygg/internal/report"
)

const (
	// A municipality's own destination wins over the '*' row.
	destinationForSQL = `
SELECT municipality_code, kind, url FROM delivery_destinations
WHERE municipality_code IN ($1, '*') ORDER BY municipality_code = '*' LIMIT 1`
	insertDeliverySQL = `
INSERT INTO report_deliveries (id, report_id, municipality_code, destination, kind, url, created_at, forwarded_at, next_attempt_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7)`
	// The destination's secret is read at each attempt, so a rotated secret
	// applies to deliveries still waiting.
	deliveryJobSQL = deliveryColumnsSQL + `,
       d.forwarded_at, dd.municipality_code IS NULL, coalesce(dd.secret, ''), coalesce(dd.api_key, ''), coalesce(dd.service_code, ''),
       r.reference, r.kind, r.category, r.municipality_code, ST_Y(r.geom), ST_X(r.geom),
       coalesce(r.description, ''), r.observed_at, r.received_at, r.status
FROM report_deliveries d
JOIN reports r ON r.id = d.report_id
LEFT JOIN delivery_destinations dd ON dd.municipality_code = d.destination
WHERE d.id = $1`
	deliveryColumnsSQL = `
SELECT d.id, d.report_id, d.kind, d.url, d.state, d.created_at, d.attempts, d.last_attempt_at,
       coalesce(d.last_error, ''), d.next_attempt_at, d.delivered_at, coalesce(d.remote_id, '')`
	// An attempt that began (attempts > 0, next_attempt_at cleared) and never
	// recorded an outcome was interrupted: its process died mid-attempt.
	startAttemptSQL = `
UPDATE report_deliveries SET
    last_error = CASE WHEN attempts > 0 AND next_attempt_at IS NULL THEN $4 ELSE last_error END,
    attempts = greatest(attempts, $2), last_attempt_at = $3, next_attempt_at = NULL
WHERE id = $1 AND state = 'pending'`
	recordAttemptSQL = `
UPDATE report_deliveries SET
    attempts = greatest(attempts, $2), last_attempt_at = $3, last_error = nullif($4, ''),
    next_attempt_at = $5,
    state = CASE WHEN $4 = '' THEN 'delivered' WHEN $6 THEN 'failed' ELSE 'pending' END,
    delivered_at = CASE WHEN $4 = '' THEN coalesce(delivered_at, $3) ELSE delivered_at END,
    remote_id = coalesce(nullif($7, ''), remote_id)
WHERE id = $1 AND state <> 'delivered'`
	reportDeliveriesSQL = deliveryColumnsSQL + `
FROM report_deliveries d JOIN reports r ON r.id = d.report_id
WHERE d.report_id = $1 AND r.municipality_code = ANY($2)
ORDER BY d.created_at, d.id`
	reportInScopeSQL  = `SELECT EXISTS (SELECT 1 FROM reports WHERE id = $1 AND municipality_code = ANY($2))`
	setDestinationSQL = `
INSERT INTO delivery_destinations (municipality_code, kind, url, secret, api_key, service_code, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, now())
ON CONFLICT (municipality_code) DO UPDATE SET kind = $2, url = $3, secret = $4, api_key = $5, service_code = $6, updated_at = now()`
	destinationsSQL      = `SELECT municipality_code, kind, url, service_code FROM delivery_destinations ORDER BY municipality_code`
	deleteDestinationSQL = `DELETE FROM delivery_destinations WHERE municipality_code = $1`
)

// jobs is an insert-only River client: the outbox rows are River jobs written in
// the caller's transaction. Workers run in a separate client (delivery.NewClient).
func (db *DB) jobs() (*river.Client[pgx.Tx], error) {
	db.jobsOnce.Do(func() {
		db.jobsClient, db.jobsErr = river.NewClient(riverpgxv5.New(db.Pool), &river.Config{SkipUnknownJobCheck: true})
	})
	return db.jobsClient, db.jobsErr
}

// enqueueDelivery writes the outbox entry for a felanmälan just set to forwarded,
// in the transaction of the status change, and the audit entry that records
// the report's free text leaving for the destination, in the forwarding
// caseworker's name. Without a configured destination there is nothing to
// deliver.
func (db *DB) enqueueDelivery(ctx context.Context, tx pgx.Tx, r report.Report, at time.Time, actor string) error {
	var dest, kind, url string
	err := tx.QueryRow(ctx, destinationForSQL, r.Municipality.Code).Scan(&dest, &kind, &url)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	id := uuid.New()
	if _, err := tx.Exec(ctx, insertDeliverySQL, id, r.ID, r.Municipality.Code, dest, kind, url, at); err != nil {
		return err
	}
	if err := auditDelivery(ctx, tx, r, at, actor, id, dest, kind, url); err != nil {
		return err
	}
	jobs, err := db.jobs()
	if err != nil {
		return err
	}
	_, err = jobs.InsertTx(ctx, tx, delivery.Args{DeliveryID: id}, nil)
	return err
}

func scanDelivery(row pgx.Row, extra ...any) (delivery.Delivery, error) {
	var d delivery.Delivery
	err := row.Scan(append([]any{&d.ID, &d.ReportID, &d.Kind, &d.URL, &d.State, &d.CreatedAt, &d.Attempts,
		&d.LastAttemptAt, &d.LastError, &d.NextAttemptAt, &d.DeliveredAt, &d.RemoteID}, extra...)...)
	return d, err
}

// DeliveryJob loads what one delivery attempt needs.
func (db *DB) DeliveryJob(ctx context.Context, id uuid.UUID) (delivery.Job, error) {
	var j delivery.Job
	r := &j.Report
	d, err := scanDelivery(db.Pool.QueryRow(ctx, deliveryJobSQL, id),
		&j.ForwardedAt, &j.DestinationGone, &j.Destination.Secret, &j.Destination.APIKey, &j.Destination.ServiceCode,
		&r.Reference, &r.Kind, &r.Category, &r.Municipality, &r.Lat, &r.Lon,
		&r.Description, &r.ObservedAt, &r.ReceivedAt, &r.Status)
	if err != nil {
		return j, translate(err)
	}
	j.Delivery, r.ID = d, d.ReportID
	j.Destination.Kind, j.Destination.URL = d.Kind, d.URL
	return j, nil
}

// StartAttempt records that attempt number attempt begins.
func (db *DB) StartAttempt(ctx context.Context, id uuid.UUID, attempt int, at time.Time) error {
	_, err := db.Pool.Exec(ctx, startAttemptSQL, id, attempt, at, delivery.Interrupted)
	return err
}

// RecordAttempt stores the outcome of attempt number attempt. A delivery once
// delivered stays delivered, even if a late duplicate attempt then fails.
func (db *DB) RecordAttempt(ctx context.Context, id uuid.UUID, attempt int, o delivery.Outcome) error {
	_, err := db.Pool.Exec(ctx, recordAttemptSQL, id, attempt, o.At, o.Err, o.NextAttempt, o.Final, o.RemoteID)
	return err
}

// ReportDeliveries lists a report's deliveries, oldest first, if the report is
// in scope.
func (db *DB) ReportDeliveries(ctx context.Context, reportID uuid.UUID, scope []string) ([]delivery.Delivery, error) {
	var ok bool
	if err := db.Pool.QueryRow(ctx, reportInScopeSQL, reportID, scope).Scan(&ok); err != nil {
		return nil, err
	}
	if !ok {
		return nil, notInScope(reportID)
	}
	rows, err := db.Pool.Query(ctx, reportDeliveriesSQL, reportID, scope)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (delivery.Delivery, error) { return scanDelivery(row) })
}

// SetDestination creates or replaces a municipality's destination.
func (db *DB) SetDestination(ctx context.Context, d delivery.Destination) error {
	if _, err := db.Pool.Exec(ctx, setDestinationSQL, d.Municipality, d.Kind, d.URL, d.Secret, d.APIKey, d.ServiceCode); err != nil {
		var e *apperr.Error
		if err := translate(err); errors.As(err, &e) {
			return e
		}
		return fmt.Errorf("set destination: %w", err)
	}
	return nil
}

// Destinations lists the configured destinations (without secrets).
func (db *DB) Destinations(ctx context.Context) ([]delivery.Destination, error) {
	rows, err := db.Pool.Query(ctx, destinationsSQL)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (delivery.Destination, error) {
		var d delivery.Destination
		err := row.Scan(&d.Municipality, &d.Kind, &d.URL, &d.ServiceCode)
		return d, err
	})
}

// DeleteDestination removes a destination; deliveries already made keep their
// record, and those still waiting fail without sending (delivery.Worker).
func (db *DB) DeleteDestination(ctx context.Context, municipality string) (bool, error) {
	tag, err := db.Pool.Exec(ctx, deleteDestinationSQL, municipality)
	return tag.RowsAffected() > 0, err
}
