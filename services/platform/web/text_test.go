package web_test

import (
	"strings"
	"testing"

	"github.com/comanda/comanda/services/platform/web"
)

func TestCheckText(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, text string
		multiline  bool
		mention    string // "" when the text is fine
	}{
		{"plain", "X-Burger", false, ""},
		{"accents and emoji", "Pão de queijo 🧀", false, ""},
		{"written U+FFFD", "a\uFFFDb", false, ""},
		{"empty", "", false, ""},
		{"newline in a multi-line field", "line one\nline two", true, ""},
		{"newline in a single-line field", "line one\nline two", false, "single line"},
		{"carriage return in a multi-line field", "a\r\nb", true, "U+000D"},
		{"tab", "a\tb", true, "U+0009"},
		{"NUL", "a\x00b", true, "U+0000"},
		{"escape", "a\x1b[31mb", false, "U+001B"},
		{"DEL", "a\x7fb", false, "U+007F"},
		{"C1 NEL", "a\u0085b", true, "U+0085"},
		{"C1 CSI", "a\u009bb", false, "U+009B"},
		{"right-to-left override", "abc\u202Eexe.jpg", false, "U+202E"},
		{"left-to-right embedding", "\u202Aa", true, "U+202A"},
		{"left-to-right isolate", "a\u2066b", false, "U+2066"},
		{"pop directional isolate", "a\u2069", false, "U+2069"},
		{"invalid UTF-8", "a\xffb", false, "UTF-8"},
		{"truncated UTF-8", "p\xc3", true, "UTF-8"},
		{"encoded surrogate", "a\xed\xa0\x80b", false, "UTF-8"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			err := web.CheckText(c.text, c.multiline)
			switch {
			case c.mention == "" && err != nil:
				t.Fatalf("CheckText(%q) = %v; want nil", c.text, err)
			case c.mention != "" && err == nil:
				t.Fatalf("CheckText(%q) = nil; want an error mentioning %s", c.text, c.mention)
			case c.mention != "" && !strings.Contains(err.Error(), c.mention):
				t.Fatalf("CheckText(%q) = %v; want it to mention %s", c.text, err, c.mention)
			}
		})
	}
}
