package httpapi

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/open311"
)

// open311API serves Open311 GeoReport v2 under /open311/v2. Its routes are not
// behind the OpenAPI validator: Open311 clients expect Open311's own error
// documents, so each handler validates its input itself.
type open311API struct {
	s *Server
}

// changeset is when this Open311 interface last changed, for discovery.
var changeset = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

func newOpen311API(s *Server) *open311API { return &open311API{s: s} }

func (o *open311API) routes(r *gin.Engine) {
	g := r.Group("/open311/v2")
	for _, f := range []string{"json", "xml"} {
		g.GET("/discovery."+f, o.discovery)
		g.GET("/services."+f, o.services)
		g.GET("/requests."+f, o.requests)
		g.POST("/requests."+f, o.create)
	}
	g.GET("/services/:code_format", o.definition)
	g.GET("/requests/:id_format", o.request)
	g.GET("/tokens/:token_format", o.token)
}

// formatOf reads the format from the route's last segment: "requests.xml" or
// "K7Q9-XM2A.json". XML is the specification's required format and the fallback.
func formatOf(segment string) (base, format string) {
	if i := strings.LastIndexByte(segment, '.'); i >= 0 {
		switch ext := segment[i+1:]; ext {
		case "json", "xml":
			return segment[:i], ext
		}
	}
	return segment, ""
}

// respond writes v as JSON (a bare array or object, as the specification's
// examples) or as the XML document doc.
func respond(c *gin.Context, status int, format string, v, doc any) {
	if format == "json" {
		b, err := json.Marshal(v)
		if err != nil {
			open311Fail(c, format, err)
			return
		}
		c.Data(status, "application/json; charset=utf-8", b)
		return
	}
	b, err := xml.Marshal(doc)
	if err != nil {
		open311Fail(c, format, err)
		return
	}
	c.Data(status, "text/xml; charset=utf-8", append([]byte(xml.Header), b...))
}

// open311Status maps trygg's error kinds onto the statuses Open311 names.
var open311Status = map[apperr.Kind]int{
	apperr.Invalid:      http.StatusBadRequest,
	apperr.Unauthorized: http.StatusForbidden,
	apperr.Forbidden:    http.StatusForbidden,
	apperr.NotFound:     http.StatusNotFound,
	apperr.TooLarge:     http.StatusRequestEntityTooLarge,
	apperr.RateLimited:  http.StatusTooManyRequests,
	apperr.Unavailable:  http.StatusServiceUnavailable,
}

// open311Fail writes err as an Open311 error document; anything unexpected is a
// bare 500 whose cause stays in the log.
func open311Fail(c *gin.Context, format string, err error) {
	status, msg := http.StatusInternalServerError, "internal error"
	if e, ok := apperr.As(classify(err)); ok {
		if st, known := open311Status[e.Kind]; known {
			status, msg = st, e.Message
		}
	}
	if status >= 500 {
		slog.ErrorContext(c.Request.Context(), "open311 request failed", "err", err, "route", c.FullPath(), "request_id", c.GetString(requestIDKey))
	}
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		c.Header("Retry-After", "5")
	}
	e := open311.Error{Code: status, Description: msg}
	respond(c, status, format, []open311.Error{e}, open311.Errors{Errors: []open311.Error{e}})
	c.Abort()
}

// pathFormat is the format of a static route such as /open311/v2/services.json.
func pathFormat(c *gin.Context) string {
	_, f := formatOf(c.FullPath())
	return f
}

// jurisdiction checks the optional jurisdiction_id (a kommunkod).
func (o *open311API) jurisdiction(ctx context.Context, code string) error {
	if code == "" {
		return nil
	}
	ok, err := o.s.db.MunicipalityExists(ctx, code)
	if err == nil && !ok {
		err = apperr.Errorf(apperr.NotFound, "jurisdiction_id %q is not a municipality served here; use a kommunkod such as 1781", code)
	}
	return err
}
