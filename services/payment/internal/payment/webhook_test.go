package payment

import (
	"cmp"
	"context"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/fakes/mercadopago"
	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/token/tokentest"
)

// webhookWorld is the service's domain and router served over HTTP, with
// the fake Mercado Pago sending its webhooks there.
type webhookWorld struct {
	env    *awsEnv
	fake   *mercadopago.Fake
	domain *Payments
	url    string // POST /payment/webhook
}

func newWebhookWorld(t *testing.T) *webhookWorld {
	t.Helper()
	return newWebhookWorldWith(t, WebhookConfig{DedupeWindow: 10 * time.Minute, DedupeMaxEntries: 100})
}

// newWebhookWorldWith is a webhook world whose handler checks notifications
// as cfg says.
func newWebhookWorldWith(t *testing.T, cfg WebhookConfig) *webhookWorld {
	t.Helper()
	env := newAWSEnv(t)
	fake, mpSrv := newFake(t)
	srv := httptest.NewUnstartedServer(nil)
	hook := "http://" + srv.Listener.Addr().String() + "/payment/webhook"
	domain := newDomain(t, env, mpSrv.URL, hook)
	api := &httpAPI{store: env.store(), payments: domain, webhookSecret: testWebhookSecret, hooks: newWebhookGuard(cfg), log: logging.Discard()}
	srv.Config.Handler = newRouter(api, tokentest.New(t).Verifier())
	srv.Start()
	t.Cleanup(srv.Close)
	return &webhookWorld{env: env, fake: fake, domain: domain, url: hook}
}

// order makes the order's payment as the consumer does.
func (w *webhookWorld) order(t *testing.T) (orderID string, providerID int64) {
	t.Helper()
	req, orderID := paymentRequest(t, uuid.NewString(), 4200)
	ctx := logging.WithCorrelationID(context.Background(), req.Meta.CorrelationID)
	if err := w.domain.HandlePaymentRequested(ctx, req); err != nil {
		t.Fatal(err)
	}
	mp, ok := w.fake.FindByExternalReference(orderID)
	if !ok {
		t.Fatal("no Mercado Pago payment for the order")
	}
	// Let the creation's webhook land first, so that each later state
	// change makes exactly one notification that sees it.
	w.waitDelivered(t, mp.ID, 1)
	return orderID, mp.ID
}

// waitDelivered waits until n webhooks about the payment were accepted.
func (w *webhookWorld) waitDelivered(t *testing.T, providerID int64, n int) {
	t.Helper()
	ok := 0
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		ok = 0
		for _, d := range w.fake.Deliveries() {
			if d.PaymentID == providerID && d.OK() {
				ok++
			}
		}
		if ok >= n {
			return
		}
	}
	t.Fatalf("%d webhooks accepted for payment %d; want %d", ok, providerID, n)
}

// post sends a webhook as Mercado Pago would, signed with secret.
func (w *webhookWorld) post(t *testing.T, query, dataID, secret string) *http.Response {
	t.Helper()
	return w.send(t, delivery{query: query, dataID: dataID, secret: secret})
}

// delivery is one webhook request; empty fields get what Mercado Pago
// would send: a fresh request id, the time now in seconds, a small body.
type delivery struct {
	query, dataID, secret string
	requestID, ts, body   string
}

// send posts d, signed with d.secret unless it is empty.
func (w *webhookWorld) send(t *testing.T, d delivery) *http.Response {
	t.Helper()
	if d.body == "" {
		d.body = `{"type":"payment","data":{"id":"` + d.dataID + `"}}`
	}
	req, err := http.NewRequest(http.MethodPost, w.url+"?"+d.query, strings.NewReader(d.body))
	if err != nil {
		t.Fatal(err)
	}
	requestID, ts := cmp.Or(d.requestID, uuid.NewString()), cmp.Or(d.ts, strconv.FormatInt(time.Now().Unix(), 10))
	if d.secret != "" {
		sig := hex.EncodeToString(signManifest(d.secret, signatureManifest(d.dataID, requestID, ts)))
		req.Header.Set("x-signature", "ts="+ts+",v1="+sig)
	}
	req.Header.Set("x-request-id", requestID)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = resp.Body.Close() })
	return resp
}

// waitStatus polls the record until it has status.
func (w *webhookWorld) waitStatus(t *testing.T, orderID string, status Status) Payment {
	t.Helper()
	var p Payment
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var err error
		if p, err = w.env.store().Get(context.Background(), IDForOrder(orderID)); err == nil && p.Status == status {
			return p
		}
	}
	t.Fatalf("payment of order %s is %s; want %s", orderID, p.Status, status)
	return p
}

func TestWebhookRejectsBadSignatures(t *testing.T) {
	t.Parallel()
	w := newWebhookWorld(t)
	_, providerID := w.order(t)
	id := strconv.FormatInt(providerID, 10)
	for name, secret := range map[string]string{"missing": "", "wrong secret": "not-the-secret"} {
		resp := w.post(t, "data.id="+id+"&type=payment", id, secret)
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s signature: status %d; want 401", name, resp.StatusCode)
		}
	}
	// Signed for another payment than the query names.
	resp := w.post(t, "data.id="+id+"&type=payment", "1", testWebhookSecret)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("signature of another data.id: status %d; want 401", resp.StatusCode)
	}
}

