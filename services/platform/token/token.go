// Package token verifies the RS256 access tokens the auth service issues and
// puts their claims in the request context; every service checks tokens
// itself with the public key from the project secret.
package token

import (
	"crypto/rsa"
	"crypto/sha256"
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

// Verifier checks signatures with the public keys it knows by kid. It
// remembers the tokens it accepted until they expire, as long as the key
// that signed them is still trusted, so it is meant to be shared by every
// request of a service.
type Verifier struct {
	keys   *keyring
	parser *jwt.Parser
	cache  *tokenCache
	now    func() time.Time // the clock for exp, nbf and iat
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
	v := &Verifier{keys: keys, cache: newTokenCache(), now: time.Now}
	v.parser = jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodRS256.Alg()}),
		jwt.WithIssuer(c.Issuer),
		jwt.WithAudience(c.Audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(Leeway),
		jwt.WithTimeFunc(func() time.Time { return v.now() }),
	)
	return v
}

// Verify parses and checks raw, returning its claims. The header must name
// a known key by kid, even while there is only one key, and must not ask for
// extensions we do not understand (crit). Its typ is not looked at: the
// signature, issuer and audience say what the token is for.
//
// A token accepted before is answered from the cache until it expires (with
// the same Leeway), unless the key that verified it is no longer trusted: a
// key retired more than RetiredKeyGrace ago, or a kid now naming another key.
// nbf and iat need no second look, since time only moves them further into
// the past.
func (v *Verifier) Verify(raw string) (Claims, error) {
	sum := sha256.Sum256([]byte(raw))
	if hit, ok := v.cache.get(sum, v.now()); ok {
		if v.keys.trusts(hit.kid, hit.key) {
			return hit.claims.clone(), nil
		}
		v.cache.drop(sum)
	}
	claims, kid, key, err := v.verify(raw)
	if err != nil {
		return Claims{}, err
	}
	v.cache.put(sum, cachedToken{claims: claims.clone(), until: claims.ExpiresAt.Add(Leeway), kid: kid, key: key})
	return claims, nil
}

// verify checks raw with the parser and reports which key verified it.
func (v *Verifier) verify(raw string) (claims Claims, kid string, key *rsa.PublicKey, err error) {
	_, err = v.parser.ParseWithClaims(raw, &claims, func(t *jwt.Token) (any, error) {
		var keyErr error
		kid, key, keyErr = v.keyFor(t)
		if keyErr != nil {
			return nil, keyErr
		}
		return key, nil
	})
	if err != nil {
		return Claims{}, "", nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if claims.Subject == "" || (claims.Role != RoleCustomer && claims.Role != RoleEmployee) {
		return Claims{}, "", nil, fmt.Errorf("%w: sub and a known role are required", ErrInvalid)
	}
	return claims, kid, key, nil
}

// keyFor picks the key t's header names. The parser has already refused
// any algorithm but RS256, so the key is only ever used as an RSA key.
func (v *Verifier) keyFor(t *jwt.Token) (string, *rsa.PublicKey, error) {
	if _, ok := t.Header["crit"]; ok {
		return "", nil, errors.New("crit header parameters are not supported")
	}
	kid, ok := t.Header["kid"].(string)
	if !ok || kid == "" {
		return "", nil, errors.New("the header names no kid")
	}
	key, ok := v.keys.key(kid)
	if !ok {
		return "", nil, fmt.Errorf("unknown kid %.64q", kid)
	}
	return kid, key, nil
}
