package httpapi

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/trygg/trygg/internal/apperr"
)

// statusOf is the one table from error kind to HTTP status.
var statusOf = map[apperr.Kind]int{
	apperr.Invalid:              http.StatusBadRequest,
	apperr.Unauthorized:         http.StatusUnauthorized,
	apperr.Forbidden:            http.StatusForbidden,
	apperr.NotFound:             http.StatusNotFound,
	apperr.Conflict:             http.StatusConflict,
	apperr.PreconditionFailed:   http.StatusPreconditionFailed,
	apperr.PreconditionRequired: http.StatusPreconditionRequired,
	apperr.TooLarge:             http.StatusRequestEntityTooLarge,
	apperr.Unsupported:          http.StatusUnsupportedMediaType,
	apperr.Unprocessable:        http.StatusUnprocessableEntity,
	apperr.RateLimited:          http.StatusTooManyRequests,
	apperr.Unavailable:          http.StatusServiceUnavailable,
	apperr.Internal:             http.StatusInternalServerError,
}

// ErrorBody is the JSON error format of every non-Open311 route.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail describes one error.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Details any    `json:"details,omitempty"`
}

// HTTPStatus returns the status for err and the body a client may see. Anything
// unexpected becomes a bare "internal error": its text stays in the log.
func HTTPStatus(err error) (int, ErrorDetail) {
	var e *apperr.Error
	if errors.As(classify(err), &e) {
		if status, ok := statusOf[e.Kind]; ok && e.Kind != apperr.Internal {
			return status, ErrorDetail{Code: string(e.Kind), Message: e.Message, Details: e.Details}
		}
	}
	return http.StatusInternalServerError, ErrorDetail{Code: string(apperr.Internal), Message: "internal error"}
}

// fail writes err as JSON and stops the handler chain.
func fail(c *gin.Context, err error) {
	status, body := HTTPStatus(err)
	if status > 500 {
		slog.WarnContext(c.Request.Context(), "request failed", "err", err, "status", status, "route", c.FullPath(), "request_id", c.GetString(requestIDKey))
	} else if status == 500 {
		slog.ErrorContext(c.Request.Context(), "request failed", "err", err, "route", c.FullPath(), "request_id", c.GetString(requestIDKey))
	}
	if status == http.StatusServiceUnavailable {
		c.Header("Retry-After", "5")
	}
	c.AbortWithStatusJSON(status, ErrorBody{Error: body})
}
