package auth

import "testing"

// FuzzParseCPF: any input is refused or yields 11 digits with valid check
// digits that parse to themselves again; never a panic.
func FuzzParseCPF(f *testing.F) {
	for _, seed := range []string{"52998224725", "529.982.247-25", "111.444.777-35", "11111111111", "123", "", "５２９９８２２４７２５", "529.982.247-2５", "52998224726", "52998224725\x00", "\u202e52998224725", "529.982.247\n-25", "5299822472\xff"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		cpf, err := ParseCPF(raw)
		if err != nil {
			return
		}
		s := cpf.String()
		if len(s) != 11 {
			t.Fatalf("ParseCPF(%q) = %q: not 11 digits", raw, s)
		}
		for _, r := range s {
			if r < '0' || r > '9' {
				t.Fatalf("ParseCPF(%q) = %q: not digits", raw, s)
			}
		}
		again, err := ParseCPF(s)
		if err != nil || again != cpf {
			t.Fatalf("ParseCPF(%q) = %q, which does not parse to itself (%q, %v)", raw, s, again, err)
		}
	})
}
