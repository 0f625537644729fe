package payment

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/logging"
)

// The fake's payload drift gives the API's answers the liberties Mercado
// Pago's take (masked payer, fields the SDK does not know, nulls, ids as
// strings); what the service reads of them must not change.

// TestMercadoPagoClientReadsDriftedAnswers: creation, read and search give
// the same ProviderPayment with drift on as with it off, for an even and
// an odd payment id (the drift's two forms).
func TestMercadoPagoClientReadsDriftedAnswers(t *testing.T) {
	t.Parallel()
	fake, srv := newFake(t)
	fake.SetDrift(true)
	mp, err := NewMercadoPago(testMercadoPagoConfig(srv.URL, testWebhookURL), logging.Discard())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	plain := func(read func() (ProviderPayment, error)) ProviderPayment {
		t.Helper()
		fake.SetDrift(false)
		defer fake.SetDrift(true)
		p, err := read()
		if err != nil {
			t.Fatalf("without drift: %v", err)
		}
		return p
	}
	for range 2 {
		orderID := uuid.NewString()
		created, err := mp.CreatePix(ctx, PixRequest{
			IdempotencyKey: IdempotencyKey(orderID), Amount: 2590, PayerEmail: "c@customers.comanda.local",
			Description: "Comanda order", ExternalReference: orderID, ExpiresAt: time.Now().Add(30 * time.Minute),
			Metadata: map[string]any{"order_id": orderID},
		})
		if err != nil {
			t.Fatalf("CreatePix with drift: %v", err)
		}
		read := func() (ProviderPayment, error) { return mp.Payment(ctx, created.ID) }
		want := plain(read)
		if created != want || created.ExternalReference != orderID || created.Amount != 2590 || created.QRCode == "" {
			t.Errorf("created with drift %+v; without drift it reads %+v", created, want)
		}
		if got, err := read(); err != nil || got != want {
			t.Errorf("Payment with drift = %+v, %v; want %+v", got, err, want)
		}
		search := func() (ProviderPayment, error) { return mp.FindByReference(ctx, orderID) }
		if got, err := search(); err != nil || got != plain(search) || got.ID != created.ID {
			t.Errorf("FindByReference with drift = %+v, %v; want %+v", got, err, want)
		}
	}
}

// TestWebhookSettlementUnderDrift: an order's payment is created and then
// settled by the approval's webhook against a drifting Mercado Pago, with
// the outcome it has without drift: the record APPROVED, payment-created
// and payment-completed carrying what Mercado Pago holds. Two orders, so
// that both of the drift's forms are read.
func TestWebhookSettlementUnderDrift(t *testing.T) {
	t.Parallel()
	w := newWebhookWorld(t)
	w.fake.SetDrift(true)
	type placed struct {
		orderID    string
		providerID int64
	}
	var orders []placed
	for range 2 {
		orderID, providerID := w.order(t)
		orders = append(orders, placed{orderID, providerID})
		if _, err := w.fake.Approve(context.Background(), providerID); err != nil {
			t.Fatal(err)
		}
	}
	got := w.env.orderEvents(t, func(envs []events.Envelope) bool {
		return len(named(t, envs, events.PaymentCreated)) >= 2 && len(named(t, envs, events.PaymentCompleted)) >= 2
	})
	for _, o := range orders {
		stored := w.waitStatus(t, o.orderID, StatusApproved)
		mp, ok := w.fake.Payment(o.providerID)
		if !ok {
			t.Fatalf("payment %d gone from the fake", o.providerID)
		}
		td := mp.PointOfInteraction.TransactionData
		if stored.ProviderPaymentID != mp.ID || stored.Amount != 4200 || stored.QRCode != td.QRCode ||
			stored.QRCodeBase64 != td.QRCodeBase64 || stored.TicketURL != td.TicketURL || !stored.ExpiresAt.Equal(mp.DateOfExpiration.Time) {
			t.Errorf("stored %+v; want what Mercado Pago holds for payment %d", stored, mp.ID)
		}
		for _, name := range []string{events.PaymentCreated, events.PaymentCompleted} {
			seen := 0
			for _, p := range named(t, got, name) {
				if p.OrderID != o.orderID {
					continue
				}
				seen++
				if p.PaymentID != stored.ID || p.ProviderPaymentID != mp.ID || p.AmountCents != 4200 ||
					p.QRCode != td.QRCode || p.TicketURL != td.TicketURL {
					t.Errorf("%s for order %s: %+v; want payment %d's", name, o.orderID, p, mp.ID)
				}
			}
			if seen == 0 {
				t.Errorf("no %s for order %s", name, o.orderID)
			}
		}
	}
	if orders[0].providerID%2 == orders[1].providerID%2 {
		t.Errorf("provider ids %d and %d; want one even, one odd", orders[0].providerID, orders[1].providerID)
	}
}
