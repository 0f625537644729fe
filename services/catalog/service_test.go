package catalog

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/google/uuid"
	"github.com/sivchari/kumo"

	"github.com/comanda/comanda/harness/pgcluster/pgtest"
	"github.com/comanda/comanda/services/platform/awsconf"
	"github.com/comanda/comanda/services/platform/config"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/postgres"
	"github.com/comanda/comanda/services/platform/token"
)

func TestConfigFromEnvironment(t *testing.T) {
	t.Parallel()
	var cfg Config
	if err := config.LoadFrom(t.Context(), map[string]string{"DATABASE_URL": "postgres://db/catalog"}, &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != ":8080" || cfg.DB.URL != "postgres://db/catalog" || cfg.Token.SecretID != "comanda/project" ||
		cfg.AWS.Region != "us-east-1" || cfg.Listener != nil {
		t.Fatalf("config %+v", cfg)
	}
	err := config.LoadFrom(t.Context(), map[string]string{}, &Config{})
	if err == nil || !strings.Contains(err.Error(), "DATABASE_URL") {
		t.Fatalf("without DATABASE_URL: %v; want an error naming it", err)
	}
	err = Run(t.Context(), Config{Addr: ":0", Token: testTokenConfig}, logging.Discard())
	if err == nil || !strings.Contains(err.Error(), "DATABASE_URL") {
		t.Fatalf("Run without DATABASE_URL: %v; want an error naming it", err)
	}
}

// TestRun starts the service as the harness does: its verification key from
// the project secret in the emulator, a fresh database, a given listener.
func TestRun(t *testing.T) {
	t.Parallel()
	srv := kumo.NewServer()
	defer srv.Close()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{
		AWS:   awsconf.Config{Region: "us-east-1", Endpoint: srv.URL},
		Token: token.Config{SecretID: "catalog-test/" + uuid.NewString(), Issuer: "comanda", Audience: "comanda-api"},
		DB:    postgres.Config{URL: pgtest.NewDatabase(t), MaxConns: 4},
	}
	putProjectSecret(t, cfg.AWS, cfg.Token.SecretID, &key.PublicKey)
	if cfg.Listener, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	base := "http://" + cfg.Listener.Addr().String()

	ctx, stop := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, cfg, logging.Discard()) }()

	doRequest(t, base, "GET", "/readyz", "", "").decode(t, 200, nil)
	var p Product
	staff := signToken(t, key, token.RoleEmployee)
	doRequest(t, base, "POST", "/products", staff, productBody(uniqueName("X-Run"), "9.5", lancheID)).decode(t, 201, &p)
	doRequest(t, base, "DELETE", "/products/"+p.ID, signToken(t, key, token.RoleCustomer), "").wantError(t, 403, "forbidden")

	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run() = %v after a stop; want nil", err)
		}
	case <-time.After(testTimeout):
		t.Fatal("Run did not return after its context ended")
	}
}

func putProjectSecret(t *testing.T, c awsconf.Config, id string, pub *rsa.PublicKey) {
	t.Helper()
	clients, err := awsconf.New(t.Context(), c)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	secret, _ := json.Marshal(token.ProjectSecret{
		KeyID:        testKeyID,
		PublicKeyPEM: string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})),
	})
	_, err = clients.SecretsManager.CreateSecret(t.Context(), &secretsmanager.CreateSecretInput{
		Name: aws.String(id), SecretString: aws.String(string(secret)),
	})
	if err != nil {
		t.Fatal(err)
	}
}
