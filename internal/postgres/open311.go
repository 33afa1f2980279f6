package postgres

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/open311"
	"github.com/trygg/trygg/internal/report"
)

const (
	createAPIKeySQL = `INSERT INTO api_keys (id, name, key_hash) VALUES ($1, $2, $3)`
	revokeAPIKeySQL = `UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`
	apiKeyIDSQL     = `SELECT id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`
	municipalitySQL = `SELECT EXISTS (SELECT 1 FROM municipalities WHERE code = $1)`

	// retryLockSQL serialises two copies of one submission arriving together, so
	// the second waits for the first to commit and then finds it.
	retryLockSQL = `SELECT pg_advisory_xact_lock(hashtextextended(encode($1::bytea || $2::bytea, 'hex'), 311))`
	findRetrySQL = `
SELECT r.id, r.reference, r.status, r.municipality_code, m.name
FROM open311_submissions s
JOIN reports r ON r.id = s.report_id
JOIN municipalities m ON m.code = r.municipality_code
WHERE s.device_hash = ANY($1::bytea[]) AND s.fields_hash = $2 AND s.created_at > now() - make_interval(secs => $3)
ORDER BY s.created_at DESC LIMIT 1`
	insertSubmissionSQL = `
INSERT INTO open311_submissions (report_id, api_key_id, device_hash, fields_hash, device_key_period)
VALUES ($1, $2, $3, $4, CASE WHEN $3::bytea IS NULL THEN NULL ELSE $5::integer END)`

	tokenSQL = `SELECT reference FROM reports WHERE id = $1 AND source = 'open311'`
)

// CreateAPIKey stores a client app's key hash under a name; the key itself is
// never stored.
func (db *DB) CreateAPIKey(ctx context.Context, name string, hash []byte) (uuid.UUID, error) {
	id := uuid.New()
	_, err := db.Pool.Exec(ctx, createAPIKeySQL, id, name, hash)
	return id, translate(err)
}

// RevokeAPIKey makes a key unusable from now on.
func (db *DB) RevokeAPIKey(ctx context.Context, id uuid.UUID) error {
	tag, err := db.Pool.Exec(ctx, revokeAPIKeySQL, id)
	if err == nil && tag.RowsAffected() == 0 {
		return apperr.Errorf(apperr.NotFound, "no active api key with id %s", id)
	}
	return err
}

// APIKeyID finds the active key with this hash; a wrong or revoked key is Forbidden,
// the status Open311 names for a bad api_key.
func (db *DB) APIKeyID(ctx context.Context, hash []byte) (uuid.UUID, error) {
	var id uuid.UUID
	err := db.Pool.QueryRow(ctx, apiKeyIDSQL, hash).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return id, apperr.Errorf(apperr.Forbidden, "api_key is unknown or revoked")
	}
	return id, err
}

// MunicipalityExists reports whether code is a known kommunkod.
func (db *DB) MunicipalityExists(ctx context.Context, code string) (bool, error) {
	var ok bool
	err := db.Pool.QueryRow(ctx, municipalitySQL, code).Scan(&ok)
	return ok, err
}

// CreateOpen311Report stores a report that came in by Open311 POST requests,
// unless the same device sent the same fields within open311.RetryWindow: then
// the first report's receipt is returned and nothing is written. The receipt of
// a retry has no follow-up token, which only the first answer could carry.
func (db *DB) CreateOpen311Report(ctx context.Context, d report.Draft, retry open311.Retry) (report.Receipt, error) {
	var rc report.Receipt
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		if retry.DeviceHash != nil {
			if _, err := tx.Exec(ctx, retryLockSQL, retry.DeviceHash, retry.FieldsHash); err != nil {
				return err
			}
			err := tx.QueryRow(ctx, findRetrySQL, [][]byte{retry.DeviceHash, retry.DevicePrevious}, retry.FieldsHash, open311.RetryWindow.Seconds()).
				Scan(&rc.ID, &rc.Reference, &rc.Status, &rc.Municipality.Code, &rc.Municipality.Name)
			if err == nil {
				return nil
			}
			if !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
		}
		var err error
		if rc, err = insertReport(ctx, tx, d, "open311", "client"); err != nil {
			return err
		}
		var keyID *uuid.UUID
		if retry.APIKeyID != uuid.Nil {
			keyID = &retry.APIKeyID
		}
		_, err = tx.Exec(ctx, insertSubmissionSQL, d.ID, keyID, retry.DeviceHash, retry.FieldsHash, retry.DeviceKeyPeriod)
		return err
	})
	return rc, err
}

// RequestByToken resolves the token POST requests returned (the report's UUID)
// to its service_request_id.
func (db *DB) RequestByToken(ctx context.Context, token uuid.UUID) (string, error) {
	var ref string
	err := db.Pool.QueryRow(ctx, tokenSQL, token).Scan(&ref)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", apperr.Errorf(apperr.NotFound, "no service request has token %s", token)
	}
	return ref, err
}
