package mercadopago_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/mercadopago/sdk-go/pkg/payment"
	"github.com/mercadopago/sdk-go/pkg/refund"

	"github.com/comanda/comanda/fakes/mercadopago"
)

// sdkRefundClient is the SDK's refund client pointed at the fake; a fixed
// key, when set, replaces the SDK's random X-Idempotency-Key.
func sdkRefundClient(t *testing.T, srv *httptest.Server, key string) refund.Client {
	t.Helper()
	return refund.NewClient(sdkConfig(t, srv, key))
}

// approvedPayment creates a payment of 25.90 through the SDK, notifying
// hook ("" for none), and approves it.
func approvedPayment(t *testing.T, f *mercadopago.Fake, srv *httptest.Server, hook string) int {
	t.Helper()
	created, err := sdkClient(t, srv, "").Create(context.Background(), payment.Request{
		TransactionAmount: 25.9,
		PaymentMethodID:   "pix",
		Payer:             &payment.PayerRequest{Email: "buyer@example.com"},
		ExternalReference: "order-" + uuid.NewString(),
		NotificationURL:   hook,
	})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if _, err := f.Approve(context.Background(), int64(created.ID)); err != nil {
		t.Fatalf("approve: %v", err)
	}
	return created.ID
}

// TestSDKPartialThenFullRefund: a partial refund leaves the payment
// approved/partially_refunded, the SDK's full refund gives back what
// remains and makes it refunded/refunded; each sends payment.updated, and
// both refunds are listed, read one by one and shown on the payment.
func TestSDKPartialThenFullRefund(t *testing.T) {
	t.Parallel()
	f, srv, clock := newTestFake(t)
	hook := newReceiver(t, always(http.StatusOK))
	id := approvedPayment(t, f, srv, hook.url())
	refunds, payments := sdkRefundClient(t, srv, ""), sdkClient(t, srv, "")
	ctx := context.Background()

	clock.Advance(time.Minute)
	partial, err := refunds.CreatePartialRefund(ctx, id, 10.5)
	if err != nil {
		t.Fatalf("partial refund: %v", err)
	}
	if partial.PaymentID != id || partial.Amount != 10.5 || partial.Status != "approved" || partial.RefundMode != "standard" ||
		partial.Source.Type != "collector" || !partial.DateCreated.Equal(clock.Now()) || partial.ID == 0 {
		t.Errorf("partial refund = %+v", partial)
	}
	got, err := payments.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != "approved" || got.StatusDetail != "partially_refunded" || got.TransactionAmountRefunded != 10.5 ||
		len(got.Refunds) != 1 || got.Refunds[0].ID != partial.ID {
		t.Errorf("after a partial refund: %s/%s, refunded %v, refunds %+v", got.Status, got.StatusDetail, got.TransactionAmountRefunded, got.Refunds)
	}

	full, err := refunds.Create(ctx, id)
	if err != nil {
		t.Fatalf("full refund: %v", err)
	}
	if full.Amount != 15.4 || full.ID == partial.ID {
		t.Errorf("full refund = %+v; want the 15.40 that remained, with an id of its own", full)
	}
	if got, err = payments.Get(ctx, id); err != nil || got.Status != "refunded" || got.StatusDetail != "refunded" || got.TransactionAmountRefunded != 25.9 {
		t.Errorf("after the full refund: %s/%s refunded %v (%v); want refunded/refunded 25.9", got.Status, got.StatusDetail, got.TransactionAmountRefunded, err)
	}

	list, err := refunds.List(ctx, id)
	if err != nil || len(list) != 2 || list[0].ID != partial.ID || list[1].ID != full.ID {
		t.Errorf("list = %+v, %v; want the partial refund, then the full one", list, err)
	}
	one, err := refunds.Get(ctx, id, full.ID)
	if err != nil || one.ID != full.ID || one.Amount != 15.4 {
		t.Errorf("get = %+v, %v", one, err)
	}

	eventually(t, 30*time.Second, "approval and two refund webhooks", func() bool {
		updated := 0
		for _, d := range f.Deliveries() {
			if d.PaymentID == int64(id) && d.Action == "payment.updated" && d.OK() {
				updated++
			}
		}
		return updated == 3
	})
}

