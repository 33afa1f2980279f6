package httpapi

import (
	"context"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/open311"
	"github.com/trygg/trygg/internal/postgres"
	"github.com/trygg/trygg/internal/report"
)

// The write side of Open311: POST requests, through the reporting core.

// open311Store is the reporting core's store for one Open311 POST: the report
// is written by CreateOpen311Report, which also recognises a client's retry.
type open311Store struct {
	*postgres.DB
	retry open311.Retry
}

func (s open311Store) CreateReport(ctx context.Context, d report.Draft, _ report.Idempotency) (report.Receipt, error) {
	return s.DB.CreateOpen311Report(ctx, d, s.retry)
}

var _ report.Store = open311Store{}

// errNoKey is the specification's 403 for a POST without a usable api_key.
var errNoKey = apperr.Errorf(apperr.Forbidden, "api_key was not provided; ask the municipality for one")

func (o *open311API) create(c *gin.Context) {
	f := pathFormat(c)
	ctx := c.Request.Context()
	sub, err := o.readSubmission(c)
	if err != nil {
		open311Fail(c, f, err)
		return
	}
	if !o.s.limiter.allow("ip:"+c.ClientIP(), deviceKey(sub.DeviceID)) {
		open311Fail(c, f, apperr.Errorf(apperr.RateLimited, "too many requests from this client; retry later"))
		return
	}
	retry := open311.Retry{FieldsHash: sub.Fingerprint()}
	switch {
	case sub.APIKey != "":
		if retry.APIKeyID, err = o.s.db.APIKeyID(ctx, open311.HashAPIKey(sub.APIKey)); err != nil {
			open311Fail(c, f, err)
			return
		}
	case o.s.cfg.Open311KeyRequired:
		open311Fail(c, f, errNoKey)
		return
	}
	if err := o.jurisdiction(ctx, sub.JurisdictionID); err != nil {
		open311Fail(c, f, err)
		return
	}
	if sub.ServiceCode == "" {
		open311Fail(c, f, apperr.Field("service_code", "service_code is required; GET services lists them"))
		return
	}
	cat, err := o.service(ctx, sub.ServiceCode)
	if e, ok := apperr.As(err); ok && e.Kind == apperr.NotFound {
		// For POST the specification lists no 404 for a service code: it is a bad request.
		err = apperr.Field("service_code", "%s", e.Message)
	}
	if err != nil {
		open311Fail(c, f, err)
		return
	}
	n, err := sub.ToReport(cat)
	if err == nil && sub.JurisdictionID != "" {
		err = o.sameJurisdiction(ctx, sub.JurisdictionID, n.Location)
	}
	if err != nil {
		open311Fail(c, f, err)
		return
	}
	dev, err := o.s.keys.Hash(ctx, sub.DeviceID) // the same keyed hash as X-Device-Id of the native API
	if err != nil {
		open311Fail(c, f, err)
		return
	}
	n.DeviceHash, n.DeviceKeyPeriod = dev.Current, dev.Period
	retry.DeviceHash, retry.DevicePrevious, retry.DeviceKeyPeriod = dev.Current, dev.Previous, dev.Period
	svc := &report.Service{Store: open311Store{DB: o.s.db, retry: retry}, Now: o.s.now}
	rc, err := svc.Create(ctx, n, report.Idempotency{})
	if err != nil {
		open311Fail(c, f, err)
		return
	}
	if rc.FollowUpToken != "" { // a retry's receipt has none: nothing new was stored
		o.s.Metrics.ReportsAccepted.WithLabelValues(n.Kind, report.SourceOpen311).Inc()
	}
	out := open311.Created{ServiceRequestID: rc.Reference, Token: rc.ID.String(), ServiceNotice: notice(language(c)),
		AccountID: open311.Optional(sub.AccountID)}
	list := []open311.Created{out}
	respond(c, http.StatusCreated, f, list, open311.CreatedRequests{Requests: list})
}

// readSubmission reads a form-encoded (or multipart) body under the native body
// limit. Parameters in the query string count too: some clients send api_key there.
func (o *open311API) readSubmission(c *gin.Context) (open311.Submission, error) {
	limit := o.s.cfg.BodyLimit
	if c.Request.ContentLength > limit {
		return open311.Submission{}, apperr.Errorf(apperr.TooLarge, "request body is larger than %d bytes", limit)
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	err := c.Request.ParseMultipartForm(limit)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return open311.Submission{}, apperr.Errorf(apperr.TooLarge, "request body is larger than %d bytes", limit)
	case err != nil && !errors.Is(err, http.ErrNotMultipart):
		return open311.Submission{}, apperr.Errorf(apperr.Invalid, "the body must be application/x-www-form-urlencoded (or multipart/form-data): %v", err)
	}
	return open311.DecodeForm(c.Request.Form)
}

func deviceKey(id string) string {
	if id == "" {
		return ""
	}
	if len(id) > 128 {
		id = id[:128]
	}
	return "dev:" + id
}

// sameJurisdiction refuses a point outside the municipality the client named.
func (o *open311API) sameJurisdiction(ctx context.Context, code string, l *report.Location) error {
	m, err := o.s.db.Locate(ctx, l.Lat, l.Lon)
	if apperr.KindOf(err) == apperr.NotFound {
		return apperr.Field("lat", "lat/long is outside every Swedish municipality")
	}
	if err != nil {
		return err
	}
	if m.Code != code {
		return apperr.Field("lat", "lat/long lies in %s (%s), not in jurisdiction_id %s", m.Name, m.Code, code)
	}
	return nil
}

func notice(lang string) string {
	if lang == "en" {
		return "Thank you. Your report has been received; it is reviewed before it is shown publicly."
	}
	return "Tack! Din anmälan har tagits emot och granskas innan den visas offentligt."
}
