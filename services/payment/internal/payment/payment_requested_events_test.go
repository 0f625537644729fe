package payment

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/queue"
)

const testWebhookURL = "http://comanda.test/payment/webhook"

func TestPaymentRequestedRedeliveredMakesOnePayment(t *testing.T) {
	t.Parallel()
	env := newAWSEnv(t)
	fake, mpSrv := newFake(t)
	domain := newDomain(t, env, mpSrv.URL, testWebhookURL)
	customerID := uuid.NewString()
	req, orderID := paymentRequest(t, customerID, 2590)
	ctx := logging.WithCorrelationID(context.Background(), req.Meta.CorrelationID)

	// The same request twice, then again under another event id: every
	// delivery finds the stored payment and publishes it again, unchanged
	// (the order service acknowledges the duplicates without effect).
	again := req
	again.Meta.EventID = uuid.NewString()
	for _, env := range []events.Envelope{req, req, again} {
		if err := domain.HandlePaymentRequested(ctx, env); err != nil {
			t.Fatal(err)
		}
	}

	var refs int
	for _, p := range fake.Payments() {
		if p.ExternalReference == orderID {
			refs++
		}
	}
	mp, _ := fake.FindByExternalReference(orderID)
	if refs != 1 || mp.TransactionAmount != 25.9 || mp.PaymentMethodID != "pix" || mp.NotificationURL != testWebhookURL ||
		mp.Payer.Email != customerID+"@customers.comanda.local" || mp.Description != "Comanda order "+orderID[:8] {
		t.Fatalf("%d Mercado Pago payments for the order; the one: %+v", refs, mp)
	}
	stored, err := env.store().Get(ctx, IDForOrder(orderID))
	if err != nil {
		t.Fatal(err)
	}
	if stored.ProviderPaymentID != mp.ID || stored.Status != StatusPending || stored.Amount != 2590 ||
		stored.QRCode == "" || stored.TicketURL == "" || stored.CustomerID != customerID || !stored.ExpiresAt.Equal(mp.DateOfExpiration.Time) {
		t.Fatalf("stored = %+v", stored)
	}

	created := named(t, env.orderEvents(t, countAtLeast(t, events.PaymentCreated, 3)), events.PaymentCreated)
	if len(created) != 3 || created[0] != created[1] || created[1] != created[2] {
		t.Fatalf("payment-created events = %+v; want the same one thrice", created)
	}
	if c := created[0]; c.PaymentID != stored.ID || c.OrderID != orderID || c.Status != "PENDING" || c.ProviderPaymentID != mp.ID ||
		c.AmountCents != 2590 || c.QRCode != stored.QRCode || !c.ExpiresAt.Equal(stored.ExpiresAt) {
		t.Fatalf("payment-created = %+v; stored %+v", c, stored)
	}
}

