package token

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/golang-jwt/jwt/v5"
)

// KMS is the part of the KMS API the signer uses.
type KMS interface {
	Sign(context.Context, *kms.SignInput, ...func(*kms.Options)) (*kms.SignOutput, error)
}

// Principal is whom a token speaks for.
type Principal struct {
	ID   string
	Name string
	Role string
}

// Signer issues RS256 JWTs whose signature KMS computes: the private key
// never leaves KMS. The KMS key id is also the tokens' kid.
type Signer struct {
	kms      KMS
	keyID    string
	issuer   string
	audience string
	now      func() time.Time
}

// NewSigner signs with the KMS key keyID, for c's issuer and audience.
func NewSigner(k KMS, keyID string, c Config) *Signer {
	return &Signer{kms: k, keyID: keyID, issuer: c.Issuer, audience: c.Audience, now: time.Now}
}

// Sign returns a token for p valid for ttl.
func (s *Signer) Sign(ctx context.Context, p Principal, ttl time.Duration) (string, error) {
	now := s.now().Truncate(time.Second)
	claims := Claims{
		Role: p.Role,
		Name: p.Name,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    s.issuer,
			Audience:  jwt.ClaimStrings{s.audience},
			Subject:   p.ID,
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
		},
	}
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	t.Header["kid"] = s.keyID
	input, err := t.SigningString()
	if err != nil {
		return "", fmt.Errorf("build token: %w", err)
	}
	sig, err := s.signDigest(ctx, input)
	if err != nil {
		return "", err
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// signDigest has KMS sign the SHA-256 of input with PKCS #1 v1.5, which is
// exactly JWS RS256.
func (s *Signer) signDigest(ctx context.Context, input string) ([]byte, error) {
	digest := sha256.Sum256([]byte(input))
	out, err := s.kms.Sign(ctx, &kms.SignInput{
		KeyId:            aws.String(s.keyID),
		Message:          digest[:],
		MessageType:      kmstypes.MessageTypeDigest,
		SigningAlgorithm: kmstypes.SigningAlgorithmSpecRsassaPkcs1V15Sha256,
	})
	if err != nil {
		return nil, fmt.Errorf("sign token with KMS key %s: %w", s.keyID, err)
	}
	if len(out.Signature) == 0 {
		return nil, errors.New("KMS returned an empty signature")
	}
	return out.Signature, nil
}
