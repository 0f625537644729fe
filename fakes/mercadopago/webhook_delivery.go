package mercadopago

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"
)

// maxReceiverBody is how much of a receiver's answer is read, so that the
// connection can be reused.
const maxReceiverBody = 64 << 10

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
	Duration       time.Duration   `json:"duration_ns"`
	Time           time.Time       `json:"time"`
	Body           json.RawMessage `json:"body"`
	// Fault names what a test asked to go wrong with this delivery
	// (bad_signature, delayed 2s, first_again, out_of_order), if anything.
	Fault string `json:"fault,omitempty"`
}

// OK reports whether the receiver accepted the webhook (answered 2xx).
func (d Delivery) OK() bool { return d.Error == "" && d.StatusCode >= 200 && d.StatusCode < 300 }

// attempt posts n once, freshly signed. The signature's ts is the wall
// clock, not the fake's, because receivers compare it with their own.
func (w *webhookSender) attempt(ctx context.Context, n notification, number int, opts sendOptions) Delivery {
	start := time.Now()
	d := Delivery{
		PaymentID:      n.paymentID,
		NotificationID: n.id,
		Attempt:        number,
		URL:            n.url,
		Action:         n.action,
		RequestID:      uuid.NewString(),
		Time:           start,
		Body:           n.body,
		Fault:          opts.fault,
	}
	secret := w.secret
	if opts.secret != "" {
		secret = opts.secret
	}
	ts := strconv.FormatInt(start.Unix(), 10)
	d.Signature = signatureHeader(secret, strconv.FormatInt(n.paymentID, 10), d.RequestID, ts)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, n.url, bytes.NewReader(n.body))
	if err != nil {
		d.Error = err.Error()
		return d
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-request-id", d.RequestID)
	req.Header.Set("x-signature", d.Signature)
	req.Header.Set("User-Agent", "MercadoPago WebHook v1.0 payment (fake)")
	resp, err := w.client.Do(req)
	d.Duration = time.Since(start)
	if err != nil {
		d.Error = err.Error()
		return d
	}
	defer func() { _ = resp.Body.Close() }()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxReceiverBody))
	d.StatusCode = resp.StatusCode
	return d
}
