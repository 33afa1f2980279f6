package postgres

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/photo"
	"github.com/trygg/trygg/internal/report"
)

// StoredPhoto is a photo as read back: the cleaned bytes and what decides who may
// see them (the report's moderation state and municipality).
type StoredPhoto struct {
	report.PhotoRef
	ReportID     uuid.UUID
	SHA256       []byte
	Bytes        []byte
	Visibility   report.Visibility
	Municipality string
	// Own is the photo's own moderation (a confirmation's photo); empty when
	// it follows the report's.
	Own    report.Visibility
	Source string
}

// Public tells whether anyone may see the photo: its report is published and
// the photo itself, when it is moderated on its own, too.
func (sp StoredPhoto) Public() bool {
	return sp.Visibility == report.Published && (sp.Own == "" || sp.Own == report.Published)
}

const (
	// The report row is locked so that two uploads racing for the last free slot
	// are counted one after the other.
	lockReportForPhotoSQL = `SELECT id FROM reports WHERE id = $1 AND follow_up_hash = $2 FOR UPDATE`
	lockReportByIDSQL     = `SELECT id FROM reports WHERE id = $1 FOR UPDATE`
	// Photos sent with confirmations have a limit of their own (one each).
	photoCountSQL  = `SELECT count(*) FROM photos WHERE report_id = $1 AND confirmation_id IS NULL`
	samePhotoSQL   = `SELECT id, content_type, width, height FROM photos WHERE report_id = $1 AND sha256 = $2 AND confirmation_id IS NULL`
	insertPhotoSQL = `
INSERT INTO photos (id, report_id, content_type, width, height, sha256, bytes, confirmation_id, visibility)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`
	// A photo moved by a merge is still found under the reports it came from.
	photoByIDSQL = `
SELECT p.id, p.report_id, p.content_type, p.width, p.height, p.sha256, p.bytes, r.visibility, r.municipality_code,
       coalesce(p.visibility, ''), r.source
FROM photos p JOIN reports r ON r.id = p.report_id
WHERE p.id = $1 AND (p.report_id = $2 OR p.merged_from @> ARRAY[$2::uuid])`
	reportOfTokenSQL = `SELECT true FROM reports WHERE id = $1 AND follow_up_hash = $2`
	// bumpWithEventSQL records an event that changes what staff see of a report
	// (a photo, a confirmation) as a new version, so the staff view's ETag and
	// If-Match notice it.
	bumpWithEventSQL = `
WITH v AS (UPDATE reports SET version = version + 1 WHERE id = $1 RETURNING version)
INSERT INTO report_events (report_id, actor, actor_kind, type, public, data)
SELECT $1, $2, $3, $4, $5, coalesce($6::jsonb, '{}'::jsonb) || jsonb_build_object('version', v.version) FROM v`
)

// CheckFollowUpToken tells whether tokenHash is the follow-up token of the
// report, so that an upload can be refused before it is read and decoded. A
// wrong token reads as a missing report.
func (db *DB) CheckFollowUpToken(ctx context.Context, reportID uuid.UUID, tokenHash []byte) error {
	var ok bool
	err := db.Pool.QueryRow(ctx, reportOfTokenSQL, reportID, tokenHash).Scan(&ok)
	if errors.Is(err, pgx.ErrNoRows) {
		return apperr.Errorf(apperr.NotFound, "no report with that id and follow-up token")
	}
	return err
}

// AddPhoto stores a cleaned photo on the report whose follow-up token hashes to
// tokenHash, with a public "photo" event, in one transaction. The same picture
// uploaded again (a retry: cleaning is deterministic) returns the stored one and
// created=false. More than max photos is a conflict.
func (db *DB) AddPhoto(ctx context.Context, reportID uuid.UUID, tokenHash []byte, p photo.Photo, max int) (ref report.PhotoRef, created bool, err error) {
	err = db.InTx(ctx, func(tx pgx.Tx) error {
		var id uuid.UUID
		if err := tx.QueryRow(ctx, lockReportForPhotoSQL, reportID, tokenHash).Scan(&id); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return apperr.Errorf(apperr.NotFound, "no report with that id and follow-up token")
			}
			return err
		}
		ref, created, err = storePhoto(ctx, tx, reportID, p, max, "resident", "resident")
		return err
	})
	return ref, created, err
}

// AddStaffPhoto stores a cleaned photo on a report for staff (a walk's
// observation), by the same rules as AddPhoto; the event names the actor.
func (db *DB) AddStaffPhoto(ctx context.Context, reportID uuid.UUID, actor string, p photo.Photo, max int) (ref report.PhotoRef, created bool, err error) {
	err = db.InTx(ctx, func(tx pgx.Tx) error {
		var id uuid.UUID
		if err := tx.QueryRow(ctx, lockReportByIDSQL, reportID).Scan(&id); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return apperr.Errorf(apperr.NotFound, "no such report")
			}
			return err
		}
		ref, created, err = storePhoto(ctx, tx, reportID, p, max, actor, "staff")
		return err
	})
	return ref, created, err
}

