package catalog

import (
	"errors"
	"testing"

	"github.com/comanda/comanda/services/platform/web"
)

// FuzzProductSpecText: any name, description and image URL are refused with
// a FieldError (400), or are stored as text the platform's rule allows, so
// PostgreSQL never sees a NUL and a screen never gets an override.
func FuzzProductSpecText(f *testing.F) {
	for _, seed := range [][3]string{
		{"X-Egg", "Hambúrguer com ovo", "https://images.comanda.local/x.jpg"},
		{"X\x00Egg", "a\x00b", ""},
		{"X-Egg", "Pão\nQueijo", ""},
		{"X\nEgg", "a", ""},
		{"X\u0085Egg", "a\u009bb", ""},
		{"X\u202Egge", "a\u2066b", "https://a.com/\u202Egnp.exe"},
		{"X\xffEgg", "a\xc3", "https://a.com/\xff"},
		{" X-Egg\t", "\n a \n", " https://a.com/x.png\n"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, name, description, imageURL string) {
		spec := validSpec()
		spec.Name, spec.Description, spec.ImageURL = name, description, imageURL
		got, err := spec.Normalize()
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("Normalize() = %v; want a FieldError", err)
			}
			return
		}
		for _, f := range []struct {
			value     string
			multiline bool
		}{{got.Name, false}, {got.Description, true}, {got.ImageURL, false}} {
			if err := web.CheckText(f.value, f.multiline); err != nil {
				t.Fatalf("Normalize accepted %q: %v", f.value, err)
			}
		}
	})
}
