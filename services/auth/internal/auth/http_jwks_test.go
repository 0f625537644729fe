package auth

import (
	"crypto/rsa"
	"encoding/base64"
	"math/big"
	"net/http"
	"testing"

	"github.com/comanda/comanda/services/platform/token"
)

func TestJWKS(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	r := e.do(http.MethodGet, "/auth/.well-known/jwks.json", "")
	r.wantStatus(t, http.StatusOK)
	if cc := r.header.Get("Cache-Control"); cc != jwksMaxAge {
		t.Errorf("Cache-Control = %q", cc)
	}
	var set JWKSet
	r.decode(t, &set)
	if len(set.Keys) != 1 {
		t.Fatalf("keys = %+v", set.Keys)
	}
	k := set.Keys[0]
	if k.Kty != "RSA" || k.Kid != e.secret.KeyID || k.Use != "sig" || k.Alg != "RS256" {
		t.Fatalf("jwk = %+v", k)
	}
	key := jwkPublicKey(t, k)
	if key.N.Cmp(e.publicKey.N) != 0 || key.E != e.publicKey.E {
		t.Fatal("JWK n/e do not match the KMS key")
	}
	// A verifier that knows only the JWK set accepts the service's tokens.
	tr := e.login(`{}`)
	v := token.NewVerifier(e.cfg.Token, map[string]*rsa.PublicKey{k.Kid: key})
	if _, err := v.Verify(tr.AccessToken); err != nil {
		t.Fatalf("verify with the JWK: %v", err)
	}
}

func jwkPublicKey(t *testing.T, k JWK) *rsa.PublicKey {
	t.Helper()
	n, err := base64.RawURLEncoding.DecodeString(k.N)
	if err != nil {
		t.Fatalf("n is not unpadded base64url: %v", err)
	}
	e, err := base64.RawURLEncoding.DecodeString(k.E)
	if err != nil {
		t.Fatalf("e is not unpadded base64url: %v", err)
	}
	return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
}
