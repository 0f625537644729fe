package payment

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/fakes/mercadopago"
	"github.com/comanda/comanda/services/platform/logging"
)

// TestCreationRetriedAfterLostAnswersMakesOnePayment: Mercado Pago creates
// the payment but its answer is lost, twice, once as a 5xx and once past
// the request timeout. The requester retries with the order's idempotency
// key, so the third attempt gets the payment the first one created: one
// charge, whatever happened to the answers.
func TestCreationRetriedAfterLostAnswersMakesOnePayment(t *testing.T) {
	t.Parallel()
	tests := map[string]mercadopago.APIFault{
		"5xx":     {Status: 503, CreateOnly: true, Processed: true},
		"timeout": {Delay: mercadopago.Duration(time.Minute), CreateOnly: true, Processed: true},
	}
	for name, fault := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fake, srv := newFake(t)
			if _, err := fake.FailNext(2, fault); err != nil {
				t.Fatal(err)
			}
			cfg := testMercadoPagoConfig(srv.URL, testWebhookURL)
			cfg.RequestTimeout = time.Second
			mp, err := NewMercadoPago(cfg, logging.Discard())
			if err != nil {
				t.Fatal(err)
			}
			orderID := uuid.NewString()
			got, err := mp.CreatePix(context.Background(), PixRequest{
				IdempotencyKey: IdempotencyKey(orderID), Amount: 2590, PayerEmail: "c@customers.comanda.local",
				ExternalReference: orderID, NotificationURL: testWebhookURL, ExpiresAt: time.Now().Add(30 * time.Minute),
			})
			if err != nil {
				t.Fatalf("CreatePix = %v; want the retries to get the payment", err)
			}
			if n := len(fake.Payments()); n != 1 || got.ID != fake.Payments()[0].ID {
				t.Errorf("%d payments at Mercado Pago, got id %d; want exactly the one created first", n, got.ID)
			}
			if f := fake.Faults(); f.InjectedCreations != 2 || f.FailNext != nil {
				t.Errorf("faults = %+v; want both lost answers used", f)
			}
		})
	}
}
