package awsenv

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// What KMS signs with the key the secret names verifies with the public key
// the secret holds: the contract between the auth service and every verifier.
func TestSignatureVerifiesWithTheSecretsKey(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	ctx := t.Context()

	got, err := env.Clients.SecretsManager.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(env.SecretID)})
	if err != nil {
		t.Fatalf("GetSecretValue: %v", err)
	}
	var secret struct {
		KeyID string `json:"jwt_key_id"`
		PEM   string `json:"jwt_public_key_pem"`
	}
	if err := json.Unmarshal([]byte(aws.ToString(got.SecretString)), &secret); err != nil {
		t.Fatalf("decode secret: %v", err)
	}
	if secret.KeyID != env.KeyID {
		t.Errorf("secret names key %q, want %q", secret.KeyID, env.KeyID)
	}
	block, _ := pem.Decode([]byte(secret.PEM))
	if block == nil || block.Type != "PUBLIC KEY" {
		t.Fatalf("secret's PEM has no PUBLIC KEY block: %q", secret.PEM)
	}
	parsed, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		t.Fatalf("parse public key: %v", err)
	}
	pub, ok := parsed.(*rsa.PublicKey)
	if !ok || pub.N.BitLen() != 2048 {
		t.Fatalf("public key is %T, want RSA 2048", parsed)
	}

	msg := []byte("header.payload")
	signed, err := env.Clients.KMS.Sign(ctx, &kms.SignInput{
		KeyId: aws.String(secret.KeyID), Message: msg,
		MessageType: kmstypes.MessageTypeRaw, SigningAlgorithm: kmstypes.SigningAlgorithmSpecRsassaPkcs1V15Sha256,
	})
	if err != nil {
		t.Fatalf("KMS Sign: %v", err)
	}
	digest := sha256.Sum256(msg)
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], signed.Signature); err != nil {
		t.Errorf("signature does not verify with the secret's key: %v", err)
	}
	other := sha256.Sum256([]byte("header.tampered"))
	if rsa.VerifyPKCS1v15(pub, crypto.SHA256, other[:], signed.Signature) == nil {
		t.Error("signature verifies for another message")
	}
}
