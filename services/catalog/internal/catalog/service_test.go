package catalog

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/comanda/comanda/harness/awsenv/awstest"
	"github.com/comanda/comanda/harness/pgcluster/pgtest"
	"github.com/comanda/comanda/services/platform/config"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/postgres"
	"github.com/comanda/comanda/services/platform/token"
	"github.com/comanda/comanda/services/platform/token/tokentest"
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
	err = Run(t.Context(), Config{Addr: ":0", Token: token.Config{SecretID: "unused", Issuer: "comanda", Audience: "comanda-api"}}, logging.Discard())
	if err == nil || !strings.Contains(err.Error(), "DATABASE_URL") {
		t.Fatalf("Run without DATABASE_URL: %v; want an error naming it", err)
	}
}

// TestRun starts the service as the harness does: its verification key from
// the project secret in the emulator, a fresh database, a given listener.
func TestRun(t *testing.T) {
	t.Parallel()
	awsCfg, clients := awstest.Clients(t)
	tokens := tokentest.New(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{AWS: awsCfg, Token: tokens.Config, DB: postgres.Config{URL: pgtest.NewDatabase(t), MaxConns: 4}, Listener: ln}
	cfg.Token.SecretID = awstest.UniqueName("catalog-test/")
	awstest.CreateSecret(t, clients, cfg.Token.SecretID, tokens.SecretJSON(t))
	base := "http://" + cfg.Listener.Addr().String()

	ctx, stop := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, cfg, logging.Discard()) }()

	doRequest(t, base, "GET", "/readyz", "", "").decode(t, 200, nil)
	var p Product
	staff := tokens.Employee(t)
	doRequest(t, base, "POST", "/products", staff, productBody(uniqueName("X-Run"), "9.5", lancheID)).decode(t, 201, &p)
	doRequest(t, base, "DELETE", "/products/"+p.ID, tokens.Token(t, token.RoleCustomer), "").wantError(t, 403, "forbidden")

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
