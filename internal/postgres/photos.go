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
}

const (
	// The report row is locked so that two uploads racing for the last free slot
	// are counted one after the other.
	lockReportForPhotoSQL = `SELECT id FROM reports WHERE id = $1 AND follow_up_hash = $2 FOR UPDATE`
	photoCountSQL         = `SELECT count(*) FROM photos WHERE report_id = $1`
	samePhotoSQL          = `SELECT id, content_type, width, height FROM photos WHERE report_id = $1 AND sha256 = $2`
	insertPhotoSQL        = `
INSERT INTO photos (id, report_id, content_type, width, height, sha256, bytes)
VALUES ($1, $2, $3, $4, $5, $6, $7)`
	photoByIDSQL = `
SELECT p.id, p.report_id, p.content_type, p.width, p.height, p.sha256, p.bytes, r.visibility, r.municipality_code
FROM photos p JOIN reports r ON r.id = p.report_id
WHERE p.id = $1 AND p.report_id = $2`
	reportOfTokenSQL = `SELECT true FROM reports WHERE id = $1 AND follow_up_hash = $2`
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
		err := tx.QueryRow(ctx, samePhotoSQL, reportID, p.SHA256[:]).Scan(&ref.ID, &ref.ContentType, &ref.Width, &ref.Height)
		if err == nil {
			return nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, photoCountSQL, reportID).Scan(&n); err != nil {
			return err
		}
		if n >= max {
			return &apperr.Error{Kind: apperr.Conflict, Message: "this report already has the most photos allowed",
				Details: map[string]int{"max_photos": max}}
		}
		ref = report.PhotoRef{ID: uuid.New(), ContentType: p.ContentType, Width: p.Width, Height: p.Height}
		if _, err := tx.Exec(ctx, insertPhotoSQL, ref.ID, reportID, p.ContentType, p.Width, p.Height, p.SHA256[:], p.Bytes); err != nil {
			return err
		}
		created = true
		_, err = tx.Exec(ctx, insertEventSQL, reportID, "resident", "resident", report.EventPhoto, "", "", "", true)
		return err
	})
	return ref, created, err
}

// Photo reads one photo of one report, with what decides who may see it.
func (db *DB) Photo(ctx context.Context, reportID, photoID uuid.UUID) (StoredPhoto, error) {
	var sp StoredPhoto
	err := db.Pool.QueryRow(ctx, photoByIDSQL, photoID, reportID).Scan(&sp.ID, &sp.ReportID, &sp.ContentType,
		&sp.Width, &sp.Height, &sp.SHA256, &sp.Bytes, &sp.Visibility, &sp.Municipality)
	if errors.Is(err, pgx.ErrNoRows) {
		return sp, apperr.Errorf(apperr.NotFound, "no such photo")
	}
	return sp, err
}
