package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// MaxBodyBytes is the largest request body any service accepts.
const MaxBodyBytes = 1 << 20

// strict are the decoding rules for every request body. Names match exactly
// and appear once, so a body means one thing to every reader (a proxy, a log,
// this service) and no spelling sets a field unseen; strings must be valid
// UTF-8 rather than silently mended.
var strict = json.JoinOptions(
	json.RejectUnknownMembers(true),
	json.MatchCaseInsensitiveNames(false),
	jsontext.AllowDuplicateNames(false),
	jsontext.AllowInvalidUTF8(false),
)

// Decode reads the request body strictly into v, which must point to a
// struct: unknown fields, fields named in another case, duplicate fields,
// wrong types, invalid UTF-8, trailing data and an empty body are 400
// invalid_request naming the problem; a body over MaxBodyBytes is 413
// request_too_large. A null leaves a field at its zero value (nil for a
// pointer), so a pointer field tells a field absent or null from one present.
func Decode(r *http.Request, v any) error {
	// The router limits bodies already; this bound holds without it too.
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, MaxBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return NewError(http.StatusRequestEntityTooLarge, "request_too_large", "request body is larger than %d bytes", tooLarge.Limit)
		}
		return InvalidRequest("request body could not be read")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return InvalidRequest("request body is empty; a JSON object is required")
	}
	dec := jsontext.NewDecoder(bytes.NewReader(body), strict)
	if dec.PeekKind() == 'n' {
		return InvalidRequest("request body must be a JSON object, not null")
	}
	if err := json.UnmarshalDecode(dec, v, strict); err != nil {
		return decodeError(err)
	}
	if _, err := dec.ReadToken(); !errors.Is(err, io.EOF) {
		return InvalidRequest("request body must hold a single JSON object")
	}
	return nil
}

// decodeError turns a json error into a message for the client. Names and
// values the client sent are quoted, never written raw.
func decodeError(err error) error {
	var (
		syntax   *jsontext.SyntacticError
		semantic *json.SemanticError
	)
	switch {
	case errors.As(err, &syntax):
		return syntaxError(syntax)
	case errors.As(err, &semantic):
		return semanticError(semantic)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return InvalidRequest("request body is not valid JSON: it ends too soon")
	}
	return InvalidRequest("request body is not valid JSON")
}

func syntaxError(err *jsontext.SyntacticError) error {
	switch {
	case errors.Is(err, jsontext.ErrDuplicateName):
		return InvalidRequest("field %s appears more than once", fieldPath(err.JSONPointer))
	case isInvalidUTF8(err.Err) && err.JSONPointer != "":
		return InvalidRequest("field %s is not valid UTF-8", fieldPath(err.JSONPointer))
	case isInvalidUTF8(err.Err):
		return InvalidRequest("request body is not valid UTF-8")
	case err.JSONPointer != "":
		return InvalidRequest("request body is not valid JSON at field %s: %v", fieldPath(err.JSONPointer), err.Err)
	}
	return InvalidRequest("request body is not valid JSON: %v", err.Err)
}

func semanticError(err *json.SemanticError) error {
	ptr := err.JSONPointer
	switch {
	case errors.Is(err, json.ErrUnknownName):
		return unknownField(ptr, err.GoType)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return InvalidRequest("request body is not valid JSON: it ends too soon")
	case ptr == "":
		return InvalidRequest("request body must be a JSON object")
	case err.GoType == nil:
		return InvalidRequest("field %s is invalid", fieldPath(ptr))
	case err.Err != nil && !isTypeMismatch(err.Err):
		// A type's own UnmarshalJSON said why (money: at most two decimals).
		return InvalidRequest("field %s is invalid: %v", fieldPath(ptr), err.Err)
	}
	return InvalidRequest("field %s must be %s", fieldPath(ptr), jsonKind(err.GoType))
}

// unknownField names a field the request type does not have, and the one it
// has when they differ only in case: names are matched exactly.
func unknownField(ptr jsontext.Pointer, in reflect.Type) error {
	if known, ok := knownFieldFolding(in, ptr.LastToken()); ok {
		return InvalidRequest("unknown field %s: field names are case-sensitive; did you mean %q?", fieldPath(ptr), known)
	}
	return InvalidRequest("unknown field %s", fieldPath(ptr))
}

// FieldError is 400 invalid_request naming field.
func FieldError(field, format string, args ...any) *Error {
	return InvalidRequest("%s: %s", field, fmt.Sprintf(format, args...))
}
