package payment

import (
	"context"
	"fmt"
	"log/slog"

	"golang.org/x/sync/errgroup"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/awsconf"
	"github.com/comanda/comanda/services/platform/queue"
	"github.com/comanda/comanda/services/platform/telemetry"
	"github.com/comanda/comanda/services/platform/token"
	"github.com/comanda/comanda/services/platform/web"
)

// Run wires the payment service and runs its HTTP server and its consumer
// until ctx ends; then it stops receiving, lets in-flight messages and
// requests finish, and returns.
func Run(ctx context.Context, cfg Config, log *slog.Logger) error {
	if err := cfg.validate(); err != nil {
		return err
	}

	tel, stopTelemetry, err := telemetry.Start(ctx, cfg.Telemetry, "payment", log)
	if err != nil {
		return err
	}
	defer stopTelemetry()
	cfg.AWS.Tracers = tel.Active()
	consumerConfig := cfg.Consumer
	consumerConfig.Tracers, consumerConfig.Meters = tel.Tracers, tel.Meters

	// Clients: AWS, token verification, Mercado Pago.
	clients, err := awsconf.New(ctx, cfg.AWS)
	if err != nil {
		return err
	}
	verifier, err := token.VerifierFromSecret(ctx, clients.SecretsManager, cfg.Token)
	if err != nil {
		return err
	}
	mpConfig := cfg.MercadoPago
	mpConfig.traced = tel.Transport
	mp, err := NewMercadoPago(mpConfig, log)
	if err != nil {
		return err
	}

	// Stores and domain.
	store := newStore(clients.DynamoDB, cfg.PaymentsTable)
	pub, err := queue.NewPublisher(ctx, clients.SQS, cfg.Queues, events.OrderQueue)
	if err != nil {
		return err
	}
	pub.Traced(tel.Tracers)
	domain := NewPayments(store, mp, pub, creationSettings{
		TTL:              cfg.PaymentTTL,
		Deadline:         cfg.RequestDeadline,
		WebhookURL:       cfg.MercadoPago.WebhookURL,
		PayerEmailDomain: cfg.MercadoPago.PayerEmailDomain,
	}, log)
	domain.Traced(tel.Tracers)

	// Consumers: payment requests from the order service.
	consumer, err := queue.NewConsumer(ctx, clients.SQS, cfg.Queues.Of(events.PaymentQueue),
		map[string]queue.HandlerFunc{events.OrderPaymentRequested: domain.HandlePaymentRequested},
		consumerConfig, log)
	if err != nil {
		return err
	}

	// HTTP: reads and the Mercado Pago webhook.
	api := &httpAPI{store: store, payments: domain, webhookSecret: cfg.MercadoPago.WebhookSecret,
		hooks: newWebhookGuard(cfg.Webhook), log: log}
	router := newRouter(api, verifier, store.Ready)
	ln, err := web.Listen(cfg.Listener, cfg.Addr)
	if err != nil {
		return err
	}

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return consumer.Run(gctx) })
	g.Go(func() error { return web.Serve(gctx, ln, tel.Handler(router), log) })
	if err := g.Wait(); err != nil {
		return fmt.Errorf("payment service: %w", err)
	}
	return nil
}
