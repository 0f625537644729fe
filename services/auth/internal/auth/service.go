package auth

import (
	"context"
	"crypto/rsa"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/comanda/comanda/services/platform/awsconf"
	"github.com/comanda/comanda/services/platform/telemetry"
	"github.com/comanda/comanda/services/platform/token"
	"github.com/comanda/comanda/services/platform/web"
)

// Run serves the auth service until ctx ends, then shuts down gracefully.
func Run(ctx context.Context, cfg Config, log *slog.Logger) error {
	if err := cfg.validate(); err != nil {
		return fmt.Errorf("auth configuration: %w", err)
	}

	tel, stopTelemetry, err := telemetry.Start(ctx, cfg.Telemetry, "auth", log)
	if err != nil {
		return err
	}
	defer stopTelemetry()
	cfg.AWS.Tracers = tel.Active()

	// Clients.
	clients, err := awsconf.New(ctx, cfg.AWS)
	if err != nil {
		return err
	}

	// Keys: the KMS key id and its public key come from the project secret.
	secret, err := token.LoadSecret(ctx, clients.SecretsManager, cfg.Token.SecretID)
	if err != nil {
		return err
	}

	// Domain and HTTP.
	handler, err := NewHandler(ctx, cfg, Deps{DynamoDB: clients.DynamoDB, KMS: clients.KMS, Secret: secret}, log)
	if err != nil {
		return err
	}
	ln, err := web.Listen(cfg.Listener, cfg.Addr)
	if err != nil {
		return err
	}
	return web.Serve(ctx, ln, tel.Handler(handler), log)
}

// Deps are the auth service's outside dependencies.
type Deps struct {
	DynamoDB DynamoDB
	KMS      token.KMS
	Secret   token.ProjectSecret
}

// NewHandler wires stores, employees, signer and routes into the service's
// HTTP handler, and checks that KMS signs with the key the secret publishes.
func NewHandler(ctx context.Context, cfg Config, d Deps, log *slog.Logger) (http.Handler, error) {
	publicKey, err := d.Secret.PublicKey()
	if err != nil {
		return nil, err
	}
	employees, err := NewEmployees(cfg.Employee)
	if err != nil {
		return nil, err
	}
	if !employees.Enabled() {
		log.Warn("no bootstrap employee configured: employee logins will fail",
			"missing", "BOOTSTRAP_EMPLOYEE_EMAIL or BOOTSTRAP_EMPLOYEE_PASSWORD_HASH")
	}
	signer := token.NewSigner(d.KMS, d.Secret.KeyID, cfg.Token)
	if err := checkSigningKey(ctx, signer, cfg.Token, d.Secret.KeyID, publicKey); err != nil {
		return nil, err
	}
	jwks, err := encodeJWKSet(NewJWK(d.Secret.KeyID, publicKey))
	if err != nil {
		return nil, err
	}
	customers := newStore(d.DynamoDB, cfg.CustomersTable)
	auth := NewAuth(customers, employees, signer, cfg.TokenTTL, cfg.EmployeeTokenTTL)
	router := web.NewRouter(log, customers.Ping)
	Routes(router, auth, cfg.RateLimit, jwks, log)
	return router, nil
}

// checkSigningKey signs a probe token and verifies it with the published
// key, so that a secret that names another key fails at start, not later in
// every other service.
func checkSigningKey(ctx context.Context, s *token.Signer, c token.Config, kid string, key *rsa.PublicKey) error {
	probe, err := s.Sign(ctx, token.Principal{ID: "startup-probe", Name: "probe", Role: token.RoleEmployee}, time.Minute)
	if err != nil {
		return fmt.Errorf("signing key check: %w", err)
	}
	if _, err := token.NewVerifier(c, map[string]*rsa.PublicKey{kid: key}).Verify(probe); err != nil {
		return fmt.Errorf("signing key check: KMS key %s does not match jwt_public_key_pem: %w", kid, err)
	}
	return nil
}
