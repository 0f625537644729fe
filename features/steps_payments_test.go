package features

import (
	"context"
	"fmt"

	"github.com/cucumber/godog"

	"github.com/comanda/comanda/harness/apiclient"
)

func (w *world) paymentSteps(sc *godog.ScenarioContext) {
	sc.Step(`^Mercado Pago approves the payment$`, func(ctx context.Context) error { return w.fakeAct(ctx, "approve") })
	sc.Step(`^Mercado Pago rejects the payment$`, func(ctx context.Context) error { return w.fakeAct(ctx, "reject") })
	sc.Step(`^the customer sees the same QR code on the payment$`, w.paymentShowsSameQR)
	sc.Step(`^the payment is "([^"]*)"$`, w.paymentIs)
	sc.Step(`^someone posts a payment notification with a wrong signature$`, w.forgedWebhook)
}

func (w *world) getPayment(ctx context.Context, a *actor) (apiclient.Payment, error) {
	var p apiclient.Payment
	res, err := w.api.Do(ctx, "GET", "/payment?order_id="+a.orderID, a.token, nil)
	if err != nil {
		return p, err
	}
	return p, res.Expect(200, &p)
}

func (w *world) paymentShowsSameQR(ctx context.Context) error {
	a, o, err := w.currentOrder(ctx)
	if err != nil {
		return err
	}
	p, err := w.getPayment(ctx, a)
	if err != nil {
		return err
	}
	byID, err := w.api.Do(ctx, "GET", "/payment/"+p.ID, a.token, nil)
	if err != nil {
		return err
	}
	if err := byID.Expect(200, nil); err != nil {
		return err
	}
	if o.Payment == nil || p.ID != o.Payment.ID || p.QRCode != o.Payment.QRCode || p.OrderID != a.orderID ||
		p.Provider != "mercadopago" || p.ProviderPaymentID <= 0 || p.Status != "PENDING" || mustCents(p.Amount) != mustCents(o.Total) {
		return fmt.Errorf("payment %+v does not match the order's %+v (total %s)", p, o.Payment, o.Total)
	}
	return nil
}

func (w *world) paymentIs(ctx context.Context, status string) error {
	a, err := w.order()
	if err != nil {
		return err
	}
	return w.eventually(ctx, "payment "+status, func() error {
		p, err := w.getPayment(ctx, a)
		if err != nil {
			return err
		}
		if p.Status != status {
			return fmt.Errorf("payment is %s", p.Status)
		}
		return nil
	})
}

// forgedWebhook posts a notification about the customer's real payment, as
// Mercado Pago would, but signed with the wrong secret.
func (w *world) forgedWebhook(ctx context.Context) error {
	p, err := w.currentPayment(ctx)
	if err != nil {
		return err
	}
	path := fmt.Sprintf("/payment/webhook?data.id=%d&type=payment", p.ProviderPaymentID)
	body := fmt.Sprintf(`{"action":"payment.updated","type":"payment","data":{"id":"%d"}}`, p.ProviderPaymentID)
	res, err := w.api.DoWithHeaders(ctx, "POST", path, map[string]string{
		"x-request-id": "forged-request",
		"x-signature":  "ts=1700000000,v1=" + fmt.Sprintf("%064x", 0),
	}, []byte(body))
	if err != nil {
		return err
	}
	w.last = res
	return nil
}
