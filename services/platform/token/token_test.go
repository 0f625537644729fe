package token_test

import (
	"errors"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/comanda/comanda/services/platform/token"
	"github.com/comanda/comanda/services/platform/token/tokentest"
)

func TestVerifyAcceptsAValidToken(t *testing.T) {
	t.Parallel()
	iss := tokentest.New(t)
	want := validClaims(iss)
	want.Role = token.RoleEmployee
	got, err := iss.Verifier().Verify(iss.Sign(t, want))
	if err != nil {
		t.Fatalf("Verify = %v; want the claims", err)
	}
	if got.Subject != want.Subject || got.Role != token.RoleEmployee || got.Name != "Ana" || !got.IsEmployee() {
		t.Fatalf("claims = %+v; want %+v", got, want)
	}
}

func TestVerifyToleratesClockSkewWithinLeeway(t *testing.T) {
	t.Parallel()
	iss := tokentest.New(t)
	c := validClaims(iss)
	// Another service's clock is a little ahead of ours.
	c.IssuedAt = jwt.NewNumericDate(time.Now().Add(token.Leeway / 2))
	c.NotBefore = c.IssuedAt
	if _, err := iss.Verifier().Verify(iss.Sign(t, c)); err != nil {
		t.Fatalf("Verify = %v; want skew within %s accepted", err, token.Leeway)
	}
}

func TestVerifyRejects(t *testing.T) {
	t.Parallel()
	iss := tokentest.New(t)
	now := time.Now()
	with := func(edit func(*token.Claims)) string {
		c := validClaims(iss)
		edit(&c)
		return iss.Sign(t, c)
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
		"unknown kid":                         withKID(iss, "alias/someone-else").Sign(t, validClaims(iss)),
		"missing kid":                         withKID(iss, "").Sign(t, validClaims(iss)),
		"alg none":                            noneToken(t, iss),
		"HS256 with the public key as secret": hmacWithPublicKey(t, iss),
		"signed by another key with our kid":  iss.Impostor(t).Sign(t, validClaims(iss)),
		"tampered payload":                    tampered(t, iss),
		"not a JWT":                           "not.a.jwt",
		"empty":                               "",
	}
	for name, raw := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			claims, err := iss.Verifier().Verify(raw)
			if !errors.Is(err, token.ErrInvalid) {
				t.Fatalf("Verify = %+v, %v; want ErrInvalid", claims, err)
			}
			if claims.Subject != "" || claims.Role != "" {
				t.Errorf("rejected token still returned claims %+v", claims)
			}
		})
	}
}

func noneToken(t *testing.T, iss *tokentest.Issuer) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodNone, validClaims(iss))
	tok.Header["kid"] = iss.KID
	raw, err := tok.SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// hmacWithPublicKey is the classic algorithm-confusion attack: anyone can
// read the public key, so a verifier that let the token pick HS256 would
// accept this forgery.
func hmacWithPublicKey(t *testing.T, iss *tokentest.Issuer) string {
	t.Helper()
	secret := []byte(tokentest.PublicKeyPEM(t, &iss.Key.PublicKey))
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, validClaims(iss))
	tok.Header["kid"] = iss.KID
	raw, err := tok.SignedString(secret)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// tampered promotes a customer to employee in a correctly signed token.
func tampered(t *testing.T, iss *tokentest.Issuer) string {
	t.Helper()
	return tokentest.Tamper(t, iss.Sign(t, validClaims(iss)), "role", token.RoleEmployee)
}