// storePhoto adds p to the locked report unless the same picture is there.
func storePhoto(ctx context.Context, tx pgx.Tx, reportID uuid.UUID, p photo.Photo, max int, actor, actorKind string) (ref report.PhotoRef, created bool, err error) {
	err = tx.QueryRow(ctx, samePhotoSQL, reportID, p.SHA256[:]).Scan(&ref.ID, &ref.ContentType, &ref.Width, &ref.Height)
	if err == nil {
		return ref, false, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return ref, false, err
	}
	var n int
	if err := tx.QueryRow(ctx, photoCountSQL, reportID).Scan(&n); err != nil {
		return ref, false, err
	}
	if n >= max {
		return ref, false, &apperr.Error{Kind: apperr.Conflict, Message: "this report already has the most photos allowed",
			Details: map[string]int{"max_photos": max}}
	}
	ref = report.PhotoRef{ID: uuid.New(), ContentType: p.ContentType, Width: p.Width, Height: p.Height}
	if _, err := tx.Exec(ctx, insertPhotoSQL, ref.ID, reportID, p.ContentType, p.Width, p.Height, p.SHA256[:], p.Bytes, nil, nil); err != nil {
		return ref, false, err
	}
	return ref, true, bumpWithEvent(ctx, tx, reportID, actor, actorKind, report.EventPhoto, true, nil)
}

// bumpWithEvent gives the report a new version and records the event that made it.
func bumpWithEvent(ctx context.Context, tx pgx.Tx, reportID uuid.UUID, actor, actorKind, typ string, public bool, data map[string]any) error {
	var arg any // a nil map would be JSON null, not SQL NULL
	if data != nil {
		arg = data
	}
	_, err := tx.Exec(ctx, bumpWithEventSQL, reportID, actor, actorKind, typ, public, arg)
	return err
}

// Photo reads one photo of one report, with what decides who may see it.
func (db *DB) Photo(ctx context.Context, reportID, photoID uuid.UUID) (StoredPhoto, error) {
	var sp StoredPhoto
	err := db.Pool.QueryRow(ctx, photoByIDSQL, photoID, reportID).Scan(&sp.ID, &sp.ReportID, &sp.ContentType,
		&sp.Width, &sp.Height, &sp.SHA256, &sp.Bytes, &sp.Visibility, &sp.Municipality, &sp.Own, &sp.Source)
	if errors.Is(err, pgx.ErrNoRows) {
		return sp, apperr.Errorf(apperr.NotFound, "no such photo")
	}
	return sp, err
}

const (
	lockPhotoSQL = `
SELECT coalesce(p.visibility, '') FROM photos p JOIN reports r ON r.id = p.report_id
WHERE p.id = $1 AND p.report_id = $2 AND r.municipality_code = ANY ($3)
FOR UPDATE OF p, r`
	setPhotoVisibilitySQL = `UPDATE photos SET visibility = $2 WHERE id = $1`
	reportVersionSQL      = `SELECT version FROM reports WHERE id = $1`
)

// SetPhotoVisibility moderates one photo of a report in scope on its own,
// as a new version of the report with a staff event. version is the
// client's If-Match on the report, or 0. Setting what it already has
// changes nothing.
func (db *DB) SetPhotoVisibility(ctx context.Context, reportID, photoID uuid.UUID, scope []string, version int,
	to report.Visibility, actor string) error {
	return db.InTx(ctx, func(tx pgx.Tx) error {
		var from report.Visibility
		err := tx.QueryRow(ctx, lockPhotoSQL, photoID, reportID, scope).Scan(&from)
		if errors.Is(err, pgx.ErrNoRows) {
			return apperr.Errorf(apperr.NotFound, "no photo %s on a report %s in your municipalities", photoID, reportID)
		}
		if err != nil {
			return err
		}
		var cur int
		if err := tx.QueryRow(ctx, reportVersionSQL, reportID).Scan(&cur); err != nil {
			return err
		}
		if version != 0 && version != cur {
			return report.ErrStale
		}
		if from == to {
			return nil
		}
		if _, err := tx.Exec(ctx, setPhotoVisibilitySQL, photoID, to); err != nil {
			return err
		}
		return bumpWithEvent(ctx, tx, reportID, actor, "staff", report.EventPhotoVisibility, false,
			map[string]any{"photo": photoID, "from": from, "to": to})
	})
}
