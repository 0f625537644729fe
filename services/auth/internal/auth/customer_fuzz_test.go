package auth

import (
	"net/http"
	"testing"

	"github.com/comanda/comanda/services/platform/web"
)

// FuzzNewCustomer: any registration is refused with a 400, or yields a
// customer whose name and email hold only text the platform's rule allows.
func FuzzNewCustomer(f *testing.F) {
	for _, seed := range [][3]string{
		{"52998224725", "Ana Souza", "ana@example.com"},
		{"52998224725\x00", "Ana", "a@b.co"},
		{"52998224725", "A\x00na", "a@b.co"},
		{"52998224725", "Ana\u0085", "a@b.co"},
		{"52998224725", "Ana\u202ESouza", "a@b.co"},
		{"52998224725", "Ana\u2066", "a@b.co"},
		{"52998224725", "Ana\nSouza", "a@b.co"},
		{"52998224725", "Ana\xff", "a@b.co"},
		{"52998224725", "Ana", "a\u202E@b.co"},
		{"52998224725", " Ana\t", " a@b.co\n"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, taxID, name, email string) {
		c, err := NewCustomer(taxID, name, email)
		if err != nil {
			if e := web.AsError(httpError(err)); e.Status != http.StatusBadRequest {
				t.Fatalf("NewCustomer(%q, %q, %q) answered %d", taxID, name, email, e.Status)
			}
			return
		}
		if err := web.CheckText(c.Name, false); err != nil {
			t.Fatalf("name %q accepted: %v", c.Name, err)
		}
		if err := web.CheckText(c.Email, false); err != nil {
			t.Fatalf("email %q accepted: %v", c.Email, err)
		}
	})
}
