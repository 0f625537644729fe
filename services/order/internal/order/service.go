package order

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"

	"golang.org/x/sync/errgroup"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/awsconf"
	"github.com/comanda/comanda/services/platform/outbox"
	"github.com/comanda/comanda/services/platform/postgres"
	"github.com/comanda/comanda/services/platform/queue"
	"github.com/comanda/comanda/services/platform/telemetry"
	"github.com/comanda/comanda/services/platform/token"
	"github.com/comanda/comanda/services/platform/web"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the service's goose migrations, at the FS root.
func Migrations() (fs.FS, error) {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("order migrations: %w", err)
	}
	return sub, nil
}

// Run serves the order API, consumes the order-service queue and relays the
// outbox until ctx ends; then it stops taking requests and events, lets those
// in flight finish, flushes the outbox and closes the database.
func Run(ctx context.Context, cfg Config, log *slog.Logger) error {
	tel, stopTelemetry, err := telemetry.Start(ctx, cfg.Telemetry, "order", log)
	if err != nil {
		return err
	}
	defer stopTelemetry()
	cfg.AWS.Tracers, cfg.DB.Tracers = tel.Active(), tel.Active()
	consumerConfig := cfg.Consumer
	consumerConfig.Tracers, consumerConfig.Meters = tel.Tracers, tel.Meters

	// Clients.
	aws, err := awsconf.New(ctx, cfg.AWS)
	if err != nil {
		return err
	}
	verifier, err := token.VerifierFromSecret(ctx, aws.SecretsManager, cfg.Token)
	if err != nil {
		return fmt.Errorf("token verifier: %w", err)
	}
	migrations, err := Migrations()
	if err != nil {
		return err
	}
	pool, err := postgres.Open(ctx, cfg.DB, migrations, log)
	if err != nil {
		return err
	}
	defer pool.Close()
	publisher, err := queue.NewPublisher(ctx, aws.SQS, cfg.Queues, events.PaymentQueue, events.ProductionQueue)
	if err != nil {
		return err
	}
	publisher.Traced(tel.Tracers)

	// Domain. The relay is woken by Orders after each commit that wrote
	// messages (see notifier), and sweeps every OutboxInterval besides.
	relay := outbox.NewRelay(outbox.NewPostgresStore(pool), publisher, outbox.Config{Interval: cfg.OutboxInterval}, log)
	if err := relay.Measure(tel.Meters); err != nil {
		return fmt.Errorf("outbox metrics: %w", err)
	}
	orders := NewOrders(newStore(pool), newCatalog(cfg, tel), relay, cfg.MaxOpenOrders, log)
	orders.Measured(tel.Meters)

	// Consumers.
	consumer, err := queue.NewConsumer(ctx, aws.SQS, cfg.Queues.Of(events.OrderQueue), eventHandlers(orders, log), consumerConfig, log)
	if err != nil {
		return err
	}

	// HTTP.
	router := web.NewRouter(log, postgres.Ping(pool))
	Routes(router, orders, verifier, log)
	ln, err := web.Listen(cfg.Listener, cfg.Addr)
	if err != nil {
		return err
	}

	// Run: the relay outlives the server and the consumer, so that what
	// they wrote last is still published.
	relayCtx, stopRelay := context.WithCancel(context.WithoutCancel(ctx))
	relayDone := make(chan error, 1)
	go func() { relayDone <- relay.Run(relayCtx) }()
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return web.Serve(gctx, ln, tel.Handler(router), log) })
	g.Go(func() error { return consumer.Run(gctx) })
	err = g.Wait()
	stopRelay()
	return errors.Join(err, <-relayDone)
}

// newCatalog is the catalog client, traced, behind a cache unless its TTL
// is 0.
func newCatalog(cfg Config, tel *telemetry.Telemetry) catalog {
	client := NewCatalogClient(cfg.CatalogURL, cfg.CatalogTimeout)
	client.client.Transport = tel.Transport(client.client.Transport)
	if cfg.CatalogCacheTTL <= 0 {
		return client
	}
	return NewCatalogCache(client, cfg.CatalogCacheTTL)
}
