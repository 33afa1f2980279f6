package httpapi

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/privacy"
	"github.com/trygg/trygg/internal/report"
)

// idempotencyKey reads the required Idempotency-Key header.
func idempotencyKey(c *gin.Context) (string, error) {
	k := c.GetHeader("Idempotency-Key")
	if len(k) < 8 || len(k) > 128 {
		return "", apperr.Field("Idempotency-Key", "header Idempotency-Key is required: 8 to 128 characters, e.g. a UUID made once per report and reused on every retry")
	}
	for _, r := range k {
		if r < 0x21 || r > 0x7e {
			return "", apperr.Field("Idempotency-Key", "header Idempotency-Key must be printable ASCII without spaces")
		}
	}
	return k, nil
}

// readBody reads a capped body, reporting an over-long one as 413.
func readBody(c *gin.Context) ([]byte, error) {
	b, err := io.ReadAll(c.Request.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, apperr.Errorf(apperr.TooLarge, "request body is larger than %d bytes", tooBig.Limit)
	}
	return b, err
}

// deviceHash keeps the app's device id only as a keyed hash (privacy.DeviceKeys).
func (s *Server) deviceHash(c *gin.Context) (privacy.DeviceHash, error) {
	return s.keys.Hash(c.Request.Context(), c.GetHeader("X-Device-Id"))
}

func (s *Server) createReport(c *gin.Context) {
	key, err := idempotencyKey(c)
	if err != nil {
		fail(c, err)
		return
	}
	body, err := readBody(c)
	if err != nil {
		fail(c, err)
		return
	}
	n, err := report.DecodeNew(bytes.NewReader(body))
	if err != nil {
		fail(c, err)
		return
	}
	n.Source = report.SourceApp
	if c.GetHeader("X-Trygg-Client") == "web" {
		n.Source = report.SourceWeb
	}
	dev, err := s.deviceHash(c)
	if err != nil {
		fail(c, err)
		return
	}
	n.DeviceHash, n.DeviceKeyPeriod = dev.Current, dev.Period
	h := sha256.Sum256(n.Canonical())
	rc, err := s.reports.Create(c.Request.Context(), n, report.Idempotency{Scope: "report", Key: key, RequestHash: h[:]})
	if err != nil {
		fail(c, err)
		return
	}
	s.Metrics.ReportsAccepted.WithLabelValues(n.Kind, n.Source).Inc()
	c.Header("Location", "/v1/reports/"+rc.ID.String())
	c.JSON(http.StatusCreated, rc)
}

// parseID reads a UUID path parameter.
func parseID(c *gin.Context, name string) (uuid.UUID, bool) {
	id, err := uuid.Parse(c.Param(name))
	if err != nil {
		fail(c, apperr.Field(name, "%s must be a UUID", name))
		return id, false
	}
	return id, true
}

func (s *Server) followUp(c *gin.Context) {
	id, ok := parseID(c, "id")
	if !ok {
		return
	}
	token := c.GetHeader("X-Follow-Up-Token")
	if token == "" {
		token = c.Query("token")
	}
	v, err := s.reports.FollowUp(c.Request.Context(), id, token)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, v)
}
