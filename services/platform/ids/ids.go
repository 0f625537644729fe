// Package ids reads the identifiers Comanda hands out: UUIDs in their
// canonical form. Every id that arrives from outside (a path, a query, a
// request body, an event, a payment's external reference) is read here, so
// that one rule decides what an id is everywhere.
package ids

import (
	"errors"

	"github.com/google/uuid"
)

// ErrNotUUID is an id that is not a UUID in its canonical form.
var ErrNotUUID = errors.New("not a UUID")

// Parse accepts only the canonical 36-character form of a UUID
// (8-4-4-4-12 hexadecimal digits, either case) and returns it in lower
// case. The other spellings google/uuid reads (braces, urn:uuid:, no
// hyphens) are refused: one order must have one id, as stored and compared.
func Parse(raw string) (string, error) {
	if len(raw) != 36 {
		return "", ErrNotUUID
	}
	id, err := uuid.Parse(raw)
	if err != nil {
		return "", ErrNotUUID
	}
	return id.String(), nil
}

// Valid reports whether raw is an id Parse accepts.
func Valid(raw string) bool {
	_, err := Parse(raw)
	return err == nil
}
