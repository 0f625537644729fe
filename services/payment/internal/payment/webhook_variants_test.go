package payment

import (
	"context"
	"testing"

	"github.com/comanda/comanda/fakes/mercadopago"
)

// TestWebhookTakesEveryShapeMercadoPagoSends: whichever of Mercado Pago's
// shapes a notification comes in (the IPN one with ?id=&topic=, no
// x-request-id, ts in milliseconds, …), the approval it announces
// completes the payment.
func TestWebhookTakesEveryShapeMercadoPagoSends(t *testing.T) {
	t.Parallel()
	for _, v := range mercadopago.Variants() {
		t.Run(string(v), func(t *testing.T) {
			t.Parallel()
			w := newWebhookWorld(t)
			orderID, providerID := w.order(t)
			if _, err := w.fake.SetPaymentVariants(providerID, []mercadopago.Variant{v}); err != nil {
				t.Fatal(err)
			}
			if _, err := w.fake.Approve(context.Background(), providerID); err != nil {
				t.Fatal(err)
			}
			w.waitStatus(t, orderID, StatusApproved)
		})
	}
}
