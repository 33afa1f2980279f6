package httpapi

import (
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/auth"
)

// authenticate requires a valid staff bearer token and puts its principal in the
// request context.
func (s *Server) authenticate(c *gin.Context) {
	h := c.GetHeader("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || strings.TrimSpace(token) == "" {
		c.Header("WWW-Authenticate", `Bearer realm="trygg"`)
		fail(c, apperr.Errorf(apperr.Unauthorized, "a staff bearer token is required (Authorization: Bearer trg_...)"))
		return
	}
	p, err := s.db.PrincipalByTokenHash(c.Request.Context(), auth.HashToken(strings.TrimSpace(token)))
	if err != nil {
		c.Header("WWW-Authenticate", `Bearer realm="trygg", error="invalid_token"`)
		fail(c, err)
		return
	}
	// A bad audit reason is refused before anything is read or changed.
	if _, err := auditReason(c); err != nil {
		fail(c, errBadReason)
		return
	}
	c.Request = c.Request.WithContext(auth.WithPrincipal(c.Request.Context(), p))
	c.Next()
}

// principal returns the caller and checks its role has perm.
func principal(c *gin.Context, perm auth.Permission) (auth.Principal, bool) {
	p, ok := auth.FromContext(c.Request.Context())
	if !ok {
		fail(c, apperr.Errorf(apperr.Unauthorized, "not authenticated"))
		return p, false
	}
	if err := p.Require(perm); err != nil {
		fail(c, err)
		return p, false
	}
	return p, true
}
