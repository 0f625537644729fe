package auth

import (
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
)

// JWK is one RSA public key in JSON Web Key form (RFC 7517/7518).
type JWK struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	N   string `json:"n"`
	E   string `json:"e"`
}

// JWKSet is the document served at /auth/.well-known/jwks.json.
type JWKSet struct {
	Keys []JWK `json:"keys"`
}

// NewJWK describes key, known as kid, as an RS256 signing key; n and e are
// unpadded base64url big-endian integers.
func NewJWK(kid string, key *rsa.PublicKey) JWK {
	return JWK{
		Kty: "RSA",
		Kid: kid,
		Use: "sig",
		Alg: "RS256",
		N:   base64.RawURLEncoding.EncodeToString(key.N.Bytes()),
		E:   base64.RawURLEncoding.EncodeToString(big.NewInt(int64(key.E)).Bytes()),
	}
}

// encodeJWKSet renders the set once, since it never changes while running.
func encodeJWKSet(keys ...JWK) ([]byte, error) {
	b, err := json.Marshal(JWKSet{Keys: keys})
	if err != nil {
		return nil, fmt.Errorf("encode JWK set: %w", err)
	}
	return b, nil
}
