package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/report"
)

const (
	claimKeySQL = `
INSERT INTO idempotency_keys (scope, key, request_hash, status_code, response)
VALUES ($1, $2, $3, 0, ''::bytea) ON CONFLICT DO NOTHING`
	storedKeySQL = `SELECT request_hash, status_code, response FROM idempotency_keys WHERE scope = $1 AND key = $2`
	saveKeySQL   = `UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE scope = $1 AND key = $2`

	insertReportSQL = `
INSERT INTO reports (id, reference, kind, category, geom, accuracy_m, observed_at, description,
                     feeling, time_of_day, status, visibility, source, follow_up_hash, device_hash, external_key,
                     device_key_period)
VALUES ($1, $2, $3, $4, ST_GeomFromWKB($5, 4326), $6, $7, nullif($8, ''), $9, nullif($10, ''),
        $11, $12, $13, $14, $15, nullif($16, ''), CASE WHEN $15::bytea IS NULL THEN NULL ELSE $17::integer END)
RETURNING municipality_code, (SELECT name FROM municipalities m WHERE m.code = reports.municipality_code)`
	insertContactSQL = `INSERT INTO report_contacts (report_id, name, email, phone) VALUES ($1, nullif($2,''), nullif($3,''), nullif($4,''))`
	insertEventSQL   = `
INSERT INTO report_events (report_id, actor, actor_kind, type, from_status, to_status, note, public)
VALUES ($1, $2, $3, $4, nullif($5, ''), nullif($6, ''), nullif($7, ''), $8)`
)

// ClaimIdempotencyKey runs create inside one transaction that first claims the key.
// When the key was used before, the stored response is returned instead and
// create is not called. Two requests racing on one key serialise on its primary
// key: the second waits for the first to commit and then sees its response.
func (db *DB) ClaimIdempotencyKey(ctx context.Context, idem report.Idempotency,
	create func(tx pgx.Tx) (status int, body []byte, err error)) (int, []byte, error) {
	var status int
	var body []byte
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, claimKeySQL, idem.Scope, idem.Key, idem.RequestHash)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			var hash []byte
			if err := tx.QueryRow(ctx, storedKeySQL, idem.Scope, idem.Key).Scan(&hash, &status, &body); err != nil {
				return err
			}
			if !bytes.Equal(hash, idem.RequestHash) {
				return apperr.Errorf(apperr.Conflict, "this Idempotency-Key was already used for a different request; use a new key for a new report")
			}
			return nil
		}
		if status, body, err = create(tx); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, saveKeySQL, idem.Scope, idem.Key, status, body)
		return err
	})
	return status, body, err
}

// The statements of CreateReport, pipelined in one batch. Each write after the
// claim happens only when this request holds the claim: its own uncommitted key
// row is the only one it can see with status_code 0 (a committed key always has
// its response saved). The receipt is written as the key's response in SQL, and
// the last statement reads the key back, so a first answer and every retry are
// the same stored bytes.
const (
	insertClaimedReportSQL = `
INSERT INTO reports (id, reference, kind, category, geom, accuracy_m, observed_at, description,
                     feeling, time_of_day, status, visibility, source, follow_up_hash, device_hash, external_key,
                     device_key_period)
SELECT $1, $2, $3, $4, ST_GeomFromWKB($5, 4326), $6, $7, nullif($8, ''), $9, nullif($10, ''),
       $11, $12, $13, $14, $15, nullif($16, ''), CASE WHEN $15::bytea IS NULL THEN NULL ELSE $17::integer END
WHERE EXISTS (SELECT 1 FROM idempotency_keys WHERE scope = $18 AND key = $19 AND status_code = 0)`
	insertClaimedContactSQL = `
INSERT INTO report_contacts (report_id, name, email, phone)
SELECT $1, nullif($2, ''), nullif($3, ''), nullif($4, '') WHERE EXISTS (SELECT 1 FROM reports WHERE id = $1)`
	insertClaimedEventSQL = `
INSERT INTO report_events (report_id, actor, actor_kind, type, from_status, to_status, note, public)
SELECT $1, $2, $3, $4, nullif($5, ''), nullif($6, ''), nullif($7, ''), $8 WHERE EXISTS (SELECT 1 FROM reports WHERE id = $1)`
	saveReceiptSQL = `
UPDATE idempotency_keys k SET status_code = 201,
       response = convert_to(jsonb_build_object(
         'id', r.id, 'reference', r.reference, 'status', r.status,
         'municipality', jsonb_build_object('code', r.municipality_code, 'name', m.name),
         'follow_up_token', $4::text)::text, 'UTF8')
FROM reports r JOIN municipalities m ON m.code = r.municipality_code
WHERE k.scope = $1 AND k.key = $2 AND k.status_code = 0 AND r.id = $3`
	// storedReceiptSQL is storedKeySQL that refuses a key without a response
	// (division by zero), which rolls the whole batch back: a claim must never
	// be committed without its receipt.
	storedReceiptSQL = `
SELECT request_hash, status_code, response FROM idempotency_keys
WHERE scope = $1 AND key = $2 AND 1 / (status_code <> 0)::integer = 1`
)

