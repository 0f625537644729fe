package token_test

import (
	"context"
	"crypto/rsa"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/comanda/comanda/services/platform/token"
	"github.com/comanda/comanda/services/platform/token/tokentest"
)

// signWithHeader signs validClaims with iss's key, after edit has changed
// the header as it likes.
func signWithHeader(t *testing.T, iss *tokentest.Issuer, edit func(map[string]any)) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, validClaims(iss))
	tok.Header["kid"] = iss.KID
	edit(tok.Header)
	raw, err := tok.SignedString(iss.Key)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// The header's typ says nothing the signature, issuer and audience do not:
// any typ, or none, is accepted.
func TestVerifyIgnoresTyp(t *testing.T) {
	t.Parallel()
	iss := tokentest.New(t)
	for name, edit := range map[string]func(map[string]any){
		"no typ":     func(h map[string]any) { delete(h, "typ") },
		"typ at+jwt": func(h map[string]any) { h["typ"] = "at+jwt" },
		"typ odd":    func(h map[string]any) { h["typ"] = 7 },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := iss.Verifier().Verify(signWithHeader(t, iss, edit)); err != nil {
				t.Fatalf("Verify = %v; want typ ignored", err)
			}
		})
	}
}

func TestVerifyRejectsBadHeaders(t *testing.T) {
	t.Parallel()
	iss := tokentest.New(t)
	for name, edit := range map[string]func(map[string]any){
		"kid not a string":    func(h map[string]any) { h["kid"] = 42 },
		"empty kid":           func(h map[string]any) { h["kid"] = "" },
		"crit extension":      func(h map[string]any) { h["crit"] = []string{"exp"} },
		"alg RS384 (not 256)": func(h map[string]any) { h["alg"] = "RS384" },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := iss.Verifier().Verify(signWithHeader(t, iss, edit)); !errors.Is(err, token.ErrInvalid) {
				t.Fatalf("Verify = %v; want ErrInvalid", err)
			}
		})
	}
}

// With a single trusted key a missing kid could be taken to mean "that
// key"; it is not, and it does not make the verifier reload its keys either.
func TestVerifyRequiresAKidEvenWithOneKey(t *testing.T) {
	t.Parallel()
	iss := tokentest.New(t)
	var loads atomic.Int32
	v := token.NewReloadingVerifier(iss.Config, map[string]*rsa.PublicKey{iss.KID: &iss.Key.PublicKey},
		func(context.Context) (map[string]*rsa.PublicKey, error) {
			loads.Add(1)
			return map[string]*rsa.PublicKey{iss.KID: &iss.Key.PublicKey}, nil
		})
	if _, err := v.Verify(withKID(iss, "").Sign(t, validClaims(iss))); !errors.Is(err, token.ErrInvalid) {
		t.Fatalf("Verify without kid = %v; want ErrInvalid", err)
	}
	if n := loads.Load(); n != 0 {
		t.Fatalf("a token without kid reloaded the keys %d times", n)
	}
}
