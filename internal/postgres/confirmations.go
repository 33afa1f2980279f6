package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/report"
)

const (
	// FOR UPDATE serialises confirmations of one report, so the count each
	// sender is told is the count right after its own confirmation.
	confirmableSQL = `
SELECT kind, status, visibility, reference, coalesce(device_hash = ANY($2::bytea[]), false)
FROM reports WHERE id = $1 FOR UPDATE`
	existingConfirmationSQL = `
SELECT id, coalesce(feeling, 0), created_at FROM report_confirmations WHERE report_id = $1 AND device_hash = ANY($2::bytea[])`
	insertConfirmationSQL = `
INSERT INTO report_confirmations (id, report_id, device_hash, feeling, device_key_period, follow_up_hash)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (report_id, device_hash) DO NOTHING
RETURNING created_at`
	countConfirmationSQL = `UPDATE reports SET confirmations = confirmations + 1 WHERE id = $1 RETURNING confirmations`
	confirmationPhotoSQL = `
SELECT id, content_type, width, height, coalesce(visibility, '') FROM photos WHERE confirmation_id = $1`
	confirmationCountSQL = `SELECT confirmations FROM reports WHERE id = $1`
)

// ConfirmReport records a device's confirmation of a report exactly once per
// idempotency key and once per device. created is false when the device had
// confirmed before: the answer is then its first confirmation, nothing is counted.
func (db *DB) ConfirmReport(ctx context.Context, n report.NewConfirmation, idem report.Idempotency) (report.Confirmation, bool, error) {
	status, body, err := db.ClaimIdempotencyKey(ctx, idem, func(tx pgx.Tx) (int, []byte, error) {
		c, created, err := confirm(ctx, tx, n)
		if err != nil {
			return 0, nil, err
		}
		b, err := json.Marshal(c)
		if created {
			return http.StatusCreated, b, err
		}
		return http.StatusOK, b, err
	})
	if err != nil {
		return report.Confirmation{}, false, err
	}
	var c report.Confirmation
	return c, status == http.StatusCreated, json.Unmarshal(body, &c)
}

func confirm(ctx context.Context, tx pgx.Tx, n report.NewConfirmation) (report.Confirmation, bool, error) {
	c := report.Confirmation{ReportID: n.ReportID}
	var st report.Confirmable
	err := tx.QueryRow(ctx, confirmableSQL, n.ReportID, deviceCandidates(n)).Scan(&st.Kind, &st.Status, &st.Visibility, &c.Reference, &st.OwnDevice)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && st.Visibility != report.Published) {
		return c, false, apperr.Errorf(apperr.NotFound, "no published report with that id")
	}
	if err != nil {
		return c, false, err
	}
	// A device that confirmed before gets its first confirmation back, even if
	// the report has moved on since (resolved, say).
	if found, err := existingConfirmation(ctx, tx, &c, deviceCandidates(n)); err != nil || found {
		return c, false, err
	}
	if err := report.CheckConfirmation(n, st); err != nil {
		return c, false, err
	}
	id, err := uuid.NewRandom()
	if err != nil {
		return c, false, err
	}
	err = tx.QueryRow(ctx, insertConfirmationSQL, id, n.ReportID, n.DeviceHash, n.Feeling, n.DeviceKeyPeriod, n.FollowUpHash).Scan(&c.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		// The same device, under another idempotency key, won a race with us.
		found, err := existingConfirmation(ctx, tx, &c, deviceCandidates(n))
		if err == nil && !found {
			err = apperr.Errorf(apperr.Conflict, "the confirmation changed while it was being recorded; retry")
		}
		return c, false, err
	}
	if err != nil {
		return c, false, translate(err)
	}
	c.ID = id
	if n.Feeling != nil {
		c.Feeling = *n.Feeling
	}
	if err := tx.QueryRow(ctx, countConfirmationSQL, n.ReportID).Scan(&c.Confirmations); err != nil {
		return c, false, err
	}
	c.FollowUpToken = n.FollowUpToken
	var data map[string]any
	if p := n.Photo; p != nil {
		ref := report.PhotoRef{ID: uuid.New(), ContentType: p.ContentType, Width: p.Width, Height: p.Height,
			Visibility: report.Pending, ConfirmationID: &id}
		if _, err := tx.Exec(ctx, insertPhotoSQL, ref.ID, n.ReportID, p.ContentType, p.Width, p.Height,
			p.SHA256[:], p.Bytes, id, report.Pending); err != nil {
			return c, false, err
		}
		ref.URL = "/v1/reports/" + n.ReportID.String() + "/photos/" + ref.ID.String()
		c.Photo, data = &ref, map[string]any{"photo": ref.ID}
	}
	// The event says that someone confirmed, never who: no device, no feeling.
	// It is a new version of the report, as staff see it.
	return c, true, bumpWithEvent(ctx, tx, n.ReportID, "resident", "resident", report.EventConfirmation, true, data)
}

// existingConfirmation fills c with the device's earlier confirmation, if any.
func existingConfirmation(ctx context.Context, tx pgx.Tx, c *report.Confirmation, device [][]byte) (bool, error) {
	err := tx.QueryRow(ctx, existingConfirmationSQL, c.ReportID, device).Scan(&c.ID, &c.Feeling, &c.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	var ref report.PhotoRef
	err = tx.QueryRow(ctx, confirmationPhotoSQL, c.ID).Scan(&ref.ID, &ref.ContentType, &ref.Width, &ref.Height, &ref.Visibility)
	switch {
	case err == nil:
		ref.ConfirmationID = &c.ID
		ref.URL = "/v1/reports/" + c.ReportID.String() + "/photos/" + ref.ID.String()
		c.Photo = &ref
	case !errors.Is(err, pgx.ErrNoRows):
		return false, err
	}
	return true, tx.QueryRow(ctx, confirmationCountSQL, c.ReportID).Scan(&c.Confirmations)
}

// deviceCandidates are the stored forms the confirming device may have: its
// hash under the current key and under the previous period's key.
func deviceCandidates(n report.NewConfirmation) [][]byte {
	out := [][]byte{n.DeviceHash}
	if n.DevicePrevious != nil {
		out = append(out, n.DevicePrevious)
	}
	return out
}