func TestWebhookIgnoresWhatIsNotOurs(t *testing.T) {
	t.Parallel()
	w := newWebhookWorld(t)
	for _, tt := range []struct{ query, dataID string }{
		{"data.id=777&type=merchant_order", "777"},
		{"topic=chargebacks&data.id=777", "777"},
		{"data.id=999999999&type=payment", "999999999"}, // Mercado Pago does not know it
		{"data.id=abc&type=payment", "abc"},
		{"type=payment", ""},
	} {
		if resp := w.post(t, tt.query, tt.dataID, testWebhookSecret); resp.StatusCode != http.StatusOK {
			t.Errorf("POST ?%s: status %d; want 200", tt.query, resp.StatusCode)
		}
	}
}

func TestWebhookApprovalCompletesThePayment(t *testing.T) {
	t.Parallel()
	w := newWebhookWorld(t)
	orderID, providerID := w.order(t)
	if _, err := w.fake.Approve(context.Background(), providerID); err != nil {
		t.Fatal(err)
	}
	p := w.waitStatus(t, orderID, StatusApproved)

	w.waitDelivered(t, providerID, 2)
	got := w.env.orderEvents(t, func(envs []events.Envelope) bool {
		return len(named(t, envs, events.PaymentCreated)) > 0 && len(named(t, envs, events.PaymentCompleted)) > 0
	})
	completed := named(t, got, events.PaymentCompleted)
	if len(completed) != 1 || completed[0].PaymentID != p.ID || completed[0].OrderID != orderID ||
		completed[0].Status != "APPROVED" || completed[0].ProviderPaymentID != providerID {
		t.Fatalf("payment-completed events %+v; want one for %s", completed, p.ID)
	}
	for _, env := range got {
		if env.Meta.CorrelationID != "corr-"+orderID {
			t.Errorf("%s correlation id %q; want the order flow's", env.Meta.EventName, env.Meta.CorrelationID)
		}
	}

	// Mercado Pago redelivers: the record stays, the event is sent again.
	if _, err := w.fake.Resend(context.Background(), providerID, mercadopago.ResendOptions{}); err != nil {
		t.Fatal(err)
	}
	w.waitDelivered(t, providerID, 3)
	again := named(t, w.env.orderEvents(t, countAtLeast(t, events.PaymentCompleted, 1)), events.PaymentCompleted)
	if len(again) != 1 || again[0].PaymentID != p.ID || again[0].Status != "APPROVED" {
		t.Fatalf("after a redelivery: %+v; want payment-completed again", again)
	}
	if after, _ := w.env.store().Get(context.Background(), p.ID); !after.UpdatedAt.Equal(p.UpdatedAt) {
		t.Errorf("a redelivery changed the record: %+v", after)
	}
}

func TestWebhookFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		move   func(*mercadopago.Fake, int64) error
		status Status
		reason string
	}{
		{"rejected", func(f *mercadopago.Fake, id int64) error { _, err := f.Reject(context.Background(), id); return err }, StatusRejected, "rejected_by_bank"},
		{"expired", func(f *mercadopago.Fake, id int64) error { _, err := f.Expire(context.Background(), id); return err }, StatusCancelled, "expired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWebhookWorld(t)
			orderID, providerID := w.order(t)
			if err := tt.move(w.fake, providerID); err != nil {
				t.Fatal(err)
			}
			w.waitStatus(t, orderID, tt.status)
			failed := named(t, w.env.orderEvents(t, countAtLeast(t, events.PaymentFailed, 1)), events.PaymentFailed)
			if len(failed) != 1 || failed[0].OrderID != orderID || failed[0].Status != string(tt.status) || failed[0].Reason != tt.reason {
				t.Fatalf("payment-failed events %+v; want one %s (%s)", failed, tt.status, tt.reason)
			}
		})
	}
}

// failingPublisher refuses every event.
type failingPublisher struct{}

func (failingPublisher) Publish(context.Context, string, events.Envelope) error {
	return errors.New("queue unreachable")
}

func TestWebhookAsksForRetryWhenPublishingFails(t *testing.T) {
	t.Parallel()
	w := newWebhookWorld(t)
	orderID, providerID := w.order(t)
	w.fake.Close() // no automatic deliveries: this test posts by hand
	if _, err := w.fake.Approve(context.Background(), providerID); err != nil {
		t.Fatal(err)
	}
	w.domain.events = failingPublisher{}
	id := strconv.FormatInt(providerID, 10)
	if resp := w.post(t, "data.id="+id+"&type=payment", id, testWebhookSecret); resp.StatusCode != http.StatusInternalServerError {
		t.Fatalf("status %d; want 500 so that Mercado Pago retries", resp.StatusCode)
	}
	w.waitStatus(t, orderID, StatusApproved)
}
