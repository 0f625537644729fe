package token_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/comanda/comanda/services/platform/token"
)

func TestVerifyAcceptsAValidToken(t *testing.T) {
	t.Parallel()
	want := validClaims()
	want.Role = token.RoleEmployee
	got, err := newVerifier().Verify(sign(t, want, testKID))
	if err != nil {
		t.Fatalf("Verify = %v; want the claims", err)
	}
	if got.Subject != want.Subject || got.Role != token.RoleEmployee || got.Name != "Ana" || !got.IsEmployee() {
		t.Fatalf("claims = %+v; want %+v", got, want)
	}
}

func TestVerifyToleratesClockSkewWithinLeeway(t *testing.T) {
	t.Parallel()
	c := validClaims()
	// Another service's clock is a little ahead of ours.
	c.IssuedAt = jwt.NewNumericDate(time.Now().Add(token.Leeway / 2))
	c.NotBefore = c.IssuedAt
	if _, err := newVerifier().Verify(sign(t, c, testKID)); err != nil {
		t.Fatalf("Verify = %v; want skew within %s accepted", err, token.Leeway)
	}
}

func TestVerifyRejects(t *testing.T) {
	t.Parallel()
	now := time.Now()
	otherKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	with := func(edit func(*token.Claims)) string {
		c := validClaims()
		edit(&c)
		return sign(t, c, testKID)
	}
	cases := map[string]string{
		"expired":                             with(func(c *token.Claims) { c.ExpiresAt = jwt.NewNumericDate(now.Add(-time.Hour)) }),
		"no expiry":                           with(func(c *token.Claims) { c.ExpiresAt = nil }),
		"not yet valid":                       with(func(c *token.Claims) { c.NotBefore = jwt.NewNumericDate(now.Add(time.Hour)) }),
		"issued in the future":                with(func(c *token.Claims) { c.IssuedAt = jwt.NewNumericDate(now.Add(time.Hour)) }),
		"wrong issuer":                        with(func(c *token.Claims) { c.Issuer = "evil" }),
		"wrong audience":                      with(func(c *token.Claims) { c.Audience = jwt.ClaimStrings{"other-api"} }),
		"no audience":                         with(func(c *token.Claims) { c.Audience = nil }),
		"missing sub":                         with(func(c *token.Claims) { c.Subject = "" }),
		"unknown role":                        with(func(c *token.Claims) { c.Role = "admin" }),
		"missing role":                        with(func(c *token.Claims) { c.Role = "" }),
		"unknown kid":                         sign(t, validClaims(), "alias/someone-else"),
		"missing kid":                         sign(t, validClaims(), ""),
		"alg none":                            noneToken(t),
		"HS256 with the public key as secret": hmacWithPublicKey(t),
		"signed by another key with our kid":  signWith(t, otherKey, validClaims(), testKID),
		"tampered payload":                    tampered(t),
		"not a JWT":                           "not.a.jwt",
		"empty":                               "",
	}
	for name, raw := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			claims, err := newVerifier().Verify(raw)
			if !errors.Is(err, token.ErrInvalid) {
				t.Fatalf("Verify = %+v, %v; want ErrInvalid", claims, err)
			}
			if claims.Subject != "" || claims.Role != "" {
				t.Errorf("rejected token still returned claims %+v", claims)
			}
		})
	}
}

func signWith(t *testing.T, key *rsa.PrivateKey, claims token.Claims, kid string) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = kid
	raw, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func noneToken(t *testing.T) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodNone, validClaims())
	tok.Header["kid"] = testKID
	raw, err := tok.SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// hmacWithPublicKey is the classic algorithm-confusion attack: anyone can
// read the public key, so a verifier that let the token pick HS256 would
// accept this forgery.
func hmacWithPublicKey(t *testing.T) string {
	t.Helper()
	secret := []byte(publicKeyPEM(t, &signingKey().PublicKey))
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, validClaims())
	tok.Header["kid"] = testKID
	raw, err := tok.SignedString(secret)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// tampered promotes a customer to employee in a correctly signed token.
func tampered(t *testing.T) string {
	t.Helper()
	parts := strings.Split(sign(t, validClaims(), testKID), ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatal(err)
	}
	claims["role"] = token.RoleEmployee
	payload, err = json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	parts[1] = base64.RawURLEncoding.EncodeToString(payload)
	return strings.Join(parts, ".")
}
