package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// MaxBodyBytes is the largest request body any service accepts.
const MaxBodyBytes = 1 << 20

// Decode reads the request body strictly into v: unknown fields, wrong types,
// trailing data and an empty body are 400 invalid_request naming the problem;
// a body over MaxBodyBytes is 413 request_too_large.
func Decode(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return decodeError(err)
		}
		return InvalidRequest("request body must hold a single JSON object")
	}
	return nil
}

func decodeError(err error) error {
	var (
		tooLarge  *http.MaxBytesError
		syntax    *json.SyntaxError
		typeError *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &tooLarge):
		return NewError(http.StatusRequestEntityTooLarge, "request_too_large", "request body is larger than %d bytes", tooLarge.Limit)
	case errors.Is(err, io.EOF):
		return InvalidRequest("request body is empty; a JSON object is required")
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return InvalidRequest("request body is not valid JSON")
	case errors.As(err, &typeError):
		if typeError.Field == "" {
			return InvalidRequest("request body must be a JSON object")
		}
		return InvalidRequest("field %q must be a %s", typeError.Field, typeError.Type.String())
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return InvalidRequest("unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	default:
		var e *Error
		if errors.As(err, &e) {
			return e
		}
		return InvalidRequest("request body is invalid: %s", err.Error())
	}
}

// FieldError is 400 invalid_request naming field.
func FieldError(field, format string, args ...any) *Error {
	return InvalidRequest("%s: %s", field, fmt.Sprintf(format, args...))
}