// CreateReport stores a draft exactly once per idempotency key, in one network
// round trip: claim, report, contact, event, receipt and the stored key go as
// one pipelined batch, which PostgreSQL runs as one implicit transaction (all
// or nothing, committed before the batch's results are complete). Racing
// requests with one key serialise on its primary key as in
// ClaimIdempotencyKey: the claim of the second waits for the first to commit,
// then claims nothing, writes nothing and reads the first one's response.
func (db *DB) CreateReport(ctx context.Context, d report.Draft, idem report.Idempotency) (report.Receipt, error) {
	var acc *float64
	if d.Location.AccuracyM != nil {
		acc = d.Location.AccuracyM
	}
	actor := "resident"
	b := &pgx.Batch{}
	b.Queue(claimKeySQL, idem.Scope, idem.Key, idem.RequestHash)
	b.Queue(insertClaimedReportSQL, d.ID, d.Reference, d.Kind, d.Category,
		pointWKB(d.Location.Lon, d.Location.Lat), acc, *d.ObservedAt, d.Description, d.Feeling,
		d.TimeOfDay, d.Status, d.Visibility, d.Source, d.FollowUpHash, d.DeviceHash, d.ExternalKey,
		d.DeviceKeyPeriod, idem.Scope, idem.Key)
	if c := d.Contact; c != nil && !c.Empty() {
		b.Queue(insertClaimedContactSQL, d.ID, c.Name, c.Email, c.Phone)
	}
	b.Queue(insertClaimedEventSQL, d.ID, actor, actor, report.EventCreated, "", d.Status, "", true)
	b.Queue(saveReceiptSQL, idem.Scope, idem.Key, d.ID, d.FollowUpToken)
	var hash, body []byte
	var status int
	b.Queue(storedReceiptSQL, idem.Scope, idem.Key).QueryRow(func(r pgx.Row) error { return r.Scan(&hash, &status, &body) })
	if err := db.Pool.SendBatch(ctx, b).Close(); err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == codeUniqueViolation && pgErr.ConstraintName == "reports_reference_key" {
			return report.Receipt{}, report.ErrReferenceTaken
		}
		return report.Receipt{}, translate(err)
	}
	if !bytes.Equal(hash, idem.RequestHash) {
		return report.Receipt{}, apperr.Errorf(apperr.Conflict, "this Idempotency-Key was already used for a different request; use a new key for a new report")
	}
	var rc report.Receipt
	return rc, json.Unmarshal(body, &rc)
}

