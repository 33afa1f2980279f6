package httpapi

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/trygg/trygg/internal/apperr"
)

// classify turns the unexpected errors that are not bugs into their kind before
// they are mapped to HTTP: a database that is down or restarting is 503 (the
// client should retry; Retry-After says when), and text PostgreSQL cannot store
// (a NUL byte, invalid UTF-8) that slipped past validation is the client's 400.
func classify(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := apperr.As(err); ok {
		return err
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case pgErr.Code == "22021" || pgErr.Code == "22P05":
			return &apperr.Error{Kind: apperr.Invalid, Message: "text must be valid UTF-8 without NUL characters", Err: err}
		case strings.HasPrefix(pgErr.Code, "08"), pgErr.Code == "57P01", pgErr.Code == "57P02", pgErr.Code == "57P03":
			return unavailable(err)
		}
		return err
	}
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	switch {
	case errors.As(err, &connectErr), errors.As(err, &netErr), pgconn.Timeout(err),
		errors.Is(err, context.DeadlineExceeded), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		strings.Contains(err.Error(), "conn closed"):
		return unavailable(err)
	}
	return err
}

func unavailable(err error) error {
	return &apperr.Error{Kind: apperr.Unavailable, Message: "the service cannot reach its database right now; try again shortly", Err: err}
}
