package token_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/google/uuid"
	"github.com/sivchari/kumo"

	"github.com/comanda/comanda/services/platform/awsconf"
	"github.com/comanda/comanda/services/platform/token"
)

// emulator holds the project secret; one per package, since kumo's state
// is process-wide and starting servers concurrently races inside it.
var emulator *kumo.Server

func TestMain(m *testing.M) {
	emulator = kumo.NewServer()
	code := m.Run()
	emulator.Close()
	os.Exit(code)
}

// putSecret stores value under a fresh name and returns the name.
func putSecret(t *testing.T, value string) (*secretsmanager.Client, string) {
	t.Helper()
	clients, err := awsconf.New(t.Context(), awsconf.Config{Region: "us-east-1", Endpoint: emulator.URL})
	if err != nil {
		t.Fatal(err)
	}
	name := "comanda/project-" + uuid.NewString()
	if _, err := clients.SecretsManager.CreateSecret(t.Context(), &secretsmanager.CreateSecretInput{
		Name: aws.String(name), SecretString: aws.String(value),
	}); err != nil {
		t.Fatalf("create secret: %v", err)
	}
	return clients.SecretsManager, name
}

func TestVerifierFromSecretTrustsTheSecretsKey(t *testing.T) {
	t.Parallel()
	secret, _ := json.Marshal(token.ProjectSecret{KeyID: testKID, PublicKeyPEM: publicKeyPEM(t, &signingKey().PublicKey)})
	sm, name := putSecret(t, string(secret))
	cfg := testConfig
	cfg.SecretID = name
	v, err := token.VerifierFromSecret(t.Context(), sm, cfg)
	if err != nil {
		t.Fatalf("VerifierFromSecret = %v", err)
	}
	if _, err := v.Verify(sign(t, validClaims(), testKID)); err != nil {
		t.Fatalf("a token signed with the secret's key was rejected: %v", err)
	}
	if _, err := v.Verify(sign(t, validClaims(), "another-kid")); !errors.Is(err, token.ErrInvalid) {
		t.Fatalf("a token with another kid = %v; want ErrInvalid", err)
	}
}

func TestLoadSecretRejectsIncompleteSecrets(t *testing.T) {
	t.Parallel()
	for name, value := range map[string]string{
		"not JSON":      "hunter2",
		"no key id":     `{"jwt_public_key_pem":"x"}`,
		"no public key": `{"jwt_key_id":"k"}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			sm, id := putSecret(t, value)
			if s, err := token.LoadSecret(t.Context(), sm, id); err == nil {
				t.Fatalf("LoadSecret = %+v; want an error", s)
			}
		})
	}
	sm, _ := putSecret(t, "{}")
	if _, err := token.LoadSecret(t.Context(), sm, "comanda/absent-"+uuid.NewString()); err == nil {
		t.Fatal("LoadSecret of a missing secret succeeded")
	}
}

func TestProjectSecretPublicKey(t *testing.T) {
	t.Parallel()
	s := token.ProjectSecret{KeyID: testKID, PublicKeyPEM: publicKeyPEM(t, &signingKey().PublicKey)}
	key, err := s.PublicKey()
	if err != nil {
		t.Fatalf("PublicKey = %v", err)
	}
	if !key.Equal(&signingKey().PublicKey) {
		t.Fatal("PublicKey returned a different key")
	}
}

func TestProjectSecretPublicKeyRejectsGarbage(t *testing.T) {
	t.Parallel()
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"empty":          "",
		"not PEM":        "definitely not a key",
		"bad DER":        "-----BEGIN PUBLIC KEY-----\nZ2FyYmFnZQ==\n-----END PUBLIC KEY-----\n",
		"not an RSA key": publicKeyPEM(t, &ec.PublicKey),
	}
	for name, pemText := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if key, err := (token.ProjectSecret{KeyID: testKID, PublicKeyPEM: pemText}).PublicKey(); err == nil {
				t.Fatalf("PublicKey = %v; want an error", key)
			}
		})
	}
}