func TestPaymentRequestedConcurrentDeliveries(t *testing.T) {
	t.Parallel()
	env := newAWSEnv(t)
	fake, mpSrv := newFake(t)
	domain := newDomain(t, env, mpSrv.URL, testWebhookURL)
	req, orderID := paymentRequest(t, uuid.NewString(), 1500)

	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() { errs <- domain.HandlePaymentRequested(context.Background(), req) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	mp, _ := fake.FindByExternalReference(orderID)
	stored, err := env.store().Get(context.Background(), IDForOrder(orderID))
	if err != nil || stored.ProviderPaymentID != mp.ID || len(fake.Payments()) != 1 {
		t.Fatalf("stored %+v (%v); %d Mercado Pago payments; want one, the stored one", stored, err, len(fake.Payments()))
	}
}

func TestPaymentRequestedAdoptsAnEarlierCreation(t *testing.T) {
	t.Parallel()
	env := newAWSEnv(t)
	fake, mpSrv := newFake(t)
	domain := newDomain(t, env, mpSrv.URL, testWebhookURL)
	req, orderID := paymentRequest(t, uuid.NewString(), 1000)
	// An earlier delivery created the payment with the same key but
	// another expiry, then died before storing it.
	earlier := domain.pixRequest(events.OrderPaymentRequestedPayload{OrderID: orderID, CustomerID: "c", AmountCents: 1000}, time.Now().Add(-time.Minute))
	first, err := domain.mp.CreatePix(context.Background(), earlier)
	if err != nil {
		t.Fatal(err)
	}

	if err := domain.HandlePaymentRequested(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	stored, err := env.store().Get(context.Background(), IDForOrder(orderID))
	if err != nil || stored.ProviderPaymentID != first.ID || len(fake.Payments()) != 1 {
		t.Fatalf("stored %+v (%v), %d payments; want the earlier payment %d adopted", stored, err, len(fake.Payments()), first.ID)
	}
}

// A delivery that created the payment died before storing it, the
// customer paid meanwhile, and every webhook about it found no record: the
// retried delivery stores the payment approved and says so, or the order
// would wait for ever.
func TestPaymentRequestedAfterTheCustomerPaid(t *testing.T) {
	t.Parallel()
	env := newAWSEnv(t)
	fake, mpSrv := newFake(t)
	domain := newDomain(t, env, mpSrv.URL, testWebhookURL)
	req, orderID := paymentRequest(t, uuid.NewString(), 1500)
	var payload events.OrderPaymentRequestedPayload
	if err := req.Decode(&payload); err != nil {
		t.Fatal(err)
	}
	first, err := domain.mp.CreatePix(context.Background(), domain.pixRequest(payload, req.Meta.EventDate))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fake.Approve(context.Background(), first.ID); err != nil {
		t.Fatal(err)
	}

	if err := domain.HandlePaymentRequested(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	stored, err := env.store().Get(context.Background(), IDForOrder(orderID))
	if err != nil || stored.Status != StatusApproved || stored.ProviderPaymentID != first.ID {
		t.Fatalf("stored %+v (%v); want the approved payment %d", stored, err, first.ID)
	}
	completed := named(t, env.orderEvents(t, countAtLeast(t, events.PaymentCompleted, 1)), events.PaymentCompleted)
	if len(completed) != 1 || completed[0].OrderID != orderID || completed[0].Status != string(StatusApproved) {
		t.Fatalf("payment-completed events = %+v; want one for order %s", completed, orderID)
	}
}

func TestPaymentRequestedFailures(t *testing.T) {
	t.Parallel()
	env := newAWSEnv(t)
	_, mpSrv := newFake(t)
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, `{"message":"boom"}`, http.StatusBadGateway)
	}))
	t.Cleanup(down.Close)
	good, _ := paymentRequest(t, uuid.NewString(), 1000)
	badOrder, _ := paymentRequest(t, uuid.NewString(), 1000)
	badOrder.Payload = []byte(`{"order_id":"nope","customer_id":"c","customer_name":"","amount_cents":1,"items":[]}`)
	zero, _ := paymentRequest(t, uuid.NewString(), 0)
	unknownField, _ := paymentRequest(t, uuid.NewString(), 1000)
	unknownField.Payload = []byte(`{"order_id":"x","surprise":true}`)

	tests := []struct {
		name      string
		mpURL     string
		hook      string
		env       events.Envelope
		permanent bool
	}{
		{"malformed payload", mpSrv.URL, testWebhookURL, unknownField, true},
		{"order id not a UUID", mpSrv.URL, testWebhookURL, badOrder, true},
		{"no amount", mpSrv.URL, testWebhookURL, zero, true},
		{"Mercado Pago down", down.URL, testWebhookURL, good, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := newDomain(t, env, tt.mpURL, tt.hook).HandlePaymentRequested(context.Background(), tt.env)
			permanent := errors.Is(err, queue.ErrPermanent) || errors.Is(err, events.ErrMalformed)
			if err == nil || permanent != tt.permanent || errors.Is(err, queue.ErrTransient) == tt.permanent {
				t.Fatalf("HandlePaymentRequested = %v; want an error, permanent=%v", err, tt.permanent)
			}
		})
	}
}

func TestMercadoPagoErrors(t *testing.T) {
	t.Parallel()
	_, mpSrv := newFake(t)
	mp, err := NewMercadoPago(testMercadoPagoConfig(mpSrv.URL, testWebhookURL), logging.Discard())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mp.Payment(context.Background(), 424242); !errors.Is(err, ErrProviderNotFound) {
		t.Errorf("Payment(unknown) = %v; want ErrProviderNotFound", err)
	}
	if _, err := mp.FindByReference(context.Background(), uuid.NewString()); !errors.Is(err, ErrProviderNotFound) {
		t.Errorf("FindByReference(unknown) = %v; want ErrProviderNotFound", err)
	}
	bad := PixRequest{IdempotencyKey: uuid.NewString(), Amount: 0, PayerEmail: "a@b.c", ExternalReference: "x", ExpiresAt: time.Now().Add(time.Hour)}
	if _, err := mp.CreatePix(context.Background(), bad); !errors.Is(err, ErrProviderRejected) {
		t.Errorf("CreatePix(no amount) = %v; want ErrProviderRejected", err)
	}
	wrongToken := testMercadoPagoConfig(mpSrv.URL, testWebhookURL)
	wrongToken.AccessToken = "wrong"
	other, _ := NewMercadoPago(wrongToken, logging.Discard())
	if _, err := other.Payment(context.Background(), 1); err == nil || errors.Is(err, ErrProviderNotFound) {
		t.Errorf("Payment with a wrong token = %v; want a retryable error", err)
	}
}
