// Package tokentest issues access tokens for tests, as the auth service
// would: RS256, with a kid naming the key, for the project's issuer and
// audience. It also gives the verifier and the project secret that trust
// them. It is for tests only; production tokens are signed through KMS.
package tokentest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/comanda/comanda/services/platform/token"
)

// Issuer signs test tokens with Key, known to its verifier as KID.
type Issuer struct {
	KID    string
	Key    *rsa.PrivateKey
	Config token.Config
}

// sharedKey is the one RSA key of the test binary: generating a 2048-bit key
// takes long enough to slow a package's tests down. Issuers still differ by
// KID, so one issuer's verifier rejects another's tokens.
var sharedKey = sync.OnceValues(func() (*rsa.PrivateKey, error) {
	return rsa.GenerateKey(rand.Reader, 2048)
})

// impostorKey is the one other key, for forgeries.
var impostorKey = sync.OnceValues(func() (*rsa.PrivateKey, error) {
	return rsa.GenerateKey(rand.Reader, 2048)
})

// New returns an issuer with a fresh KID, for the default issuer and audience.
func New(t testing.TB) *Issuer {
	t.Helper()
	key, err := sharedKey()
	if err != nil {
		t.Fatalf("tokentest: generate RSA key: %v", err)
	}
	return &Issuer{
		KID:    "tokentest-" + uuid.NewString(),
		Key:    key,
		Config: token.Config{Issuer: "comanda", Audience: "comanda-api"},
	}
}

// Impostor signs under the issuer's KID, issuer and audience, but with
// another key: what a forger who read the JWK set would make.
func (i *Issuer) Impostor(t testing.TB) *Issuer {
	t.Helper()
	key, err := impostorKey()
	if err != nil {
		t.Fatalf("tokentest: generate RSA key: %v", err)
	}
	return &Issuer{KID: i.KID, Key: key, Config: i.Config}
}

// Verifier accepts the issuer's tokens.
func (i *Issuer) Verifier() *token.Verifier {
	return token.NewVerifier(i.Config, map[string]*rsa.PublicKey{i.KID: &i.Key.PublicKey})
}

// Claims are valid claims for subject, issued now and expiring in an hour.
func (i *Issuer) Claims(role, subject, name string) token.Claims {
	now := time.Now()
	return token.Claims{Role: role, Name: name, RegisteredClaims: jwt.RegisteredClaims{
		Issuer: i.Config.Issuer, Audience: jwt.ClaimStrings{i.Config.Audience}, Subject: subject,
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour)),
	}}
}

// Sign signs claims as they are, with the KID in the header unless it is empty.
func (i *Issuer) Sign(t testing.TB, claims token.Claims) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	if i.KID != "" {
		tok.Header["kid"] = i.KID
	}
	raw, err := tok.SignedString(i.Key)
	if err != nil {
		t.Fatalf("tokentest: sign: %v", err)
	}
	return raw
}

// Token is a valid token with role for a fresh subject named "Test <role>".
func (i *Issuer) Token(t testing.TB, role string) string {
	t.Helper()
	return i.Sign(t, i.Claims(role, uuid.NewString(), "Test "+role))
}

// Customer is a valid customer token for id, in name.
func (i *Issuer) Customer(t testing.TB, id, name string) string {
	t.Helper()
	return i.Sign(t, i.Claims(token.RoleCustomer, id, name))
}

// Employee is a valid employee token for a fresh staff member.
func (i *Issuer) Employee(t testing.TB) string {
	t.Helper()
	return i.Token(t, token.RoleEmployee)
}

// Tamper sets claim to value in raw's payload and keeps raw's header and
// signature: a genuine token whose holder promoted themself.
func Tamper(t testing.TB, raw, claim string, value any) string {
	t.Helper()
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		t.Fatalf("tokentest: %q is not a JWS compact token", raw)
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatalf("tokentest: decode payload: %v", err)
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatalf("tokentest: decode claims: %v", err)
	}
	claims[claim] = value
	if payload, err = json.Marshal(claims); err != nil {
		t.Fatalf("tokentest: encode claims: %v", err)
	}
	parts[1] = base64.RawURLEncoding.EncodeToString(payload)
	return strings.Join(parts, ".")
}

// ProjectSecret is the token part of the project secret that trusts the issuer.
func (i *Issuer) ProjectSecret(t testing.TB) token.ProjectSecret {
	t.Helper()
	return token.ProjectSecret{KeyID: i.KID, PublicKeyPEM: PublicKeyPEM(t, &i.Key.PublicKey)}
}

// SecretJSON is ProjectSecret as the JSON stored in Secrets Manager.
func (i *Issuer) SecretJSON(t testing.TB) string {
	t.Helper()
	b, err := json.Marshal(i.ProjectSecret(t))
	if err != nil {
		t.Fatalf("tokentest: encode project secret: %v", err)
	}
	return string(b)
}

// PublicKeyPEM encodes a public key (of any type) as a PEM PUBLIC KEY block.
func PublicKeyPEM(t testing.TB, key any) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(key)
	if err != nil {
		t.Fatalf("tokentest: marshal public key: %v", err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}
