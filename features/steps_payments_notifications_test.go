package features

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/comanda/comanda/fakes/mercadopago"
)

// notificationShapes names, in a scenario's words, each shape Mercado
// Pago gives some of its notifications.
var notificationShapes = map[string]mercadopago.Variant{
	"with retries that repeat the first attempt byte for byte": mercadopago.VariantReplay,
	"with the signature's time in milliseconds":                mercadopago.VariantMillis,
	"without an x-request-id":                                  mercadopago.VariantNoRequestID,
	"with the payment id in upper case":                        mercadopago.VariantUpperCaseID,
	"in the older IPN shape, with a topic instead of a type":   mercadopago.VariantTopic,
	"each followed by a notification of its merchant order":    mercadopago.VariantMerchantOrder,
}

func (w *world) notificationSteps(sc *godog.ScenarioContext) {
	sc.Step(`^Mercado Pago sends the payment's notifications (.+)$`, w.shapeNotifications)
	sc.Step(`^someone forges the payment's notification in the same shape$`, func(ctx context.Context) error {
		return w.fakeVerb(ctx, "resend", "?bad_signature=true", 0, 0)
	})
	sc.Step(`^the forged notification was refused$`, w.forgedRefused)
	sc.Step(`^Mercado Pago sends the payment's last notification again (\d+) times$`, func(ctx context.Context, n int) error {
		return w.fakeVerb(ctx, "resend", fmt.Sprintf("?count=%d", n), 0, n)
	})
	sc.Step(`^the payment service recognised (\d+) notifications as replays$`, w.recognisedReplays)
	sc.Step(`^Mercado Pago retries notifications on its own schedule$`, func(ctx context.Context) error {
		set := mercadopago.NotificationSettings{RetrySchedule: mercadopago.Durations(mercadopago.MercadoPagoRetrySchedule())}
		return w.fakeCall(ctx, "PUT", "/_fake/notifications", set, nil)
	})
	sc.Step(`^Mercado Pago answers with the liberties its real API takes$`, func(ctx context.Context) error {
		return w.fakeCall(ctx, "PUT", "/_fake/drift", map[string]bool{"drift": true}, nil)
	})
	sc.Step(`^Mercado Pago soon has tried to deliver the approval (\d+) times?$`, w.approvalAttempts)
	sc.Step(`^(\d+) (hours|days) pass at Mercado Pago$`, w.timePasses)
}

func (w *world) shapeNotifications(ctx context.Context, shape string) error {
	v, ok := notificationShapes[shape]
	if !ok {
		return fmt.Errorf("no notification shape is called %q", shape)
	}
	p, err := w.mpPayment(ctx)
	if err != nil {
		return err
	}
	if v == mercadopago.VariantMerchantOrder {
		w.mp.perChange = 2
	}
	body := map[string][]mercadopago.Variant{"variants": {v}}
	return w.fakeCall(ctx, "PUT", fmt.Sprintf("/_fake/payments/%d/variants", p.ID), body, nil)
}

// deliveries is the fake's delivery log for the current order's payment.
func (w *world) deliveries(ctx context.Context) ([]mercadopago.Delivery, error) {
	if _, err := w.mpPayment(ctx); err != nil {
		return nil, err
	}
	var log []mercadopago.Delivery
	return log, w.fakeCall(ctx, "GET", fmt.Sprintf("/_fake/deliveries?payment_id=%d", w.mp.paymentID), nil, &log)
}

// forgedRefused waits for the forged notification's delivery and checks
// that the payment service refused it as unsigned.
func (w *world) forgedRefused(ctx context.Context) error {
	return w.eventually(ctx, "the forged notification refused", func() error {
		log, err := w.deliveries(ctx)
		if err != nil {
			return err
		}
		for _, d := range log {
			if strings.Contains(d.Fault, "bad_signature") {
				if d.StatusCode != 401 {
					return fmt.Errorf("the forged notification was answered %d %s; want 401", d.StatusCode, d.Answer)
				}
				return nil
			}
		}
		return fmt.Errorf("the forged notification has not been delivered; the log: %+v", log)
	})
}

// recognisedReplays counts the notifications the payment service
// acknowledged as deliveries it had already processed.
func (w *world) recognisedReplays(ctx context.Context, n int) error {
	return w.eventually(ctx, fmt.Sprintf("%d replays recognised", n), func() error {
		log, err := w.deliveries(ctx)
		if err != nil {
			return err
		}
		replays := 0
		for _, d := range log {
			if d.OK() && strings.Contains(d.Answer, `"duplicate"`) {
				replays++
			}
		}
		if replays != n {
			return fmt.Errorf("%d notifications acknowledged as replays; the log: %+v", replays, log)
		}
		return nil
	})
}

// approvalAttempts waits until the fake has tried to deliver the approval
// (the payment's first payment.updated) n times.
func (w *world) approvalAttempts(ctx context.Context, n int) error {
	return w.eventually(ctx, fmt.Sprintf("%d attempts to deliver the approval", n), func() error {
		log, err := w.deliveries(ctx)
		if err != nil {
			return err
		}
		var approval int64
		attempts := 0
		for _, d := range log {
			if d.Action == "payment.updated" && (approval == 0 || d.NotificationID == approval) {
				approval = d.NotificationID
				attempts++
			}
		}
		if attempts != n {
			return fmt.Errorf("%d attempts to deliver the approval; want %d", attempts, n)
		}
		return nil
	})
}

func (w *world) timePasses(ctx context.Context, n int, unit string) error {
	d := time.Duration(n) * time.Hour
	if unit == "days" {
		d *= 24
	}
	return w.fakeCall(ctx, "POST", "/_fake/clock", map[string]string{"advance": d.String()}, nil)
}

// lifeVerbs are the fake's verbs for the rest of a payment's life, in a
// scenario's words.
var lifeVerbs = map[string]string{
	"puts the payment under review":  "process",
	"authorizes the payment":         "authorize",
	"charges back the payment":       "charge-back",
	"opens a dispute on the payment": "dispute",
	"refunds part of the payment":    "refund?amount=1.00",
	"refunds the payment":            "refund",
}

func (w *world) paymentLifeSteps(sc *godog.ScenarioContext) {
	sc.Step(`^Mercado Pago (puts the payment under review|authorizes the payment|charges back the payment|opens a dispute on the payment|refunds part of the payment|refunds the payment)$`,
		func(ctx context.Context, what string) error {
			verb, query, _ := strings.Cut(lifeVerbs[what], "?")
			if query != "" {
				query = "?" + query
			}
			return w.fakeVerb(ctx, verb, query, 1, 1)
		})
	sc.Step(`^Mercado Pago rejects the payment because "([^"]*)"$`, func(ctx context.Context, reason string) error {
		return w.fakeVerb(ctx, "reject", "?detail="+reason, 1, 1)
	})
	sc.Step(`^the payment service recorded the (\w+) on the approved payment$`, w.reversalRecorded)
}

// reversalRecorded waits for the payment service's log line that records
// money going back (reversal) on the order's approved payment.
func (w *world) reversalRecorded(ctx context.Context, reversal string) error {
	a, err := w.order()
	if err != nil {
		return err
	}
	return w.eventually(ctx, "the "+reversal+" recorded", func() error {
		if logLines(a.orderID, "reversed at Mercado Pago; recorded, kept APPROVED", `"reversal":"`+reversal+`"`) != 1 {
			return fmt.Errorf("no log line records the %s on the order's payment", reversal)
		}
		return nil
	})
}
