package mercadopago

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/google/uuid"
)

// maxReceiverBody is how much of a receiver's answer is read, so that the
// connection can be reused.
const maxReceiverBody = 64 << 10

// maxAnswer is how much of a receiver's answer the delivery log keeps.
const maxAnswer = 256

// Delivery records one attempt to deliver a webhook.
type Delivery struct {
	PaymentID      int64           `json:"payment_id"`
	NotificationID int64           `json:"notification_id"`
	Attempt        int             `json:"attempt"`
	URL            string          `json:"url"`
	Action         string          `json:"action"`
	RequestID      string          `json:"request_id"` // the x-request-id header
	Signature      string          `json:"signature"`  // the x-signature header
	StatusCode     int             `json:"status_code,omitempty"`
	Error          string          `json:"error,omitempty"`
	Duration       time.Duration   `json:"duration_ns"` // wall clock
	Time           time.Time       `json:"time"`        // on the fake's clock
	Body           json.RawMessage `json:"body"`
	Answer         string          `json:"answer,omitempty"` // the start of the receiver's answer
	// Fault names what a test asked to go wrong with this delivery
	// (bad_signature, delayed 2s, first_again, out_of_order), if anything.
	Fault string `json:"fault,omitempty"`
}

// OK reports whether the receiver accepted the webhook (answered 2xx).
func (d Delivery) OK() bool { return d.Error == "" && d.StatusCode >= 200 && d.StatusCode < 300 }

// attempt posts n once, signed afresh unless n is a replay. The receiver
// has webhookTimeout to answer, on the wall clock or on the fake's,
// whichever runs out first.
func (w *webhookSender) attempt(ctx context.Context, n notification, number int, opts sendOptions) Delivery {
	start := time.Now()
	d := Delivery{
		PaymentID:      n.paymentID,
		NotificationID: n.id,
		Attempt:        number,
		URL:            n.url,
		Action:         n.action,
		Time:           w.clock.now(),
		Body:           n.body,
		Fault:          opts.fault,
	}
	secret := w.secret
	if opts.secret != "" {
		secret = opts.secret
	}
	ts := n.ts(start)
	switch {
	case n.replay != nil:
		d.RequestID, ts = n.replay.requestID, n.replay.ts
	case !n.variants.has(VariantNoRequestID):
		d.RequestID = uuid.NewString()
	}
	d.Signature = signatureHeader(secret, n.signedID(), d.RequestID, ts)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	go func() {
		if w.clock.wait(ctx, d.Time.Add(webhookTimeout), webhookTimeout) {
			cancel(errNoAnswer)
		}
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, n.url, bytes.NewReader(n.body))
	if err != nil {
		d.Error = err.Error()
		return d
	}
	req.Header.Set("Content-Type", "application/json")
	if d.RequestID != "" {
		req.Header.Set("x-request-id", d.RequestID)
	}
	req.Header.Set("x-signature", d.Signature)
	req.Header.Set("User-Agent", "MercadoPago WebHook v1.0 "+n.topic()+" (fake)")
	resp, err := w.client.Do(req)
	d.Duration = time.Since(start)
	if err != nil {
		if cause := context.Cause(ctx); errors.Is(cause, errNoAnswer) {
			err = cause
		}
		d.Error = err.Error()
		return d
	}
	defer func() { _ = resp.Body.Close() }()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxReceiverBody))
	d.StatusCode = resp.StatusCode
	d.Answer = string(answer)
	return d
}

// errNoAnswer ends an attempt the receiver did not answer in time.
var errNoAnswer = fmt.Errorf("no answer within %s", webhookTimeout)
