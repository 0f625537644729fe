package web_test

import (
	"bytes"
	"net/http/httptest"
	"testing"
	"unicode/utf8"

	"github.com/comanda/comanda/services/platform/web"
)

// fuzzRequest has the shapes our request types have: plain and pointer
// strings, numbers and a list of objects.
type fuzzRequest struct {
	Name  string  `json:"name"`
	TaxID *string `json:"tax_id"`
	Items []struct {
		ProductID string `json:"product_id"`
		Quantity  int    `json:"quantity"`
	} `json:"items"`
}

// FuzzDecode sends any body through Decode: it is refused with a 4xx, or it
// is one JSON object whose strings are valid UTF-8; never a panic or a 5xx.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		`{"name":"a","tax_id":"52998224725","items":[{"product_id":"x","quantity":2}]}`,
		`{"tax_id":"a","tax_id":"b"}`,
		`{"TAX_ID":"a"}`,
		`{"Tax_Id":"a"}`,
		`{"tax_id":null}`,
		`{"name":"a\u0000b"}`,
		"{\"name\":\"a\x00b\"}",
		`{"name":"a\u0085b"}`,
		`{"name":"abc\u202Eexe.jpg"}`,
		`{"name":"a\u2066b"}`,
		`{"name":"a\nb"}`,
		"{\"name\":\"a\xffb\"}",
		`{"name":"\ud800"}`,
		`{"items":[{"quantity":1e400}]}`,
		`null`,
		`{} {}`,
		``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var req fuzzRequest
		err := web.Decode(httptest.NewRequest("POST", "/", bytes.NewReader(body)), &req)
		if err != nil {
			if e := web.AsError(err); e.Status < 400 || e.Status >= 500 {
				t.Fatalf("Decode answered %d for %q", e.Status, body)
			}
			return
		}
		strs := []string{req.Name}
		if req.TaxID != nil {
			strs = append(strs, *req.TaxID)
		}
		for _, it := range req.Items {
			strs = append(strs, it.ProductID)
		}
		for _, s := range strs {
			if !utf8.ValidString(s) {
				t.Fatalf("Decode accepted invalid UTF-8 %q from %q", s, body)
			}
		}
	})
}

// FuzzCheckText checks CheckText against the rule spelled out rune by rune:
// what it accepts is valid UTF-8 with no control or bidi character (but a
// newline when multi-line), and what it refuses has one.
func FuzzCheckText(f *testing.F) {
	for _, seed := range []string{"X-Burger", "a\x00b", "a\u0085b", "abc\u202Eexe", "a\u2066b", "one\ntwo", "a\xffb", "\uFFFD", "a\r\nb"} {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	f.Fuzz(func(t *testing.T, s string, multiline bool) {
		err := web.CheckText(s, multiline)
		if got, want := err == nil, acceptable(s, multiline); got != want {
			t.Fatalf("CheckText(%q, %v) = %v; want acceptable=%v", s, multiline, err, want)
		}
	})
}

func acceptable(s string, multiline bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		switch {
		case r == '\n':
			if !multiline {
				return false
			}
		case r <= 0x1f, r >= 0x7f && r <= 0x9f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return false
		}
	}
	return true
}
