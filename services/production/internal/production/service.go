package production

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"golang.org/x/sync/errgroup"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/awsconf"
	"github.com/comanda/comanda/services/platform/outbox"
	"github.com/comanda/comanda/services/platform/queue"
	"github.com/comanda/comanda/services/platform/telemetry"
	"github.com/comanda/comanda/services/platform/token"
	"github.com/comanda/comanda/services/platform/web"
)

// Run serves the production service until ctx ends, then shuts down
// gracefully: the consumer stops receiving and finishes its in-flight
// events, the HTTP server finishes its in-flight requests, and the outbox
// of kitchen announcements is flushed.
func Run(ctx context.Context, cfg Config, log *slog.Logger) error {
	tel, stopTelemetry, err := telemetry.Start(ctx, cfg.Telemetry, "production", log)
	if err != nil {
		return err
	}
	defer stopTelemetry()
	cfg.AWS.Tracers = tel.Active()
	consumerConfig := cfg.Consumer
	consumerConfig.Tracers, consumerConfig.Meters = tel.Tracers, tel.Meters

	// Clients.
	clients, err := awsconf.New(ctx, cfg.AWS)
	if err != nil {
		return err
	}
	verifier, err := token.VerifierFromSecret(ctx, clients.SecretsManager, cfg.Token)
	if err != nil {
		return fmt.Errorf("token verifier (PROJECT_SECRET_ID=%s): %w", cfg.Token.SecretID, err)
	}

	// Stores.
	store := newStore(clients.DynamoDB, cfg.KitchenTable)
	if err := store.Ping(ctx); err != nil {
		return fmt.Errorf("kitchen table (KITCHEN_TABLE=%s): %w", cfg.KitchenTable, err)
	}

	// Domain.
	publisher, err := queue.NewPublisher(ctx, clients.SQS, cfg.Queues, events.OrderQueue)
	if err != nil {
		return fmt.Errorf("order queue publisher: %w", err)
	}
	publisher.Traced(tel.Tracers)
	// The kitchen publishes each announcement right after its move
	// commits; the relay removes what was published, in batches, and
	// publishes what a failure or a crash left, once it is older than a
	// publish may take.
	relay := outbox.NewRelay(store.outbox, publisher,
		outbox.Config{Interval: cfg.OutboxInterval, Settle: outbox.PublishTimeout}, log)
	if err := relay.Measure(tel.Meters); err != nil {
		return fmt.Errorf("outbox metrics: %w", err)
	}
	kitchen := NewKitchen(store, relay, log)
	kitchen.Traced(tel.Tracers)

	// Consumers.
	consumer, err := queue.NewConsumer(ctx, clients.SQS, cfg.Queues.Of(events.ProductionQueue),
		map[string]queue.HandlerFunc{events.OrderPaid: kitchen.HandleOrderPaid}, consumerConfig, log)
	if err != nil {
		return fmt.Errorf("production queue consumer: %w", err)
	}

	// HTTP.
	ln, err := web.Listen(cfg.Listener, cfg.Addr)
	if err != nil {
		return err
	}
	handler := newHandler(kitchen, verifier, log, store.Ping)

	// Run: the outbox relay outlives the server and the consumer, so that
	// what they moved last is still announced.
	relayCtx, stopRelay := context.WithCancel(context.WithoutCancel(ctx))
	relayDone := make(chan error, 1)
	go func() { relayDone <- relay.Run(relayCtx) }()
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return web.Serve(gctx, ln, tel.Handler(handler), log) })
	g.Go(func() error { return consumer.Run(gctx) })
	err = g.Wait()
	stopRelay()
	return errors.Join(err, <-relayDone)
}
