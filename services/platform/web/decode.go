package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
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
		return InvalidRequest("field %q must be %s", typeError.Field, jsonKind(typeError.Type))
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

// jsonKind names a Go type as a client writing JSON thinks of it.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	default:
		return "an object"
	}
}

// FieldError is 400 invalid_request naming field.
func FieldError(field, format string, args ...any) *Error {
	return InvalidRequest("%s: %s", field, fmt.Sprintf(format, args...))
}
