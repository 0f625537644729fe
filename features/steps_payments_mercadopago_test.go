package features

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/cucumber/godog"

	"github.com/comanda/comanda/fakes/mercadopago"
	"github.com/comanda/comanda/harness/apiclient"
)

// mercadoPago is what a scenario knows of the fake Mercado Pago, which it
// drives only through the control API, the way fakepay does.
type mercadoPago struct {
	api *apiclient.Client
	// paymentID is the current order's payment at Mercado Pago, once found.
	paymentID int64
	// changes counts the notifications the payment's state changes made
	// (its creation included); sent, every notification sent, resends too.
	changes, sent int
	// perChange is how many notifications a change sends: two when each
	// is followed by its merchant order's.
	perChange int
}

// fakeCall sends one control request and decodes its 200 answer into out.
func (w *world) fakeCall(ctx context.Context, method, path string, body, out any) error {
	if w.mp.api == nil {
		w.mp.api = apiclient.New(suite.FakeURL)
	}
	res, err := w.mp.api.Do(ctx, method, path, "", body)
	if err != nil {
		return err
	}
	return res.Expect(200, out)
}

// mpPayments lists the Mercado Pago payments that reference the current order.
func (w *world) mpPayments(ctx context.Context) ([]mercadopago.Payment, error) {
	a, err := w.order()
	if err != nil {
		return nil, err
	}
	var list []mercadopago.Payment
	return list, w.fakeCall(ctx, "GET", "/_fake/payments?external_reference="+url.QueryEscape(a.orderID), nil, &list)
}

// mpPayment waits for the current order's one Mercado Pago payment.
func (w *world) mpPayment(ctx context.Context) (mercadopago.Payment, error) {
	var p mercadopago.Payment
	err := w.eventually(ctx, "the Mercado Pago payment", func() error {
		list, err := w.mpPayments(ctx)
		if err != nil {
			return err
		}
		if len(list) != 1 {
			return fmt.Errorf("%d Mercado Pago payments reference the order", len(list))
		}
		p = list[0]
		return nil
	})
	if err == nil && w.mp.paymentID == 0 {
		w.mp.paymentID, w.mp.changes, w.mp.sent, w.mp.perChange = p.ID, 1, 1, 1 // its creation was notified
	}
	return p, err
}

// fakeAct changes the payment's state through the control API; the
// webhook follows from the change.
func (w *world) fakeAct(ctx context.Context, action string) error {
	return w.fakeVerb(ctx, action, "", 1, 1)
}

// fakeVerb posts a verb about the current order's payment and counts the
// notifications it makes (changes) and sends (sent).
func (w *world) fakeVerb(ctx context.Context, verb, query string, changes, sent int) error {
	p, err := w.mpPayment(ctx)
	if err != nil {
		return err
	}
	if err := w.fakeCall(ctx, "POST", fmt.Sprintf("/_fake/payments/%d/%s%s", p.ID, verb, query), nil, nil); err != nil {
		return err
	}
	w.mp.changes += changes
	w.mp.sent += sent + changes*(w.mp.perChange-1)
	return nil
}

func (w *world) fakeSteps(sc *godog.ScenarioContext) {
	sc.Step(`^Mercado Pago approves the payment and sends its notification (\d+) times$`, w.approveAndRepeat)
	sc.Step(`^Mercado Pago sends the payment's first notification again, late$`, func(ctx context.Context) error {
		return w.fakeVerb(ctx, "resend", "?first=true&delay=200ms", 0, 1)
	})
	sc.Step(`^Mercado Pago sends every notification about the payment again, newest first$`, func(ctx context.Context) error {
		return w.fakeVerb(ctx, "out-of-order", "", 0, w.mp.changes)
	})
	sc.Step(`^every notification Mercado Pago sent about the payment was accepted$`, w.notificationsAccepted)
	sc.Step(`^the PIX code's time runs out at Mercado Pago$`, w.pixCodeRunsOut)
	sc.Step(`^Mercado Pago will answer the next (\d+) payment creations with a server error, though it makes them$`, w.loseCreationAnswers)
	sc.Step(`^Mercado Pago is down$`, func(ctx context.Context) error {
		return w.fakeCall(ctx, "PUT", "/_fake/faults/outage", nil, nil)
	})
	sc.Step(`^Mercado Pago is back$`, func(ctx context.Context) error {
		return w.fakeCall(ctx, "DELETE", "/_fake/faults/outage", nil, nil)
	})
	sc.Step(`^Mercado Pago holds exactly one payment for the order$`, w.exactlyOneMPPayment)
	sc.Step(`^Mercado Pago refused (\d+) payment creations$`, w.refusedCreations)
	sc.Step(`^the order still is "([^"]*)" without a QR code after Mercado Pago refused (\d+) attempts to create its payment$`, w.orderWaitsForMP)
}

