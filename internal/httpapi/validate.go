package httpapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/gin-gonic/gin"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/openapi"
)

// contract is the loaded OpenAPI document and a router over its paths.
type contract struct {
	doc    *openapi3.T
	router routers.Router
}

func loadContract() (*contract, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openapi.Spec)
	if err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi.yaml is not valid OpenAPI: %w", err)
	}
	r, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, err
	}
	return &contract{doc: doc, router: r}, nil
}

// validate checks the request against the contract before a handler sees it.
// Authentication is the auth middleware's job, so security schemes pass here.
func (s *Server) validate(c *gin.Context) {
	route, params, err := s.contract.router.FindRoute(c.Request)
	if err != nil {
		// A route the document lacks: TestEveryRouteIsDocumented catches these.
		c.Next()
		return
	}
	// Multipart bodies (photo uploads) are streamed and checked by their handler:
	// the validator would buffer every part in memory first. Any other body is
	// read whole by the validator, which in a route group runs before the
	// route's own limitBody, so it is capped here unless a limit already wraps it.
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		ExcludeRequestBody: isMultipart(c.Request)}
	if !opts.ExcludeRequestBody && c.Request.Body != nil && c.Request.Body != http.NoBody && !bodyCapped(c.Request.Body) {
		if c.Request.ContentLength > s.cfg.BodyLimit {
			fail(c, apperr.Errorf(apperr.TooLarge, "request body is larger than %d bytes", s.cfg.BodyLimit))
			return
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.cfg.BodyLimit)
	}
	in := &openapi3filter.RequestValidationInput{
		Request: c.Request, PathParams: params, Route: route, Options: opts,
	}
	if err := openapi3filter.ValidateRequest(c.Request.Context(), in); err != nil {
		fail(c, contractError(err))
		return
	}
	c.Next()
}

// contractError turns a kin-openapi error into a message an app developer can
// act on: it names the field (dotted path, or the header/query parameter), says
// what is wrong in plain words, and for parameters adds the contract's own
// description of them.
func contractError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return apperr.Errorf(apperr.TooLarge, "request body is larger than %d bytes", tooBig.Limit)
	}
	var reqErr *openapi3filter.RequestError
	if !errors.As(err, &reqErr) {
		return apperr.Errorf(apperr.Invalid, "request does not match the API: %v", err)
	}
	if reqErr.Parameter != nil {
		return parameterError(reqErr, err)
	}
	var schemaErr *openapi3.SchemaError
	if errors.As(err, &schemaErr) {
		field, msg := schemaMessage(schemaErr)
		e := &apperr.Error{Kind: apperr.Invalid, Message: msg, Err: err}
		if field != "" {
			e.Details = map[string]string{"field": field}
		}
		return e
	}
	var parseErr *openapi3filter.ParseError
	if errors.As(err, &parseErr) {
		msg := "request body is not valid JSON (" + parseErr.Error() + ")"
		if strings.Contains(msg, "invalid character") {
			msg += "; numbers must be plain JSON numbers: no NaN or Infinity"
		}
		return &apperr.Error{Kind: apperr.Invalid, Message: msg, Err: err}
	}
	if strings.Contains(err.Error(), "header Content-Type has unexpected value") {
		return apperr.Errorf(apperr.Unsupported, "Content-Type %q is not accepted here; send %s",
			reqErr.Input.Request.Header.Get("Content-Type"), acceptedTypes(reqErr.RequestBody))
	}
	if reqErr.RequestBody != nil && errors.Is(err, openapi3filter.ErrInvalidRequired) {
		return apperr.Errorf(apperr.Invalid, "request body is empty; send %s", acceptedTypes(reqErr.RequestBody))
	}
	return &apperr.Error{Kind: apperr.Invalid, Message: reqErr.Error(), Err: err}
}

// parameterError describes a bad path, query or header parameter, quoting the
// contract's description of it so the caller learns what is expected.
func parameterError(reqErr *openapi3filter.RequestError, err error) error {
	p := reqErr.Parameter
	reason := reqErr.Reason
	var schemaErr *openapi3.SchemaError
	if errors.As(err, &schemaErr) {
		reason = schemaErr.Reason
	}
	if errors.Is(err, openapi3filter.ErrInvalidRequired) || reason == "" {
		reason = "is required"
	}
	where := p.In + " parameter"
	if p.In == openapi3.ParameterInHeader {
		where = "header"
	}
	msg := fmt.Sprintf("%s %s: %s", where, p.Name, reason)
	if reason == "is required" {
		msg = fmt.Sprintf("%s %s is required", where, p.Name)
	}
	if p.Description != "" {
		msg += " (" + strings.TrimSuffix(p.Description, ".") + ")"
	}
	return &apperr.Error{Kind: apperr.Invalid, Message: msg, Details: map[string]string{"field": p.Name}, Err: err}
}

var unsupportedProperty = regexp.MustCompile(`^property "(.*)" is unsupported$`)

// schemaMessage names the body field a schema error is about and rewords the
// validator's reason where it is cryptic.
func schemaMessage(e *openapi3.SchemaError) (field, msg string) {
	path := e.JSONPointer()
	reason := e.Reason
	if m := unsupportedProperty.FindStringSubmatch(reason); m != nil {
		field = strings.Join(append(path, m[1]), ".")
		return field, fmt.Sprintf("unknown field %q: this API accepts only the documented fields (see /openapi.yaml)", field)
	}
	field = strings.Join(path, ".")
	switch {
	case e.SchemaField == "required":
		return field, fmt.Sprintf("field %s is required", field)
	case e.SchemaField == "format" && e.Schema != nil && e.Schema.Format == "date-time":
		return field, fmt.Sprintf("field %s must be an RFC 3339 time such as 2026-11-20T21:30:00+01:00", field)
	case strings.Contains(reason, "cannot convert json.Number"):
		return field, fmt.Sprintf("field %s: number is out of range", field)
	case field == "":
		return "", "request body: " + reason
	}
	return field, fmt.Sprintf("field %s: %s", field, reason)
}

// acceptedTypes lists the media types a request body may have.
func acceptedTypes(rb *openapi3.RequestBody) string {
	if rb == nil || len(rb.Content) == 0 {
		return "no body"
	}
	types := make([]string, 0, len(rb.Content))
	for t := range rb.Content {
		types = append(types, t)
	}
	slices.Sort(types)
	return strings.Join(types, " or ")
}

func isMultipart(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && strings.HasPrefix(mt, "multipart/")
}

// bodyCapped reports whether body is already an http.MaxBytesReader (a route
// that put limitBody before the validator, with a limit of its own). Its type
// is unexported, so it is recognised by name.
func bodyCapped(body io.ReadCloser) bool {
	return reflect.TypeOf(body).String() == "*http.maxBytesReader"
}
