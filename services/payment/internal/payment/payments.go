package payment

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/logging"
)

// provider is the payment provider as the domain needs it.
type provider interface {
	CreatePix(ctx context.Context, r PixRequest) (ProviderPayment, error)
	Payment(ctx context.Context, id int64) (ProviderPayment, error)
	FindByReference(ctx context.Context, ref string) (ProviderPayment, error)
}

// publisher sends events to a queue known by its base name.
type publisher interface {
	Publish(ctx context.Context, queue string, env events.Envelope) error
}

// creationSettings shape every new PIX payment.
type creationSettings struct {
	TTL time.Duration
	// Deadline is how long after the order asked a payment may still be
	// created while Mercado Pago is unavailable; past it, the payment is
	// given up and the order cancelled. Zero waits forever.
	Deadline         time.Duration
	WebhookURL       string
	PayerEmailDomain string
}

// Payments is the service's domain: it creates Payments on request and
// follows them through Mercado Pago's notifications, telling the order
// service each time.
type Payments struct {
	store    *store
	mp       provider
	events   publisher
	settings creationSettings
	now      func() time.Time
	log      *slog.Logger
	// tracer starts the spans of settlements (a no-op one until Run
	// gives the service's, Traced).
	tracer trace.Tracer
}

// tracerName names the service's own spans.
const tracerName = "github.com/comanda/comanda/services/payment"

// Traced has the payments' own spans started by tracers.
func (s *Payments) Traced(tracers trace.TracerProvider) { s.tracer = tracers.Tracer(tracerName) }

func NewPayments(store *store, mp provider, pub publisher, s creationSettings, log *slog.Logger) *Payments {
	return &Payments{store: store, mp: mp, events: pub, settings: s, now: time.Now, log: log,
		tracer: noop.NewTracerProvider().Tracer(tracerName)}
}

// publish tells the order service about p. The correlation id is the one
// the order flow started with, kept on the payment, so that events a
// webhook causes stay in the same flow.
func (s *Payments) publish(ctx context.Context, name string, p Payment, reason string) error {
	correlationID := p.CorrelationID
	if correlationID == "" {
		correlationID = logging.CorrelationID(ctx)
	}
	env, err := events.New(name, events.PaymentService, events.OrderService, correlationID, events.PaymentPayload{
		PaymentID:         p.ID,
		OrderID:           p.OrderID,
		Status:            string(p.Status),
		AmountCents:       int64(p.Amount),
		ProviderPaymentID: p.ProviderPaymentID,
		QRCode:            p.QRCode,
		QRCodeBase64:      p.QRCodeBase64,
		TicketURL:         p.TicketURL,
		ExpiresAt:         p.ExpiresAt,
		Reason:            reason,
	})
	if err != nil {
		return err
	}
	if err := s.events.Publish(ctx, events.OrderQueue, env.Traced(ctx)); err != nil {
		return fmt.Errorf("publish %s for payment %s: %w", name, p.ID, err)
	}
	s.log.InfoContext(ctx, "event published", "event_name", name, "event_id", env.Meta.EventID,
		"payment_id", p.ID, "order_id", p.OrderID, "status", p.Status)
	return nil
}
