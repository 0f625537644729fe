package token_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/comanda/comanda/services/platform/token"
)

const testKID = "alias/comanda-jwt-test"

var testConfig = token.Config{Issuer: "comanda", Audience: "comanda-api"}

// signingKey is one RSA key for the whole package: generating keys is slow.
var signingKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

func newVerifier() *token.Verifier {
	return token.NewVerifier(testConfig, map[string]*rsa.PublicKey{testKID: &signingKey().PublicKey})
}

// validClaims are what the auth service issues to a customer.
func validClaims() token.Claims {
	now := time.Now()
	return token.Claims{
		Role: token.RoleCustomer,
		Name: "Ana",
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   "0b6f3c2e-8d1a-4c5e-9f7a-2b3c4d5e6f70",
			Issuer:    testConfig.Issuer,
			Audience:  jwt.ClaimStrings{testConfig.Audience},
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour)),
		},
	}
}

// sign issues claims as RS256 with kid, as the auth service does.
func sign(t *testing.T, claims token.Claims, kid string) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	raw, err := tok.SignedString(signingKey())
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return raw
}

func publicKeyPEM(t *testing.T, key any) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(key)
	if err != nil {
		t.Fatalf("marshal public key: %v", err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}
