// Package auth is who may do what: staff bearer tokens (only their hash is
// stored), roles, and the municipalities a token is scoped to. A token sees
// nothing outside its municipalities, whatever its role.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
)

// Role is a staff role.
type Role string

const (
	Caseworker Role = "caseworker"
	Analyst    Role = "analyst"
	Planner    Role = "planner"
	Police     Role = "police"
	Admin      Role = "admin"
)

// Roles lists every role.
var Roles = []Role{Caseworker, Analyst, Planner, Police, Admin}

// ParseRole checks a role name.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if slices.Contains(Roles, r) {
		return r, nil
	}
	return "", apperr.Errorf(apperr.Invalid, "unknown role %q (caseworker, analyst, planner, police, admin)", s)
}

// Principal is an authenticated staff member's token.
type Principal struct {
	TokenID        uuid.UUID
	Name           string
	Role           Role
	Municipalities []string
}

// Actor is how the principal appears in history.
func (p Principal) Actor() string { return string(p.Role) + ":" + p.Name }

// Permission names an action; each lists the roles that may take it.
type Permission []Role

// Permissions of the staff API.
var (
	ReadReports    = Permission{Caseworker, Police, Admin}
	ManageReports  = Permission{Caseworker, Admin}
	ReadAnalytics  = Permission{Analyst, Planner, Police, Caseworker, Admin}
	PlanWalks      = Permission{Planner, Caseworker, Police, Admin}
	ManagePromises = Permission{Analyst, Caseworker, Police, Admin}
	Administer     = Permission{Admin}
)

// Require returns Forbidden unless the principal's role has the permission.
func (p Principal) Require(perm Permission) error {
	if slices.Contains(perm, p.Role) {
		return nil
	}
	return apperr.Errorf(apperr.Forbidden, "role %s may not do this", p.Role)
}

// Covers reports whether the token is scoped to municipality code.
func (p Principal) Covers(code string) bool { return slices.Contains(p.Municipalities, code) }

// RequireMunicipality returns Forbidden unless the token covers code.
func (p Principal) RequireMunicipality(code string) error {
	if p.Covers(code) {
		return nil
	}
	return apperr.Errorf(apperr.Forbidden, "this token is not scoped to municipality %s", code)
}

// TokenPrefix marks trygg staff tokens so leaked ones are easy to find in logs
// and by secret scanners.
const TokenPrefix = "trg_"

// NewToken returns a fresh secret token and the hash to store.
func NewToken() (token string, hash []byte) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	token = TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken is the stored form of a token (256 random bits need no slow hash).
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// ParseMunicipalities splits "1781,1782" into kommunkoder, checking each.
func ParseMunicipalities(s string) ([]string, error) {
	var out []string
	for _, c := range strings.Split(s, ",") {
		c = strings.TrimSpace(c)
		if len(c) != 4 || strings.Trim(c, "0123456789") != "" {
			return nil, apperr.Errorf(apperr.Invalid, "%q is not a four-digit kommunkod", c)
		}
		out = append(out, c)
	}
	return out, nil
}

// Store keeps tokens.
type Store interface {
	CreateToken(ctx context.Context, name string, role Role, municipalities []string, hash []byte) (uuid.UUID, error)
	RevokeToken(ctx context.Context, id uuid.UUID) error
	PrincipalByTokenHash(ctx context.Context, hash []byte) (Principal, error)
}

type ctxKey struct{}

// WithPrincipal stores the principal in a context.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// FromContext returns the principal of an authenticated request.
func FromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(ctxKey{}).(Principal)
	return p, ok
}
