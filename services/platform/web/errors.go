// Package web is the services' HTTP plumbing: a chi router with the standard
// middleware (request and correlation ids, recoverer, body limit, access log),
// strict JSON decoding, JSON responses, the one error shape
// {"error":{"code","message"}}, health endpoints and graceful serving.
package web

import (
	"errors"
	"fmt"
	"net/http"
)

// Error is an error a client may see: its status, code and message are
// written as they are. Services map their domain errors to *Error in one place.
type Error struct {
	Status  int
	Code    string
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

// NewError builds a client-facing error.
func NewError(status int, code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// InvalidRequest is 400 invalid_request; the message names the field.
func InvalidRequest(format string, args ...any) *Error {
	return NewError(http.StatusBadRequest, "invalid_request", format, args...)
}

// NotFound is 404 with a <thing>_not_found code.
func NotFound(code, format string, args ...any) *Error {
	return NewError(http.StatusNotFound, code, format, args...)
}

// Conflict is 409 with the conflict's code.
func Conflict(code, format string, args ...any) *Error {
	return NewError(http.StatusConflict, code, format, args...)
}

// Unauthorized is 401 unauthorized.
func Unauthorized(format string, args ...any) *Error {
	return NewError(http.StatusUnauthorized, "unauthorized", format, args...)
}

// Forbidden is 403 forbidden.
func Forbidden(format string, args ...any) *Error {
	return NewError(http.StatusForbidden, "forbidden", format, args...)
}

var errInternal = &Error{Status: http.StatusInternalServerError, Code: "internal", Message: "internal error"}

// AsError returns err's client-facing form: the *Error it wraps, or a bare
// 500 internal that reveals nothing of err.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return errInternal
}
