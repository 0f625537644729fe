package web

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// maxNameInMessage bounds how much of a client's field name an error repeats.
const maxNameInMessage = 64

// fieldPath names the field at ptr as the API's messages do, quoted:
// "tax_id", "items[0].quantity". Array indexes are the numeric tokens; our
// request types have no field named by a number.
func fieldPath(ptr jsontext.Pointer) string {
	var b strings.Builder
	for tok := range ptr.Tokens() {
		if _, err := strconv.ParseUint(tok, 10, 0); err == nil && b.Len() > 0 {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	return strconv.Quote(truncate(b.String(), maxNameInMessage))
}

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// knownFieldFolding returns the JSON name of t's field that equals name but
// for case, if t (or what it points to) is a struct that has one.
func knownFieldFolding(t reflect.Type, name string) (string, bool) {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return "", false
	}
	for f := range t.Fields() {
		known := jsonName(f)
		if known != "" && known != name && strings.EqualFold(known, name) {
			return known, true
		}
	}
	return "", false
}

// jsonName is the name a struct field is decoded from, or "" if none.
func jsonName(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	switch tag {
	case "-":
		return ""
	case "":
		return f.Name
	}
	return tag
}

// jsonKind names a Go type as a client writing JSON thinks of it.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer in range"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	default:
		return "an object"
	}
}

// isTypeMismatch reports whether err only says the JSON value does not fit
// the Go type (a string for a number, 1.5 or 1e99 for an integer), which
// jsonKind says better.
func isTypeMismatch(err error) bool {
	return errors.Is(err, strconv.ErrRange) || errors.Is(err, strconv.ErrSyntax)
}

// isInvalidUTF8 reports whether a syntax error is invalid UTF-8 in a string.
// The decoder's sentinel for it is internal, so its text is what is known;
// TestDecodeNamesInvalidUTF8 fails if that text changes.
func isInvalidUTF8(err error) bool {
	return err != nil && err.Error() == "invalid UTF-8"
}
