package token_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/comanda/comanda/harness/awsenv/awstest"
	"github.com/comanda/comanda/services/platform/token"
	"github.com/comanda/comanda/services/platform/token/tokentest"
)

func TestMain(m *testing.M) { awstest.Main(m) }

// putSecret stores value under a fresh name and returns the name.
func putSecret(t *testing.T, value string) (*secretsmanager.Client, string) {
	t.Helper()
	_, clients := awstest.Clients(t)
	name := awstest.UniqueName("comanda/project-")
	awstest.CreateSecret(t, clients, name, value)
	return clients.SecretsManager, name
}

func TestVerifierFromSecretTrustsTheSecretsKey(t *testing.T) {
	t.Parallel()
	iss := tokentest.New(t)
	sm, name := putSecret(t, iss.SecretJSON(t))
	cfg := iss.Config
	cfg.SecretID = name
	v, err := token.VerifierFromSecret(t.Context(), sm, cfg)
	if err != nil {
		t.Fatalf("VerifierFromSecret = %v", err)
	}
	if _, err := v.Verify(iss.Sign(t, validClaims(iss))); err != nil {
		t.Fatalf("a token signed with the secret's key was rejected: %v", err)
	}
	if _, err := v.Verify(withKID(iss, "another-kid").Sign(t, validClaims(iss))); !errors.Is(err, token.ErrInvalid) {
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
	if _, err := token.LoadSecret(t.Context(), sm, awstest.UniqueName("comanda/absent-")); err == nil {
		t.Fatal("LoadSecret of a missing secret succeeded")
	}
}

func TestProjectSecretPublicKey(t *testing.T) {
	t.Parallel()
	iss := tokentest.New(t)
	s := iss.ProjectSecret(t)
	key, err := s.PublicKey()
	if err != nil {
		t.Fatalf("PublicKey = %v", err)
	}
	if !key.Equal(&iss.Key.PublicKey) {
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
		"not an RSA key": tokentest.PublicKeyPEM(t, &ec.PublicKey),
	}
	for name, pemText := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if key, err := (token.ProjectSecret{KeyID: "alias/comanda-jwt-test", PublicKeyPEM: pemText}).PublicKey(); err == nil {
				t.Fatalf("PublicKey = %v; want an error", key)
			}
		})
	}
}
