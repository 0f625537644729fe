package catalog

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/comanda/comanda/services/platform/awsconf"
	"github.com/comanda/comanda/services/platform/postgres"
	"github.com/comanda/comanda/services/platform/telemetry"
	"github.com/comanda/comanda/services/platform/token"
	"github.com/comanda/comanda/services/platform/web"
)

// Run serves the catalog until ctx ends, then shuts down gracefully: it stops
// accepting, lets in-flight requests finish and closes the pool.
func Run(ctx context.Context, cfg Config, log *slog.Logger) error {
	if err := cfg.check(); err != nil {
		return fmt.Errorf("catalog configuration: %w", err)
	}

	tel, stopTelemetry, err := telemetry.Start(ctx, cfg.Telemetry, "catalog", log)
	if err != nil {
		return err
	}
	defer stopTelemetry()
	cfg.AWS.Tracers, cfg.DB.Tracers = tel.Active(), tel.Active()

	// Clients: the token verification key lives in the project secret.
	clients, err := awsconf.New(ctx, cfg.AWS)
	if err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	verifier, err := token.VerifierFromSecret(ctx, clients.SecretsManager, cfg.Token)
	if err != nil {
		return fmt.Errorf("catalog: %w", err)
	}

	// Stores: migrations (schema and seed menu) run before the pool is handed out.
	pool, err := postgres.Open(ctx, cfg.DB, Migrations(), log)
	if err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	defer pool.Close()
	st := newStore(pool)

	// HTTP: public menu reads, employee-only upkeep, readiness pings the pool.
	ln, err := web.Listen(cfg.Listener, cfg.Addr)
	if err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	handler := newHandler(st, verifier, log, postgres.Ping(pool))
	if err := web.Serve(ctx, ln, tel.Handler(handler), log); err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	log.Info("catalog stopped")
	return nil
}
