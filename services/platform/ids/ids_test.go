package ids_test

import (
	"testing"

	"github.com/comanda/comanda/services/platform/ids"
)

func TestParse(t *testing.T) {
	t.Parallel()
	const canonical = "5f0c6a58-8d1e-4f55-9c34-0b7d0b8e2a11"
	accepted := map[string]string{
		canonical:                              canonical,
		"5F0C6A58-8D1E-4F55-9C34-0B7D0B8E2A11": canonical,
		"00000000-0000-0000-0000-000000000000": "00000000-0000-0000-0000-000000000000",
	}
	for raw, want := range accepted {
		if got, err := ids.Parse(raw); err != nil || got != want {
			t.Errorf("Parse(%q) = %q, %v; want %q", raw, got, err, want)
		}
		if !ids.Valid(raw) {
			t.Errorf("Valid(%q) = false", raw)
		}
	}
	for _, raw := range []string{
		"",
		"5f0c6a588d1e4f559c340b7d0b8e2a11",
		"{5f0c6a58-8d1e-4f55-9c34-0b7d0b8e2a11}",
		"urn:uuid:5f0c6a58-8d1e-4f55-9c34-0b7d0b8e2a11",
		"5f0c6a58-8d1e-4f55-9c34-0b7d0b8e2a1g",
		"5f0c6a58+8d1e-4f55-9c34-0b7d0b8e2a11",
		" 5f0c6a58-8d1e-4f55-9c34-0b7d0b8e2a1",
	} {
		if got, err := ids.Parse(raw); err == nil {
			t.Errorf("Parse(%q) = %q; want an error", raw, got)
		}
		if ids.Valid(raw) {
			t.Errorf("Valid(%q) = true", raw)
		}
	}
}
