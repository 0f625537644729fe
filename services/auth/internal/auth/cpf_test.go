package auth

import (
	"errors"
	"testing"
)

func TestParseCPF(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want CPF // "" when invalid
	}{
		{"52998224725", "52998224725"},
		{"111.444.777-35", "11144477735"},
		{"529.982.247-25", "52998224725"},
		{" 52998224725 ", "52998224725"},
		{"12345678909", "12345678909"},
		{"52998224726", ""},    // second check digit wrong
		{"52998224715", ""},    // first check digit wrong
		{"111.444.777-53", ""}, // check digits swapped
		{"11111111111", ""},    // one repeated digit
		{"000.000.000-00", ""}, // one repeated digit
		{"5299822472", ""},     // 10 digits
		{"529982247250", ""},   // 12 digits
		{"", ""},               // empty
		{"5299822472a", ""},    // letter
		{"abcdefghijk", ""},    // letters
		{"529 982 247 25", ""}, // spaces are not CPF punctuation
		{"529/982/247-25", ""}, // neither are slashes
		{"５２９９８２２４７２５", ""},    // full-width digits
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseCPF(tt.in)
			if tt.want == "" {
				if !errors.Is(err, ErrInvalidTaxID) {
					t.Fatalf("ParseCPF(%q) = %q, %v; want ErrInvalidTaxID", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseCPF(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}
