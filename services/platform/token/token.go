// Package token verifies the RS256 access tokens the auth service issues and
// puts their claims in the request context; every service checks tokens
// itself with the public key from the project secret.
package token

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Roles.
const (
	RoleCustomer = "customer"
	RoleEmployee = "employee"
)

// Config names the issuer and audience every token must carry.
type Config struct {
	SecretID string `env:"PROJECT_SECRET_ID, default=comanda/project"`
	Issuer   string `env:"JWT_ISSUER, default=comanda"`
	Audience string `env:"JWT_AUDIENCE, default=comanda-api"`
}

// Claims are the token's claims.
type Claims struct {
	Role string `json:"role"`
	Name string `json:"name"`
	jwt.RegisteredClaims
}

// IsEmployee reports whether the bearer is staff.
func (c Claims) IsEmployee() bool { return c.Role == RoleEmployee }

// ErrInvalid is any reason a token is not accepted.
var ErrInvalid = errors.New("invalid token")

// Verifier checks signatures with the public keys it knows by kid.
type Verifier struct {
	keys   *keyring
	parser *jwt.Parser
}

// Leeway absorbs clock skew between services on exp, nbf and iat.
const Leeway = 30 * time.Second

// NewVerifier accepts tokens signed by one of keys (kid → key).
func NewVerifier(c Config, keys map[string]*rsa.PublicKey) *Verifier {
	return newVerifier(c, newKeyring(keys, nil))
}

// NewReloadingVerifier starts with keys and reloads them with load when a
// token names an unknown kid, at most once per RefreshInterval.
func NewReloadingVerifier(c Config, keys map[string]*rsa.PublicKey, load KeyLoader) *Verifier {
	return newVerifier(c, newKeyring(keys, load))
}

func newVerifier(c Config, keys *keyring) *Verifier {
	return &Verifier{
		keys: keys,
		parser: jwt.NewParser(
			jwt.WithValidMethods([]string{jwt.SigningMethodRS256.Alg()}),
			jwt.WithIssuer(c.Issuer),
			jwt.WithAudience(c.Audience),
			jwt.WithExpirationRequired(),
			jwt.WithIssuedAt(),
			jwt.WithLeeway(Leeway),
		),
	}
}

// Verify parses and checks raw, returning its claims. The header must name
// a known key by kid, even while there is only one key, and must not ask for
// extensions we do not understand (crit). Its typ is not looked at: the
// signature, issuer and audience say what the token is for.
func (v *Verifier) Verify(raw string) (Claims, error) {
	var claims Claims
	_, err := v.parser.ParseWithClaims(raw, &claims, v.keyFor)
	if err != nil {
		return Claims{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if claims.Subject == "" || (claims.Role != RoleCustomer && claims.Role != RoleEmployee) {
		return Claims{}, fmt.Errorf("%w: sub and a known role are required", ErrInvalid)
	}
	return claims, nil
}

// keyFor picks the key t's header names. The parser has already refused
// any algorithm but RS256, so the key is only ever used as an RSA key.
func (v *Verifier) keyFor(t *jwt.Token) (any, error) {
	if _, ok := t.Header["crit"]; ok {
		return nil, errors.New("crit header parameters are not supported")
	}
	kid, ok := t.Header["kid"].(string)
	if !ok || kid == "" {
		return nil, errors.New("the header names no kid")
	}
	key, ok := v.keys.key(kid)
	if !ok {
		return nil, fmt.Errorf("unknown kid %.64q", kid)
	}
	return key, nil
}
