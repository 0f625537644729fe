package payment

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/services/events"
)

// countingPublisher counts the events published by name, and passes them on.
type countingPublisher struct {
	next publisher
	mu   sync.Mutex
	n    map[string]int
}

func (p *countingPublisher) Publish(ctx context.Context, queue string, env events.Envelope) error {
	p.mu.Lock()
	p.n[env.Meta.EventName]++
	p.mu.Unlock()
	return p.next.Publish(ctx, queue, env)
}

func (p *countingPublisher) count(name string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n[name]
}

// answer reads a webhook answer's status and its "status" field.
func answer(t *testing.T, resp *http.Response) (int, string) {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var body struct{ Status string }
	_ = json.Unmarshal(b, &body)
	return resp.StatusCode, body.Status
}

// approvedOrder is an approved payment whose webhooks only the test sends.
func (w *webhookWorld) approvedOrder(t *testing.T) (dataID string, pub *countingPublisher) {
	t.Helper()
	_, providerID := w.order(t)
	w.fake.Close() // no automatic deliveries from here on
	if _, err := w.fake.Approve(context.Background(), providerID); err != nil {
		t.Fatal(err)
	}
	pub = &countingPublisher{next: w.domain.events, n: map[string]int{}}
	w.domain.events = pub
	return strconv.FormatInt(providerID, 10), pub
}

// fixedDelivery is a payment notification about dataID, signed, whose
// request id and ts stay the same however often it is sent.
func fixedDelivery(dataID string) delivery {
	return delivery{query: "data.id=" + dataID + "&type=payment", dataID: dataID, secret: testWebhookSecret,
		requestID: uuid.NewString(), ts: strconv.FormatInt(time.Now().Unix(), 10)}
}

// The same signed delivery sent again within the window is answered 200 and
// not processed again; a delivery with another signature is.
func TestWebhookReplayIsAcknowledgedNotProcessed(t *testing.T) {
	t.Parallel()
	w := newWebhookWorld(t)
	id, pub := w.approvedOrder(t)
	d := fixedDelivery(id)
	for i, want := range []string{"accepted", "duplicate", "duplicate"} {
		if status, got := answer(t, w.send(t, d)); status != http.StatusOK || got != want {
			t.Fatalf("delivery #%d: %d %q; want 200 %q", i+1, status, got, want)
		}
	}
	if n := pub.count(events.PaymentCompleted); n != 1 {
		t.Fatalf("payment-completed published %d times; want once for one delivery sent three times", n)
	}
	d.ts = strconv.FormatInt(time.Now().Unix()+1, 10) // signed anew: another delivery
	if status, got := answer(t, w.send(t, d)); status != http.StatusOK || got != "accepted" {
		t.Fatalf("a newly signed delivery: %d %q; want 200 accepted", status, got)
	}
}

// A delivery answered 500 is not remembered: Mercado Pago's retry of it is
// processed.
func TestWebhookRetryOfAFailedDeliveryIsProcessed(t *testing.T) {
	t.Parallel()
	w := newWebhookWorld(t)
	id, pub := w.approvedOrder(t)
	d := fixedDelivery(id)
	w.domain.events = failingPublisher{}
	if status, _ := answer(t, w.send(t, d)); status != http.StatusInternalServerError {
		t.Fatalf("status %d; want 500", status)
	}
	w.domain.events = pub
	if status, got := answer(t, w.send(t, d)); status != http.StatusOK || got != "accepted" {
		t.Fatalf("the retry: %d %q; want 200 accepted", status, got)
	}
	if n := pub.count(events.PaymentCompleted); n != 1 {
		t.Fatalf("payment-completed published %d times; want 1", n)
	}
}

func TestWebhookTimestampTolerance(t *testing.T) {
	t.Parallel()
	w := newWebhookWorldWith(t, WebhookConfig{TSTolerance: 5 * time.Minute})
	now := time.Now()
	tests := []struct {
		name, ts string
		status   int
	}{
		{"seconds, now", strconv.FormatInt(now.Unix(), 10), 200},
		{"milliseconds, now", strconv.FormatInt(now.UnixMilli(), 10), 200},
		{"an hour old", strconv.FormatInt(now.Add(-time.Hour).Unix(), 10), 401},
		{"an hour ahead, in ms", strconv.FormatInt(now.Add(time.Hour).UnixMilli(), 10), 401},
		{"not a time", "yesterday", 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp := w.send(t, delivery{query: "data.id=777&type=merchant_order", dataID: "777", secret: testWebhookSecret, ts: tt.ts})
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d; want %d", resp.StatusCode, tt.status)
			}
		})
	}
}

func TestWebhookAcceptsThePreviousSecretDuringARotation(t *testing.T) {
	t.Parallel()
	w := newWebhookWorldWith(t, WebhookConfig{PreviousSecret: "previous-webhook-secret"})
	for secret, status := range map[string]int{testWebhookSecret: 200, "previous-webhook-secret": 200, "some-other-secret": 401} {
		resp := w.send(t, delivery{query: "data.id=777&type=merchant_order", dataID: "777", secret: secret})
		if resp.StatusCode != status {
			t.Errorf("signed with %s: status %d; want %d", secret, resp.StatusCode, status)
		}
	}
}

func TestWebhookBodyLimit(t *testing.T) {
	t.Parallel()
	w := newWebhookWorld(t)
	big := `{"type":"payment","padding":"` + strings.Repeat("x", webhookMaxBody) + `"}`
	resp := w.send(t, delivery{query: "data.id=777&type=merchant_order", dataID: "777", secret: testWebhookSecret, body: big})
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d; want 413", resp.StatusCode)
	}
	// Unsigned, it is refused before its body is read at all.
	resp = w.send(t, delivery{query: "data.id=777&type=merchant_order", dataID: "777", body: big})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unsigned: status %d; want 401", resp.StatusCode)
	}
}
