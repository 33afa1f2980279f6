// Package apperr is trygg's one error type: a closed set of kinds that the HTTP
// layer maps to status codes in one table. Anything that is not an *Error is
// treated as internal and its text is never shown to a client.
package apperr

import (
	"errors"
	"fmt"
)

// Kind is the class of an error. The set is closed; add a kind only together with
// its HTTP mapping in internal/httpapi.
type Kind string

const (
	Invalid              Kind = "invalid"
	Unauthorized         Kind = "unauthorized"
	Forbidden            Kind = "forbidden"
	NotFound             Kind = "not_found"
	Conflict             Kind = "conflict"
	PreconditionFailed   Kind = "precondition_failed"
	PreconditionRequired Kind = "precondition_required"
	TooLarge             Kind = "too_large"
	Unsupported          Kind = "unsupported_media_type"
	Unprocessable        Kind = "unprocessable"
	RateLimited          Kind = "rate_limited"
	Unavailable          Kind = "unavailable"
	Internal             Kind = "internal"
)

// Error is an error a client may see: its Message is written for the developer of
// the calling app, and Details carries machine-readable specifics (a field name,
// the current version of a resource, ...).
type Error struct {
	Kind    Kind
	Message string
	Details any
	// Err is an optional cause, logged but never sent.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Kind, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Kind, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error of the given kind with a formatted message.
func Errorf(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// Field returns an Invalid error about one request field; details name the field
// so an app can highlight it.
func Field(field, format string, args ...any) *Error {
	return &Error{Kind: Invalid, Message: fmt.Sprintf(format, args...), Details: map[string]string{"field": field}}
}

// KindOf returns the kind of err, Internal for anything that is not an *Error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// As returns err as an *Error when it is one.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
