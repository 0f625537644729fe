package auth

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/comanda/comanda/harness/awsenv/awstest"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/token"
	"github.com/comanda/comanda/services/platform/token/tokentest"
)

func TestRunServesUntilCancelled(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := e.cfg
	cfg.Listener = ln
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, cfg, logging.Discard()) }()

	base := "http://" + ln.Addr().String()
	waitStatus(t, base+"/readyz", http.StatusOK)
	resp, err := http.Post(base+"/auth/token", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /auth/token = %d", resp.StatusCode)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run returned %v after cancel", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

// waitStatus polls url until it answers status, for a bounded time.
func waitStatus(t *testing.T, url string, status int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == status {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never answered %d (last: %v)", url, status, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestRunFailsOnMissingSecret(t *testing.T) {
	t.Parallel()
	awsCfg, _ := awstest.Clients(t)
	cfg := testConfig(t, map[string]string{"AWS_ENDPOINT_URL": awsCfg.Endpoint, "PROJECT_SECRET_ID": awstest.UniqueName("missing-")})
	if err := Run(t.Context(), cfg, logging.Discard()); err == nil || !strings.Contains(err.Error(), "project secret") {
		t.Fatalf("Run = %v, want a project secret error", err)
	}
}

func TestRunFailsOnBadConfig(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t, map[string]string{"TOKEN_TTL": "0s"})
	if err := Run(t.Context(), cfg, logging.Discard()); err == nil || !strings.Contains(err.Error(), "TOKEN_TTL") {
		t.Fatalf("Run = %v, want an error naming TOKEN_TTL", err)
	}
}

func TestConfigDefaults(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t, map[string]string{})
	if cfg.CustomersTable != "customers" || cfg.TokenTTL != time.Hour || cfg.EmployeeTokenTTL != 8*time.Hour ||
		cfg.Employee.Email != "" || cfg.Employee.PasswordHash != "" || cfg.Employee.Name != "Staff" || cfg.Addr != ":8080" {
		t.Fatalf("defaults = %+v", cfg)
	}
}

func TestNewHandlerRejectsSecretOfAnotherKey(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	other := tokentest.New(t) // a key that KMS does not hold
	secret := token.ProjectSecret{KeyID: e.secret.KeyID, PublicKeyPEM: other.ProjectSecret(t).PublicKeyPEM}
	_, err := NewHandler(t.Context(), e.cfg, Deps{DynamoDB: e.clients.DynamoDB, KMS: e.clients.KMS, Secret: secret}, logging.Discard())
	if err == nil || !strings.Contains(err.Error(), "does not match") {
		t.Fatalf("NewHandler = %v, want a key mismatch error", err)
	}
}

func TestReadinessNeedsTheTable(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.do(http.MethodGet, "/readyz", "").wantStatus(t, http.StatusOK)
	cfg := e.cfg
	cfg.CustomersTable = awstest.UniqueName("absent-")
	h, err := NewHandler(t.Context(), cfg, Deps{DynamoDB: e.clients.DynamoDB, KMS: e.clients.KMS, Secret: e.secret}, logging.Discard())
	if err != nil {
		t.Fatal(err)
	}
	e.handler = h
	e.do(http.MethodGet, "/readyz", "").wantError(t, http.StatusServiceUnavailable, "not_ready")
}