// insertReport writes the report, its contact and its first event.
func insertReport(ctx context.Context, tx pgx.Tx, d report.Draft, actor, actorKind string) (report.Receipt, error) {
	rc := report.Receipt{ID: d.ID, Reference: d.Reference, Status: d.Status, FollowUpToken: d.FollowUpToken}
	var acc *float64
	if d.Location.AccuracyM != nil {
		acc = d.Location.AccuracyM
	}
	err := tx.QueryRow(ctx, insertReportSQL, d.ID, d.Reference, d.Kind, d.Category,
		pointWKB(d.Location.Lon, d.Location.Lat), acc, *d.ObservedAt, d.Description, d.Feeling,
		d.TimeOfDay, d.Status, d.Visibility, d.Source, d.FollowUpHash, d.DeviceHash, d.ExternalKey,
		d.DeviceKeyPeriod,
	).Scan(&rc.Municipality.Code, &rc.Municipality.Name)
	if err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == codeUniqueViolation && pgErr.ConstraintName == "reports_reference_key" {
			return rc, report.ErrReferenceTaken
		}
		return rc, translate(err)
	}
	if c := d.Contact; c != nil && !c.Empty() {
		if _, err := tx.Exec(ctx, insertContactSQL, d.ID, c.Name, c.Email, c.Phone); err != nil {
			return rc, err
		}
	}
	_, err = tx.Exec(ctx, insertEventSQL, d.ID, actor, actorKind, report.EventCreated, "", d.Status, "", true)
	return rc, err
}

// Who follows a report: the reporter (its own token), a resident who
// confirmed it (the confirmation's token, wherever a merge has moved the
// confirmation since), and the reporter of a duplicate merged into it: a merge
// moves followers to the kept report, and an un-merge takes them back, since
// all three follow from where the rows point now.
const followUpSQL = `
SELECT r.id, r.reference, r.kind, r.category, r.status, r.visibility, r.municipality_code, m.name,
       r.observed_at, r.received_at, r.updated_at, r.duplicate_of
FROM reports r JOIN municipalities m ON m.code = r.municipality_code
WHERE r.id = $1 AND (r.follow_up_hash = $2
   OR EXISTS (SELECT 1 FROM report_confirmations c
              WHERE c.follow_up_hash = $2 AND (c.report_id = r.id OR c.merged_from @> ARRAY[r.id]))
   OR EXISTS (SELECT 1 FROM reports d WHERE d.duplicate_of = r.id AND d.follow_up_hash = $2))`

const publicEventsSQL = `
SELECT id, at, type, actor_kind, coalesce(from_status, ''), coalesce(to_status, ''), coalesce(note, ''), public
FROM report_events WHERE report_id = $1 AND public ORDER BY id`

const keptSQL = `SELECT id, reference, status, updated_at FROM reports WHERE id = $1`

// FollowUp returns a report's public view to one of its followers. A
// duplicate's view carries the kept report's state and public history, so its
// followers see the kept report progress.
func (db *DB) FollowUp(ctx context.Context, id uuid.UUID, tokenHash []byte) (report.FollowUpView, error) {
	var v report.FollowUpView
	err := db.Pool.QueryRow(ctx, followUpSQL, id, tokenHash).Scan(&v.ID, &v.Reference, &v.Kind, &v.Category,
		&v.Status, &v.Visibility, &v.Municipality.Code, &v.Municipality.Name, &v.ObservedAt, &v.ReceivedAt,
		&v.UpdatedAt, &v.DuplicateOf)
	if errors.Is(err, pgx.ErrNoRows) {
		return v, apperr.Errorf(apperr.NotFound, "no report with that id and follow-up token")
	}
	if err != nil {
		return v, err
	}
	if v.History, err = db.events(ctx, publicEventsSQL, id); err != nil {
		return v, err
	}
	if v.Status != report.Duplicate || v.DuplicateOf == nil {
		return v, nil
	}
	k := &report.KeptView{}
	if err := db.Pool.QueryRow(ctx, keptSQL, *v.DuplicateOf).Scan(&k.ID, &k.Reference, &k.Status, &k.UpdatedAt); err != nil {
		return v, err
	}
	if k.History, err = db.events(ctx, publicEventsSQL, k.ID); err != nil {
		return v, err
	}
	v.Kept = k
	return v, nil
}

func (db *DB) events(ctx context.Context, query string, id uuid.UUID) ([]report.Event, error) {
	rows, err := db.Pool.Query(ctx, query, id)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (report.Event, error) {
		var e report.Event
		err := r.Scan(&e.ID, &e.At, &e.Type, &e.ActorKind, &e.FromStatus, &e.ToStatus, &e.Note, &e.Public)
		return e, err
	})
}
