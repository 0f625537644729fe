package features

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/comanda/comanda/harness/apiclient"
	"github.com/comanda/comanda/services/platform/token"
)

// forgery turns a genuine customer token into one the services must refuse.
type forgery func(ctx context.Context, genuine string) (string, error)

// forgeries by the words the security feature uses for them.
var forgeries = map[string]forgery{
	"signed by another key under the project's kid": func(_ context.Context, genuine string) (string, error) {
		key, err := impostorKey()
		if err != nil {
			return "", err
		}
		return resign(genuine, jwt.SigningMethodRS256, key, map[string]any{"role": token.RoleEmployee})
	},
	"that expired an hour ago": func(ctx context.Context, genuine string) (string, error) {
		claims, err := payload(genuine)
		if err != nil {
			return "", err
		}
		sub, _ := claims["sub"].(string)
		return suite.SignToken(ctx, token.RoleCustomer, sub, "Expired", -time.Hour)
	},
	"with the algorithm none": func(_ context.Context, genuine string) (string, error) {
		return resign(genuine, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, nil)
	},
	"whose role its holder changed to employee": func(_ context.Context, genuine string) (string, error) {
		return tamper(genuine, "role", token.RoleEmployee)
	},
	"signed with HS256 and the published public key": func(ctx context.Context, genuine string) (string, error) {
		pemKey, err := publishedKeyPEM(ctx)
		if err != nil {
			return "", err
		}
		return resign(genuine, jwt.SigningMethodHS256, pemKey, nil)
	},
}

// impostorKey is a key of no standing, made once per test binary.
var impostorKey = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) })

// parts splits a compact JWS and decodes its header and payload.
func parts(raw string) (header, claims map[string]any, err error) {
	segs := strings.Split(raw, ".")
	if len(segs) != 3 {
		return nil, nil, fmt.Errorf("not a JWS: %d parts", len(segs))
	}
	for i, into := range []*map[string]any{&header, &claims} {
		b, err := base64.RawURLEncoding.DecodeString(segs[i])
		if err != nil {
			return nil, nil, err
		}
		if err := json.Unmarshal(b, into); err != nil {
			return nil, nil, err
		}
	}
	return header, claims, nil
}

func payload(raw string) (map[string]any, error) {
	_, claims, err := parts(raw)
	return claims, err
}

// resign signs genuine's claims, changed by edits, with method and key,
// keeping its kid.
func resign(genuine string, method jwt.SigningMethod, key any, edits map[string]any) (string, error) {
	header, claims, err := parts(genuine)
	if err != nil {
		return "", err
	}
	for k, v := range edits {
		claims[k] = v
	}
	tok := jwt.NewWithClaims(method, jwt.MapClaims(claims))
	tok.Header["kid"] = header["kid"]
	return tok.SignedString(key)
}

// tamper sets claim in genuine's payload and keeps its signature.
func tamper(genuine, claim string, value any) (string, error) {
	segs := strings.Split(genuine, ".")
	claims, err := payload(genuine)
	if err != nil {
		return "", err
	}
	claims[claim] = value
	b, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	segs[1] = base64.RawURLEncoding.EncodeToString(b)
	return strings.Join(segs, "."), nil
}

// publishedKeyPEM is the signing key from the public JWK set, as PEM: what
// an attacker would try as an HMAC secret.
func publishedKeyPEM(ctx context.Context) ([]byte, error) {
	res, err := apiclient.New(suite.GatewayURL).Do(ctx, "GET", "/auth/.well-known/jwks.json", "", nil)
	if err != nil {
		return nil, err
	}
	var set apiclient.JWKS
	if err := res.Expect(200, &set); err != nil {
		return nil, err
	}
	if len(set.Keys) == 0 {
		return nil, errors.New("the JWK set is empty")
	}
	n, errN := base64.RawURLEncoding.DecodeString(set.Keys[0].N)
	e, errE := base64.RawURLEncoding.DecodeString(set.Keys[0].E)
	if err := errors.Join(errN, errE); err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKIXPublicKey(&rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())})
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}

// seenTokens collects every bearer token the scenarios and tests held, so
// that the log scan can look for each of them.
var seenTokens tokenSet

type tokenSet struct {
	mu  sync.Mutex
	set map[string]bool
}

func (s *tokenSet) add(tokens ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.set == nil {
		s.set = map[string]bool{}
	}
	for _, t := range tokens {
		if t != "" {
			s.set[t] = true
		}
	}
}

func (s *tokenSet) all() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for t := range s.set {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}
