package postgres

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/auth"
)

// CreateToken stores a token's hash; the token itself is never stored.
func (db *DB) CreateToken(ctx context.Context, name string, role auth.Role, munis []string, hash []byte) (uuid.UUID, error) {
	id := uuid.New()
	var unknown []string
	err := db.Pool.QueryRow(ctx, `SELECT coalesce(array_agg(c), '{}') FROM unnest($1::text[]) c WHERE c NOT IN (SELECT code FROM municipalities)`, munis).Scan(&unknown)
	if err != nil {
		return id, err
	}
	if len(unknown) > 0 {
		return id, apperr.Errorf(apperr.Invalid, "unknown municipalities: %v", unknown)
	}
	_, err = db.Pool.Exec(ctx, `INSERT INTO api_tokens (id, name, role, municipalities, token_hash) VALUES ($1, $2, $3, $4, $5)`,
		id, name, role, munis, hash)
	return id, err
}

// RevokeToken makes a token unusable from now on.
func (db *DB) RevokeToken(ctx context.Context, id uuid.UUID) error {
	tag, err := db.Pool.Exec(ctx, `UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, id)
	if err == nil && tag.RowsAffected() == 0 {
		return apperr.Errorf(apperr.NotFound, "no active token with id %s", id)
	}
	return err
}

// PrincipalByTokenHash finds the active token with this hash.
func (db *DB) PrincipalByTokenHash(ctx context.Context, hash []byte) (auth.Principal, error) {
	var p auth.Principal
	err := db.Pool.QueryRow(ctx, `
UPDATE api_tokens SET last_used_at = now()
WHERE token_hash = $1 AND revoked_at IS NULL
  AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
RETURNING id, name, role, municipalities`, hash).Scan(&p.TokenID, &p.Name, &p.Role, &p.Municipalities)
	if errors.Is(err, pgx.ErrNoRows) {
		// Either unknown/revoked, or used within the last minute (not rewritten).
		err = db.Pool.QueryRow(ctx, `SELECT id, name, role, municipalities FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL`, hash).
			Scan(&p.TokenID, &p.Name, &p.Role, &p.Municipalities)
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return p, apperr.Errorf(apperr.Unauthorized, "the bearer token is unknown or revoked")
	}
	return p, err
}
