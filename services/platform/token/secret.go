package token

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// ProjectSecret is the part of the project secret that concerns tokens: the
// KMS key that signs them (its id is also the tokens' kid) and its public key.
type ProjectSecret struct {
	KeyID        string `json:"jwt_key_id"`
	PublicKeyPEM string `json:"jwt_public_key_pem"`
}

// LoadSecret reads the project secret.
func LoadSecret(ctx context.Context, sm *secretsmanager.Client, secretID string) (ProjectSecret, error) {
	out, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(secretID)})
	if err != nil {
		return ProjectSecret{}, fmt.Errorf("read project secret %s: %w", secretID, err)
	}
	var s ProjectSecret
	if err := json.Unmarshal([]byte(aws.ToString(out.SecretString)), &s); err != nil {
		return ProjectSecret{}, fmt.Errorf("decode project secret %s: %w", secretID, err)
	}
	if s.KeyID == "" || s.PublicKeyPEM == "" {
		return ProjectSecret{}, fmt.Errorf("project secret %s lacks jwt_key_id or jwt_public_key_pem", secretID)
	}
	return s, nil
}

// PublicKey parses the secret's PEM public key.
func (s ProjectSecret) PublicKey() (*rsa.PublicKey, error) {
	block, _ := pem.Decode([]byte(s.PublicKeyPEM))
	if block == nil {
		return nil, errors.New("jwt public key: no PEM block")
	}
	key, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("jwt public key: %w", err)
	}
	rsaKey, ok := key.(*rsa.PublicKey)
	if !ok {
		return nil, errors.New("jwt public key is not RSA")
	}
	return rsaKey, nil
}

// VerifierFromSecret builds a Verifier that trusts the project secret's key
// and reads the secret again when a token names a kid it does not know, so a
// rotated signing key is picked up without a restart.
func VerifierFromSecret(ctx context.Context, sm *secretsmanager.Client, c Config) (*Verifier, error) {
	load := func(ctx context.Context) (map[string]*rsa.PublicKey, error) {
		s, err := LoadSecret(ctx, sm, c.SecretID)
		if err != nil {
			return nil, err
		}
		key, err := s.PublicKey()
		if err != nil {
			return nil, err
		}
		return map[string]*rsa.PublicKey{s.KeyID: key}, nil
	}
	keys, err := load(ctx)
	if err != nil {
		return nil, err
	}
	return NewReloadingVerifier(c, keys, load), nil
}
