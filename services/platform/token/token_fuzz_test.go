package token_test

import (
	"crypto/rsa"
	"testing"

	"github.com/comanda/comanda/services/platform/token"
)

// FuzzVerify: whatever arrives as a bearer token, Verify never panics and
// accepts nothing but what the key signed: an accepted token carries exactly
// the claims of the one genuine seed.
func FuzzVerify(f *testing.F) {
	key := rsaKey(f)
	cfg := token.Config{Issuer: "comanda", Audience: "comanda-api"}
	v := token.NewVerifier(cfg, map[string]*rsa.PublicKey{"k1": &key.PublicKey})
	genuine := sign(f, key, "k1", cfg)
	want, err := v.Verify(genuine)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(genuine)
	f.Add(genuine[:len(genuine)-2])
	f.Add("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ4Iiwicm9sZSI6ImVtcGxveWVlIn0.")
	f.Add("a.b.c")
	f.Add("")
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := v.Verify(raw)
		if err != nil {
			return
		}
		if got.Subject != want.Subject || got.Role != want.Role || got.Name != want.Name || !got.ExpiresAt.Equal(want.ExpiresAt.Time) {
			t.Fatalf("accepted a token the key did not sign: %q → %+v", raw, got)
		}
	})
}