// TestSDKRefundRefusals: what cannot be refunded is refused in Mercado
// Pago's error shape, and refuses without changing the payment.
func TestSDKRefundRefusals(t *testing.T) {
	t.Parallel()
	f, srv, _ := newTestFake(t)
	refunds := sdkRefundClient(t, srv, "")
	ctx := context.Background()

	pending, err := sdkClient(t, srv, "").Create(ctx, payment.Request{TransactionAmount: 10, PaymentMethodID: "pix", Payer: &payment.PayerRequest{Email: "buyer@example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = refunds.Create(ctx, pending.ID)
	checkSDKError(t, "refund of a pending payment", err, http.StatusBadRequest, `"cause":[{"code":2063`)
	_, err = refunds.CreatePartialRefund(ctx, pending.ID, 5)
	checkSDKError(t, "partial refund of a pending payment", err, http.StatusBadRequest, "is pending; it cannot refund")

	id := approvedPayment(t, f, srv, "")
	_, err = refunds.CreatePartialRefund(ctx, id, 25.91)
	checkSDKError(t, "more than the payment", err, http.StatusBadRequest, "25.90 remains to refund; it cannot refund 25.91")
	_, err = refunds.CreatePartialRefund(ctx, id, -1)
	checkSDKError(t, "a negative amount", err, http.StatusBadRequest, `"cause":[{"code":4040`)
	if p, _ := f.Payment(int64(id)); p.Status != mercadopago.StatusApproved || p.StatusDetail != mercadopago.DetailAccredited || len(p.Refunds) != 0 {
		t.Errorf("after refused refunds: %s/%s, %d refunds; want approved/accredited, none", p.Status, p.StatusDetail, len(p.Refunds))
	}

	if _, err := refunds.CreatePartialRefund(ctx, id, 20); err != nil {
		t.Fatal(err)
	}
	_, err = refunds.CreatePartialRefund(ctx, id, 6)
	checkSDKError(t, "more than remains", err, http.StatusBadRequest, "5.90 remains to refund; it cannot refund 6.00")
	if _, err := refunds.Create(ctx, id); err != nil {
		t.Fatal(err)
	}
	_, err = refunds.Create(ctx, id)
	checkSDKError(t, "refund of a refunded payment", err, http.StatusBadRequest, "is refunded; it cannot refund")

	_, err = refunds.Create(ctx, 999)
	checkSDKError(t, "unknown payment", err, http.StatusNotFound, `"cause":[{"code":2000`)
	_, err = refunds.List(ctx, 999)
	checkSDKError(t, "list of an unknown payment", err, http.StatusNotFound, "Payment not found")
	_, err = refunds.Get(ctx, id, 42)
	checkSDKError(t, "unknown refund", err, http.StatusNotFound, `"cause":[{"code":2032`)
}

// TestRefundRequestChecks: what the SDK never sends but a hand-written
// client may: no X-Idempotency-Key, an amount that is not a number, zero.
func TestRefundRequestChecks(t *testing.T) {
	t.Parallel()
	f, srv, _ := newTestFake(t)
	id := approvedPayment(t, f, srv, "")
	tests := map[string]struct {
		key, body string
		cause     int
	}{
		"no key":         {"", `{"amount":5}`, 4292},
		"amount a word":  {uuid.NewString(), `{"amount":"five"}`, 4041},
		"amount zero":    {uuid.NewString(), `{"amount":0}`, 4040},
		"malformed JSON": {uuid.NewString(), `{"amount":`, 4000},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/payments/"+strconv.Itoa(id)+"/refunds", strings.NewReader(tc.body))
			req.Header.Set("Authorization", "Bearer "+testToken)
			if tc.key != "" {
				req.Header.Set("X-Idempotency-Key", tc.key)
			}
			status, raw := do(t, req)
			if e := decodeMPError(t, raw); status != http.StatusBadRequest || len(e.Cause) != 1 || e.Cause[0].Code != tc.cause {
				t.Errorf("%s = %d %s; want 400 with cause %d", tc.body, status, raw, tc.cause)
			}
		})
	}
	if p, _ := f.Payment(int64(id)); len(p.Refunds) != 0 {
		t.Errorf("refused requests made %d refunds", len(p.Refunds))
	}
}

// TestSDKRefundIdempotency: a refund retried with its X-Idempotency-Key
// (as the SDK's retry on a 5xx does) gets the refund made the first time,
// even once the payment is refunded; the key with another request is 409.
func TestSDKRefundIdempotency(t *testing.T) {
	t.Parallel()
	f, srv, _ := newTestFake(t)
	ctx := context.Background()
	id := approvedPayment(t, f, srv, "")

	partialKey := sdkRefundClient(t, srv, uuid.NewString())
	first, err := partialKey.CreatePartialRefund(ctx, id, 5)
	if err != nil {
		t.Fatal(err)
	}
	again, err := partialKey.CreatePartialRefund(ctx, id, 5)
	if err != nil || again.ID != first.ID {
		t.Errorf("retry = %+v, %v; want refund %d again", again, err, first.ID)
	}
	_, err = partialKey.CreatePartialRefund(ctx, id, 6)
	checkSDKError(t, "same key, other amount", err, http.StatusConflict, "X-Idempotency-Key already used")
	_, err = partialKey.Create(ctx, id)
	checkSDKError(t, "same key, full refund", err, http.StatusConflict, "X-Idempotency-Key already used")

	fullKey := sdkRefundClient(t, srv, uuid.NewString())
	full, err := fullKey.Create(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if retried, err := fullKey.Create(ctx, id); err != nil || retried.ID != full.ID || retried.Amount != 20.9 {
		t.Errorf("retry after the payment is refunded = %+v, %v; want refund %d of 20.90", retried, err, full.ID)
	}
	if p, _ := f.Payment(int64(id)); len(p.Refunds) != 2 || p.TransactionAmountRefunded != 25.9 {
		t.Errorf("payment: %d refunds, refunded %v; want 2, 25.9", len(p.Refunds), p.TransactionAmountRefunded)
	}

	// A key is one request: the key of a creation cannot refund.
	creationKey := uuid.NewString()
	other := createdID(t, srv, creationKey, pixRequest("order-"+uuid.NewString(), ""))
	if _, err := f.Approve(ctx, other); err != nil {
		t.Fatal(err)
	}
	_, err = sdkRefundClient(t, srv, creationKey).Create(ctx, int(other))
	checkSDKError(t, "a creation's key", err, http.StatusConflict, "X-Idempotency-Key already used")
}

// TestRefundControlVerb: POST /_fake/payments/{id}/refund takes ?amount=
// for a partial refund; without it, it refunds what remains, as before.
func TestRefundControlVerb(t *testing.T) {
	t.Parallel()
	f, srv, _ := newTestFake(t)
	id := approvedPayment(t, f, srv, "")
	base := srv.URL + "/_fake/payments/" + strconv.Itoa(id) + "/refund"

	status, raw := controlCall(t, http.MethodPost, base+"?amount=10.90")
	if status != http.StatusOK || !strings.Contains(string(raw), `"status_detail":"partially_refunded"`) {
		t.Errorf("refund?amount=10.90 = %d %s; want approved/partially_refunded", status, raw)
	}
	for query, want := range map[string]string{
		"?amount=ten": `"code":"invalid_request"`,
		"?amount=16":  `"code":"invalid_amount"`,
		"?amount=0":   `"code":"invalid_amount"`,
	} {
		if status, raw := controlCall(t, http.MethodPost, base+query); status != http.StatusBadRequest || !strings.Contains(string(raw), want) {
			t.Errorf("refund%s = %d %s; want 400 %s", query, status, raw, want)
		}
	}
	status, raw = controlCall(t, http.MethodPost, base)
	if status != http.StatusOK || !strings.Contains(string(raw), `"status":"refunded"`) {
		t.Errorf("refund = %d %s; want refunded", status, raw)
	}
	refunds, _ := f.Refunds(int64(id))
	if len(refunds) != 2 || refunds[0].Amount != 10.9 || refunds[1].Amount != 15 {
		t.Errorf("refunds = %+v; want 10.90, then the 15.00 that remained", refunds)
	}
	if _, err := mercadopago.NewControlClient(srv.URL).Act(context.Background(), int64(id), "refund", url.Values{"amount": {"1"}}); err == nil ||
		!strings.Contains(err.Error(), "is refunded; it cannot refund") {
		t.Errorf("refund of a refunded payment: err = %v", err)
	}
}

// TestRefundsPersistAndReset: refunds, and the keys that made them, are
// kept in the state file across a restart; a reset forgets them, and
// refund ids, like payment ids, are never given twice.
func TestRefundsPersistAndReset(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "fake-state.json")
	clock := newTestClock()
	first := persistentFake(t, path, clock)
	srv := serve(t, first)
	id := approvedPayment(t, first, srv, "")
	key := uuid.NewString()
	made, err := sdkRefundClient(t, srv, key).CreatePartialRefund(context.Background(), id, 5)
	if err != nil {
		t.Fatal(err)
	}
	first.Close()

	second := persistentFake(t, path, clock)
	srv = serve(t, second)
	if refunds, _ := second.Refunds(int64(id)); len(refunds) != 1 || refunds[0].ID != int64(made.ID) {
		t.Fatalf("after a restart: refunds %+v; want refund %d", refunds, made.ID)
	}
	if again, err := sdkRefundClient(t, srv, key).CreatePartialRefund(context.Background(), id, 5); err != nil || again.ID != made.ID {
		t.Errorf("the same key after a restart = %+v, %v; want refund %d", again, err, made.ID)
	}
	second.Reset()
	if _, found := second.Refunds(int64(id)); found {
		t.Error("the payment and its refunds outlived a reset")
	}
	next := approvedPayment(t, second, srv, "")
	later, err := sdkRefundClient(t, srv, key).Create(context.Background(), next)
	if err != nil || later.ID <= made.ID || int64(later.ID) == int64(next) {
		t.Errorf("after a reset, the same key = %+v, %v; want a new refund with a new id, after %d", later, err, made.ID)
	}
}

// TestRefundAnswerLost: a refund that took effect but whose answer was lost
// (a 500 after it was processed) is retried with the same key, as the
// SDK's requester does, and gets that refund: the money is given back once.
func TestRefundAnswerLost(t *testing.T) {
	t.Parallel()
	f, srv, _ := newTestFake(t)
	ctx := context.Background()
	id := approvedPayment(t, f, srv, "")
	if _, err := f.FailNext(1, mercadopago.APIFault{Processed: true}); err != nil {
		t.Fatal(err)
	}
	client := sdkRefundClient(t, srv, uuid.NewString())
	_, err := client.CreatePartialRefund(ctx, id, 3)
	checkSDKError(t, "the lost answer", err, http.StatusInternalServerError, "")
	retried, err := client.CreatePartialRefund(ctx, id, 3)
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	if refunds, _ := f.Refunds(int64(id)); len(refunds) != 1 || refunds[0].ID != int64(retried.ID) {
		t.Errorf("refunds = %+v; want one, the retry's %d", refunds, retried.ID)
	}
}
