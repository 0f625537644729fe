package token_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/comanda/comanda/services/platform/token"
)

// A rotated signing key is picked up by reloading once when a token names an
// unknown kid; made-up kids cannot make it reload again and again.
func TestVerifierReloadsKeysForAnUnknownKid(t *testing.T) {
	t.Parallel()
	oldKey, newKey := rsaKey(t), rsaKey(t)
	cfg := token.Config{Issuer: "comanda", Audience: "comanda-api"}
	var loads atomic.Int32
	v := token.NewReloadingVerifier(cfg, map[string]*rsa.PublicKey{"old": &oldKey.PublicKey},
		func(context.Context) (map[string]*rsa.PublicKey, error) {
			loads.Add(1)
			return map[string]*rsa.PublicKey{"new": &newKey.PublicKey}, nil
		})

	if _, err := v.Verify(sign(t, newKey, "new", cfg)); err != nil {
		t.Fatalf("token of the rotated key rejected: %v", err)
	}
	if _, err := v.Verify(sign(t, newKey, "made-up", cfg)); err == nil {
		t.Fatal("token with an unknown kid accepted")
	}
	if n := loads.Load(); n != 1 {
		t.Fatalf("keys loaded %d times; want once within the refresh interval", n)
	}
}

func rsaKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func sign(t testing.TB, key *rsa.PrivateKey, kid string, cfg token.Config) string {
	t.Helper()
	now := time.Now()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, token.Claims{Role: token.RoleCustomer, Name: "Ana", RegisteredClaims: jwt.RegisteredClaims{
		Issuer: cfg.Issuer, Audience: jwt.ClaimStrings{cfg.Audience}, Subject: "c1",
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour)),
	}})
	tok.Header["kid"] = kid
	raw, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
