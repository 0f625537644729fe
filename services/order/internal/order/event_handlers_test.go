package order

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/queue"
)

func TestEventHandlers(t *testing.T) {
	t.Parallel()
	f := newStoreFixture(t)
	handlers := eventHandlers(f.orders, logging.Discard())
	o := f.place(t, uuid.NewString())
	payment := func(name, orderID, status string) events.Envelope {
		env, err := events.New(name, events.PaymentService, events.OrderService, "corr", events.PaymentPayload{
			PaymentID: "pay-1", OrderID: orderID, Status: status, AmountCents: int64(o.Total), QRCode: "qr",
			ExpiresAt: time.Now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		return env
	}
	kitchen := func(name, orderID string) events.Envelope {
		env, err := events.New(name, events.ProductionService, events.OrderService, "corr",
			events.ProductionPayload{ProductionID: uuid.NewString(), OrderID: orderID, Status: "IN_PREPARATION", At: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		return env
	}
	created := payment(events.PaymentCreated, o.ID, PaymentPending)
	malformed := created
	malformed.Payload = []byte(`{"order_id":"` + o.ID + `","surprise":true}`)
	tests := []struct {
		name string
		env  events.Envelope
		want func(error) bool
	}{
		{"created", created, isNil},
		{"created again", created, isNil},
		{"completed", payment(events.PaymentCompleted, o.ID, PaymentApproved), isNil},
		{"late created", payment(events.PaymentCreated, o.ID, PaymentPending), isNil},
		{"failed after paid", payment(events.PaymentFailed, o.ID, PaymentRejected), isNil},
		{"kitchen started", kitchen(events.ProductionStarted, o.ID), isNil},
		{"kitchen completed", kitchen(events.ProductionCompleted, o.ID), isNil},
		{"unknown payment status", payment(events.PaymentFailed, o.ID, "REFUNDED"), isPermanent},
		{"order id not a uuid", payment(events.PaymentCreated, "order-1", PaymentPending), isPermanent},
		{"unknown order", kitchen(events.ProductionStarted, uuid.NewString()), isPermanent},
		{"payload with unknown field", malformed, func(err error) bool { return errors.Is(err, events.ErrMalformed) }},
	}
	for _, tc := range tests { // in order: each step builds on the last
		if err := handlers[tc.env.Meta.EventName](t.Context(), tc.env); !tc.want(err) {
			t.Errorf("%s: handler returned %v", tc.name, err)
		}
	}
	got := mustGet(t, f.store, o.ID)
	if got.Status != StatusReady || len(got.History) != 5 || got.Payment.Status != PaymentApproved {
		t.Fatalf("order = %s %v, payment %+v", got.Status, historyStatuses(got), got.Payment)
	}
	if n := countOutbox(t, f.store, events.OrderPaid); n != 1 {
		t.Fatalf("%d order-paid events; want 1", n)
	}
}

func isNil(err error) bool       { return err == nil }
func isPermanent(err error) bool { return errors.Is(err, queue.ErrPermanent) }

// A payment that fails cancels the order with the payment service's reason,
// once; a second failure event (another id) changes nothing.
func TestPaymentFailureCancelsWithItsReason(t *testing.T) {
	t.Parallel()
	f := newStoreFixture(t)
	handlers := eventHandlers(f.orders, logging.Discard())
	o := f.place(t, uuid.NewString())
	failed := func(reason string) events.Envelope {
		env, err := events.New(events.PaymentFailed, events.PaymentService, events.OrderService, "corr", events.PaymentPayload{
			PaymentID: "pay-1", OrderID: o.ID, Status: PaymentRejected, AmountCents: int64(o.Total), Reason: reason})
		if err != nil {
			t.Fatal(err)
		}
		return env
	}
	const reason = "mercado pago refused the payment: date_of_expiration must be a future date"
	for _, env := range []events.Envelope{failed(reason), failed("another reason")} {
		if err := handlers[events.PaymentFailed](t.Context(), env); err != nil {
			t.Fatal(err)
		}
	}
	got := mustGet(t, f.store, o.ID)
	if got.Status != StatusCancelled || got.CancellationReason != reason || len(got.History) != 3 {
		t.Fatalf("order = %s (%q) %v; want CANCELLED with the first reason", got.Status, got.CancellationReason, historyStatuses(got))
	}
	if j := toJSON(got); j.CancellationReason != reason {
		t.Errorf("the API shows cancellation_reason %q; want %q", j.CancellationReason, reason)
	}
}

// A payment event that cannot be true of its order moves nothing: it comes
// from another service than payment, names another payment than the
// order's, or another amount than the order's total. Each is dead-lettered.
func TestForgedPaymentEventsAreRejected(t *testing.T) {
	t.Parallel()
	f := newStoreFixture(t)
	handlers := eventHandlers(f.orders, logging.Discard())
	o := f.place(t, uuid.NewString())
	const paymentID = "pay-1"
	event := func(source, paymentID, status string, amount int64) events.Envelope {
		env, err := events.New(events.PaymentCompleted, source, events.OrderService, "corr", events.PaymentPayload{
			PaymentID: paymentID, OrderID: o.ID, Status: status, AmountCents: amount})
		if err != nil {
			t.Fatal(err)
		}
		return env
	}
	if err := handlers[events.PaymentCreated](t.Context(), event(events.PaymentService, paymentID, PaymentPending, int64(o.Total))); err != nil {
		t.Fatal(err)
	}
	forged := map[string]events.Envelope{
		"from the kitchen":  event(events.ProductionService, paymentID, PaymentApproved, int64(o.Total)),
		"another payment":   event(events.PaymentService, "pay-2", PaymentApproved, int64(o.Total)),
		"a smaller amount":  event(events.PaymentService, paymentID, PaymentApproved, 1),
		"a larger amount":   event(events.PaymentService, paymentID, PaymentApproved, int64(o.Total)+1),
		"with no payment":   event(events.PaymentService, "", PaymentApproved, int64(o.Total)),
		"with no source at": event("", paymentID, PaymentApproved, int64(o.Total)),
	}
	for name, env := range forged {
		if err := handlers[events.PaymentCompleted](t.Context(), env); !isPermanent(err) {
			t.Errorf("%s: handler returned %v; want it dead-lettered", name, err)
		}
	}
	if got := mustGet(t, f.store, o.ID); got.Status != StatusAwaitingPayment {
		t.Fatalf("order is %s after forged events; want AWAITING_PAYMENT", got.Status)
	}
	// The genuine approval still goes through: the forged events claimed nothing.
	if err := handlers[events.PaymentCompleted](t.Context(), event(events.PaymentService, paymentID, PaymentApproved, int64(o.Total))); err != nil {
		t.Fatal(err)
	}
	if got := mustGet(t, f.store, o.ID); got.Status != StatusPaid {
		t.Fatalf("order is %s after the genuine approval; want PAID", got.Status)
	}
}