func (w *world) approveAndRepeat(ctx context.Context, times int) error {
	if err := w.fakeAct(ctx, "approve"); err != nil {
		return err
	}
	return w.fakeVerb(ctx, "resend", "?count="+strconv.Itoa(times-1), 0, times-1)
}

// notificationsAccepted waits until the payment service has answered 2xx
// to every notification sent about the payment (retries until then are
// Mercado Pago's business), and to no more.
func (w *world) notificationsAccepted(ctx context.Context) error {
	if _, err := w.mpPayment(ctx); err != nil {
		return err
	}
	return w.eventually(ctx, "every notification accepted", func() error {
		var log []mercadopago.Delivery
		if err := w.fakeCall(ctx, "GET", fmt.Sprintf("/_fake/deliveries?payment_id=%d", w.mp.paymentID), nil, &log); err != nil {
			return err
		}
		accepted := 0
		for _, d := range log {
			if d.OK() {
				accepted++
			}
		}
		if accepted != w.mp.sent {
			return fmt.Errorf("%d of %d notifications accepted; the log: %+v", accepted, w.mp.sent, log)
		}
		return nil
	})
}

// pixCodeRunsOut moves Mercado Pago's clock just past the payment's
// date_of_expiration; the fake expires it at once and notifies.
func (w *world) pixCodeRunsOut(ctx context.Context) error {
	p, err := w.mpPayment(ctx)
	if err != nil {
		return err
	}
	var clock mercadopago.ClockState
	if err := w.fakeCall(ctx, "GET", "/_fake/clock", nil, &clock); err != nil {
		return err
	}
	by := p.DateOfExpiration.Sub(clock.Now) + time.Second
	body := map[string]string{"advance": by.String()}
	if err := w.fakeCall(ctx, "POST", "/_fake/clock", body, &clock); err != nil {
		return err
	}
	w.mp.changes++
	w.mp.sent++
	return nil
}

func (w *world) loseCreationAnswers(ctx context.Context, n int) error {
	body := map[string]any{"count": n, "status": 500, "create_only": true, "processed": true}
	return w.fakeCall(ctx, "POST", "/_fake/faults/fail-next", body, nil)
}

func (w *world) exactlyOneMPPayment(ctx context.Context) error {
	list, err := w.mpPayments(ctx)
	if err != nil {
		return err
	}
	if len(list) != 1 {
		return fmt.Errorf("Mercado Pago holds %d payments for the order: %+v", len(list), list)
	}
	return nil
}

func (w *world) faults(ctx context.Context) (mercadopago.Faults, error) {
	var f mercadopago.Faults
	return f, w.fakeCall(ctx, "GET", "/_fake/faults", nil, &f)
}

func (w *world) refusedCreations(ctx context.Context, n int) error {
	f, err := w.faults(ctx)
	if err != nil {
		return err
	}
	if f.InjectedCreations != n {
		return fmt.Errorf("Mercado Pago refused %d payment creations, want %d", f.InjectedCreations, n)
	}
	return nil
}

// orderWaitsForMP waits until Mercado Pago has refused the creation n
// times, so that the payment service has been retrying for a while, and
// checks that the order is still where it was, without a payment.
func (w *world) orderWaitsForMP(ctx context.Context, status string, n int) error {
	err := w.eventually(ctx, fmt.Sprintf("%d refused creations", n), func() error {
		f, err := w.faults(ctx)
		if err != nil {
			return err
		}
		if f.InjectedCreations < n {
			return fmt.Errorf("Mercado Pago refused %d payment creations so far", f.InjectedCreations)
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, o, err := w.currentOrder(ctx)
	if err != nil {
		return err
	}
	if o.Status != status || o.Payment != nil {
		return fmt.Errorf("while Mercado Pago is down the order is %s with payment %+v", o.Status, o.Payment)
	}
	return nil
}

// resetFakeFaults lifts the API faults and puts the fake's clock, its
// notification settings and its payload drift back, so that what a @serial scenario did to the
// shared fake never outlives it.
func (w *world) resetFakeFaults(ctx context.Context) error {
	for _, path := range []string{"/_fake/faults", "/_fake/clock", "/_fake/notifications", "/_fake/drift"} {
		if err := w.fakeCall(ctx, "DELETE", path, nil, nil); err != nil {
			return err
		}
	}
	return nil
}
