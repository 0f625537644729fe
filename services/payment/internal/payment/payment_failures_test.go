package payment

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/services/events"
)

// A payment Mercado Pago refuses for good is stored REJECTED with the
// reason and reported as payment-failed, so that the order is cancelled
// instead of waiting forever; a redelivery reports it again, and creates
// nothing.
func TestPaymentMercadoPagoRefusesIsReportedFailed(t *testing.T) {
	t.Parallel()
	env := newAWSEnv(t)
	fake, mpSrv := newFake(t)
	domain := newDomain(t, env, mpSrv.URL, "ftp://not-a-web-url") // Mercado Pago answers 400
	req, orderID := paymentRequest(t, uuid.NewString(), 1000)
	again := req
	again.Meta.EventID = uuid.NewString()
	for _, e := range []events.Envelope{req, again} {
		if err := domain.HandlePaymentRequested(context.Background(), e); err != nil {
			t.Fatalf("HandlePaymentRequested = %v; want the failure reported, not retried", err)
		}
	}
	stored, err := env.store().Get(context.Background(), IDForOrder(orderID))
	if err != nil || stored.Status != StatusRejected || stored.ProviderPaymentID != 0 || !strings.Contains(stored.FailureReason, "refused") {
		t.Fatalf("stored %+v (%v); want REJECTED without a Mercado Pago payment, with the reason", stored, err)
	}
	failed := named(t, env.orderEvents(t, countAtLeast(t, events.PaymentFailed, 2)), events.PaymentFailed)
	if len(failed) != 2 || failed[0].Status != "REJECTED" || failed[0].Reason != stored.FailureReason || failed[1] != failed[0] {
		t.Fatalf("payment-failed events = %+v; want the rejection twice, with its reason", failed)
	}
	if n := len(fake.Payments()); n != 0 {
		t.Errorf("Mercado Pago holds %d payments; want none", n)
	}
}

// While Mercado Pago is down the request is transient; once the order has
// waited past the deadline the payment is given up and reported failed.
func TestPaymentGivenUpPastTheDeadline(t *testing.T) {
	t.Parallel()
	env := newAWSEnv(t)
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, `{"message":"unavailable"}`, http.StatusServiceUnavailable)
	}))
	t.Cleanup(down.Close)
	domain := newDomain(t, env, down.URL, testWebhookURL)
	domain.settings.Deadline = 10 * time.Minute
	req, orderID := paymentRequest(t, uuid.NewString(), 1000)
	req.Meta.EventDate = time.Now().Add(-11 * time.Minute)

	if err := domain.HandlePaymentRequested(context.Background(), req); err != nil {
		t.Fatalf("HandlePaymentRequested = %v; want the payment given up", err)
	}
	stored, err := env.store().Get(context.Background(), IDForOrder(orderID))
	if err != nil || stored.Status != StatusRejected || !strings.Contains(stored.FailureReason, "unavailable for more than 10m") {
		t.Fatalf("stored %+v (%v); want REJECTED, Mercado Pago unavailable", stored, err)
	}
	failed := named(t, env.orderEvents(t, countAtLeast(t, events.PaymentFailed, 1)), events.PaymentFailed)
	if len(failed) != 1 || failed[0].Reason != stored.FailureReason {
		t.Fatalf("payment-failed events = %+v", failed)
	}
}

// The service dies (here: the queue refuses) after storing the payment and
// before publishing it: the redelivery publishes the stored payment, and
// makes no second one, neither at Mercado Pago nor in the table.
func TestPaymentRequestedRedeliveryPublishesWhatWasStored(t *testing.T) {
	t.Parallel()
	env := newAWSEnv(t)
	fake, mpSrv := newFake(t)
	domain := newDomain(t, env, mpSrv.URL, testWebhookURL)
	working := domain.events
	req, orderID := paymentRequest(t, uuid.NewString(), 1000)

	domain.events = failingPublisher{}
	if err := domain.HandlePaymentRequested(context.Background(), req); err == nil {
		t.Fatal("HandlePaymentRequested succeeded with the queue down; want an error, for a redelivery")
	}
	stored, err := env.store().Get(context.Background(), IDForOrder(orderID))
	if err != nil {
		t.Fatalf("after the failed publish: %v; want the payment stored", err)
	}

	pub := &countingPublisher{next: working, n: map[string]int{}}
	domain.events = pub
	for range 2 {
		if err := domain.HandlePaymentRequested(context.Background(), req); err != nil {
			t.Fatal(err)
		}
	}
	if n := pub.count(events.PaymentCreated); n != 2 {
		t.Fatalf("payment-created published %d times for two redeliveries; want each to publish", n)
	}
	created := named(t, env.orderEvents(t, countAtLeast(t, events.PaymentCreated, 2)), events.PaymentCreated)
	for _, c := range created {
		if c.PaymentID != stored.ID || c.ProviderPaymentID != stored.ProviderPaymentID || c.QRCode != stored.QRCode {
			t.Fatalf("payment-created %+v; want the stored payment %+v", c, stored)
		}
	}
	again, err := env.store().Get(context.Background(), stored.ID)
	if err != nil || again != stored || len(fake.Payments()) != 1 {
		t.Fatalf("record %+v (%v), %d Mercado Pago payments; want the first record unchanged, one payment",
			again, err, len(fake.Payments()))
	}
}
