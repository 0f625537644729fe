package mercadopago_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/comanda/comanda/fakes/mercadopago"
	"github.com/google/uuid"
)

func TestValidSignatureKnownVector(t *testing.T) {
	t.Parallel()
	// printf 'id:123;request-id:r;ts:1700000000;' | openssl dgst -sha256 -hmac s
	const header = "ts=1700000000,v1=ffc2a2fa51d335ea27e832b773e966c388e0d75bbc35dfae117d218cae5973ba"
	if !validSignature("s", "123", "r", header) {
		t.Error("the test's verifier rejects the openssl vector")
	}
	if validSignature("s", "124", "r", header) {
		t.Error("the test's verifier accepts a signature for another id")
	}
}

// webhookJSON is the body a receiver gets.
type webhookJSON struct {
	ID          int64  `json:"id"`
	LiveMode    bool   `json:"live_mode"`
	Type        string `json:"type"`
	DateCreated string `json:"date_created"`
	UserID      int64  `json:"user_id"`
	APIVersion  string `json:"api_version"`
	Action      string `json:"action"`
	Data        struct {
		ID string `json:"id"`
	} `json:"data"`
}

func TestWebhookRetriedUntilAccepted(t *testing.T) {
	t.Parallel()
	f, srv, _ := newTestFake(t)
	hook := newReceiver(t, func(n int) int {
		if n == 1 {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	p := createPayment(t, srv, pixRequest("order-"+uuid.NewString(), hook.url()+"?source=mp"))
	eventually(t, 30*time.Second, "two attempts", func() bool { return len(f.Deliveries()) == 2 })

	dataID := strconv.FormatInt(p.ID, 10)
	reqs := hook.requests()
	if len(reqs) != 2 {
		t.Fatalf("receiver got %d requests, want 2", len(reqs))
	}
	for i, r := range reqs {
		if r.query.Get("data.id") != dataID || r.query.Get("type") != "payment" || r.query.Get("source") != "mp" {
			t.Errorf("request %d query = %v", i, r.query)
		}
		if _, err := uuid.Parse(r.requestID); err != nil || r.mediaType != "application/json" {
			t.Errorf("request %d: x-request-id %q, content-type %q", i, r.requestID, r.mediaType)
		}
		if !validSignature(testSecret, dataID, r.requestID, r.signature) {
			t.Errorf("request %d: bad x-signature %q", i, r.signature)
		}
		var body webhookJSON
		if err := json.Unmarshal(r.body, &body); err != nil {
			t.Fatalf("decode body: %v", err)
		}
		if body.Action != "payment.created" || body.Type != "payment" || body.APIVersion != "v1" || body.LiveMode ||
			body.Data.ID != dataID || body.ID == 0 || body.UserID == 0 || body.DateCreated == "" {
			t.Errorf("request %d body = %s", i, r.body)
		}
	}

	log := f.Deliveries()
	for i, d := range log {
		if d.PaymentID != p.ID || d.Attempt != i+1 || d.Action != "payment.created" || d.RequestID != reqs[i].requestID ||
			d.Signature != reqs[i].signature || d.URL != hook.url()+"?data.id="+dataID+"&source=mp&type=payment" {
			t.Errorf("delivery %d = %+v", i, d)
		}
	}
	if log[0].StatusCode != 500 || log[0].OK() || log[1].StatusCode != 200 || !log[1].OK() {
		t.Errorf("statuses = %d, %d", log[0].StatusCode, log[1].StatusCode)
	}
	if log[0].NotificationID != log[1].NotificationID {
		t.Errorf("a retry changed the notification id: %d, %d", log[0].NotificationID, log[1].NotificationID)
	}
}

func TestWebhookPerStateChange(t *testing.T) {
	t.Parallel()
	f, srv, _ := newTestFake(t)
	hook := newReceiver(t, always(http.StatusOK))
	p := createPayment(t, srv, pixRequest("order-"+uuid.NewString(), hook.url()))
	if _, err := f.Approve(context.Background(), p.ID); err != nil {
		t.Fatalf("approve: %v", err)
	}
	if _, err := f.Resend(context.Background(), p.ID, mercadopago.ResendOptions{Count: 2}); err != nil {
		t.Fatalf("resend: %v", err)
	}
	eventually(t, 30*time.Second, "four deliveries", func() bool { return len(hook.requests()) == 4 })
	actions := map[string]int{}
	ids := map[int64]int{}
	for _, r := range hook.requests() {
		var body webhookJSON
		if err := json.Unmarshal(r.body, &body); err != nil {
			t.Fatalf("decode: %v", err)
		}
		actions[body.Action]++
		ids[body.ID]++
	}
	if actions["payment.created"] != 1 || actions["payment.updated"] != 3 || len(ids) != 2 {
		t.Errorf("actions = %v, notification ids = %v; want 1 created, 3 updated (2 resent), 2 ids", actions, ids)
	}
}

// Deliveries never hold up the API, and Close cancels them with the
// retries still to come. The receiver answers only when the test ends, or
// when its caller gives up (the fake's timeout is 22s), so the API
// answering meanwhile shows that it did not wait, and the deliveries'
// errors show that Close cancelled them rather than waiting them out.
func TestWebhookNeverBlocksAndCloseCancels(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var arrived, answered atomic.Int32
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
		answered.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer slow.Close()
	defer close(release)

	f, err := mercadopago.New(mercadopago.Options{
		AccessToken: testToken, WebhookSecret: testSecret,
		RetrySchedule: []time.Duration{time.Hour},
	})
	if err != nil {
		t.Fatalf("new: %v", err)
	}
	srv := httptest.NewServer(f.Handler())
	defer srv.Close()

	p := createPayment(t, srv, pixRequest("order-"+uuid.NewString(), slow.URL))
	if _, err := f.Approve(context.Background(), p.ID); err != nil {
		t.Fatalf("approve: %v", err)
	}
	if n := answered.Load(); n != 0 {
		t.Errorf("the receiver had answered %d deliveries when create and approve returned; they must not wait for it", n)
	}
	eventually(t, 30*time.Second, "a delivery to reach the receiver", func() bool { return arrived.Load() > 0 })
	closed := make(chan struct{})
	go func() {
		f.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(time.Minute): // a bound for a regression: the retry is an hour away
		t.Fatal("Close did not return; it should cancel deliveries and the hour-long retry")
	}
	deliveries := f.Deliveries()
	if len(deliveries) == 0 {
		t.Fatal("no delivery recorded; the one the receiver held should be, cancelled")
	}
	for _, d := range deliveries {
		if d.Attempt != 1 || d.OK() || !strings.Contains(d.Error, context.Canceled.Error()) {
			t.Errorf("delivery after close = %+v; want the first attempt, cancelled", d)
		}
	}
}

func TestNoNotificationURLNoWebhook(t *testing.T) {
	t.Parallel()
	f, srv, _ := newTestFake(t)
	p := createPayment(t, srv, pixRequest("order-"+uuid.NewString(), ""))
	if _, err := f.Approve(context.Background(), p.ID); err != nil {
		t.Fatalf("approve: %v", err)
	}
	if _, err := f.Resend(context.Background(), p.ID, mercadopago.ResendOptions{}); err == nil {
		t.Error("resend without notification_url succeeded")
	}
	if n := len(f.Deliveries()); n != 0 {
		t.Errorf("%d deliveries, want none", n)
	}
}
