package web

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// ErrInvalidUTF8 is text that is not valid UTF-8.
var ErrInvalidUTF8 = errors.New("must be valid UTF-8")

// CheckText is the one rule for text a client sends in a field: nil when s
// may be stored and shown, otherwise an error whose message says why, for
// the caller to attach to the field ("name: must not contain …"). Refused
// are invalid UTF-8; the C0 controls, DEL and the C1 controls (NUL among
// them, which PostgreSQL cannot store), except a newline when multiline;
// and the bidirectional controls U+202A–U+202E and U+2066–U+2069, which
// make text display otherwise than it reads.
func CheckText(s string, multiline bool) error {
	if !utf8.ValidString(s) {
		return ErrInvalidUTF8
	}
	for _, r := range s {
		switch {
		case r == '\n' && multiline:
		case r == '\n':
			return errors.New("must be a single line")
		case isControl(r):
			return fmt.Errorf("must not contain control character %U", r)
		case isBidiControl(r):
			return fmt.Errorf("must not contain bidirectional control %U", r)
		}
	}
	return nil
}

// isControl is a C0 control, DEL or a C1 control.
func isControl(r rune) bool { return r < 0x20 || (r >= 0x7f && r <= 0x9f) }

// isBidiControl is an embedding, override or isolate control.
func isBidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}
