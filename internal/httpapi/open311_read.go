package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/category"
	"github.com/trygg/trygg/internal/open311"
)

// The read side of Open311: discovery, services and their definitions, public
// service requests and tokens.

func (o *open311API) discovery(c *gin.Context) {
	f := pathFormat(c)
	base := o.s.cfg.PublicURL
	if base == "" {
		scheme := "http"
		if c.Request.TLS != nil || c.GetHeader("X-Forwarded-Proto") == "https" {
			scheme = "https"
		}
		base = scheme + "://" + c.Request.Host
	}
	d := open311.Discovery{
		Changeset:  open311.Datetime(changeset),
		Contact:    "The municipality's trygg administrators: " + base,
		KeyService: "Ask the municipality for an api_key; administrators create one with `trygg apikey create --name APP`.",
		Endpoints: []open311.Endpoint{{
			Specification: open311.Spec, URL: base + "/open311/v2", Changeset: open311.Datetime(changeset),
			Type: "production", Formats: []string{"text/xml", "application/json"},
		}},
	}
	respond(c, http.StatusOK, f, d, d)
}

func (o *open311API) services(c *gin.Context) {
	f := pathFormat(c)
	ctx := c.Request.Context()
	if err := o.jurisdiction(ctx, c.Query("jurisdiction_id")); err != nil {
		open311Fail(c, f, err)
		return
	}
	cats, err := o.s.db.Categories(ctx)
	if err != nil {
		open311Fail(c, f, err)
		return
	}
	list := open311.ListServices(cats, language(c))
	c.Header("Vary", "Accept-Language")
	respond(c, http.StatusOK, f, list, open311.Services{Services: list})
}

// service finds the reportable category behind a service_code.
func (o *open311API) service(ctx context.Context, code string) (category.Category, error) {
	cats, err := o.s.db.Categories(ctx)
	if err != nil {
		return category.Category{}, err
	}
	for _, cat := range cats {
		if cat.Code == code && cat.Reportable() {
			return cat, nil
		}
	}
	return category.Category{}, apperr.Errorf(apperr.NotFound, "service_code %q was not found; GET services lists them", code)
}

func (o *open311API) definition(c *gin.Context) {
	code, f := formatOf(c.Param("code_format"))
	ctx := c.Request.Context()
	if f == "" {
		open311Fail(c, "xml", apperr.Errorf(apperr.NotFound, "add .json or .xml to the service_code"))
		return
	}
	if err := o.jurisdiction(ctx, c.Query("jurisdiction_id")); err != nil {
		open311Fail(c, f, err)
		return
	}
	cat, err := o.service(ctx, code)
	if err != nil {
		open311Fail(c, f, err)
		return
	}
	def := open311.Definition(cat, language(c))
	respond(c, http.StatusOK, f, def, def)
}

func (o *open311API) requests(c *gin.Context) {
	f := pathFormat(c)
	ctx := c.Request.Context()
	q, err := open311.ParseQuery(c.Request.URL.Query(), o.s.now())
	if err == nil {
		err = o.jurisdiction(ctx, q.JurisdictionID)
	}
	if err != nil {
		open311Fail(c, f, err)
		return
	}
	o.writeRequests(c, f, q, false)
}

func (o *open311API) request(c *gin.Context) {
	id, f := formatOf(c.Param("id_format"))
	if f == "" {
		open311Fail(c, "xml", apperr.Errorf(apperr.NotFound, "add .json or .xml to the service_request_id"))
		return
	}
	q := open311.Query{IDs: []string{strings.ToUpper(id)}, Limit: 1, JurisdictionID: c.Query("jurisdiction_id")}
	if err := o.jurisdiction(c.Request.Context(), q.JurisdictionID); err != nil {
		open311Fail(c, f, err)
		return
	}
	o.writeRequests(c, f, q, true)
}

func (o *open311API) writeRequests(c *gin.Context, f string, q open311.Query, one bool) {
	rows, err := o.s.db.PublishedRequests(c.Request.Context(), q, language(c))
	if err != nil {
		open311Fail(c, f, err)
		return
	}
	if one && len(rows) == 0 {
		// Unpublished and unknown reports look the same to the public.
		open311Fail(c, f, apperr.Errorf(apperr.NotFound, "service_request_id %q was not found", q.IDs[0]))
		return
	}
	list := make([]open311.ServiceRequest, len(rows))
	for i, r := range rows {
		list[i] = open311.Public(r)
	}
	c.Header("Vary", "Accept-Language")
	respond(c, http.StatusOK, f, list, open311.ServiceRequests{Requests: list})
}

func (o *open311API) token(c *gin.Context) {
	tok, f := formatOf(c.Param("token_format"))
	if f == "" {
		open311Fail(c, "xml", apperr.Errorf(apperr.NotFound, "add .json or .xml to the token"))
		return
	}
	id, err := uuid.Parse(tok)
	if err != nil {
		open311Fail(c, f, apperr.Errorf(apperr.NotFound, "no service request has token %q", tok))
		return
	}
	ref, err := o.s.db.RequestByToken(c.Request.Context(), id)
	if err != nil {
		open311Fail(c, f, err)
		return
	}
	list := []open311.TokenRequest{{ServiceRequestID: ref, Token: id.String()}}
	respond(c, http.StatusOK, f, list, open311.TokenRequests{Requests: list})
}
