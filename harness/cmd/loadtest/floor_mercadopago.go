package main

// The floor's Mercado Pago client: the official SDK, as the payment service
// calls it, without its retries (a failed call fails the order).

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	mpconfig "github.com/mercadopago/sdk-go/pkg/config"
	mppayment "github.com/mercadopago/sdk-go/pkg/payment"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/money"
)

// floorMercadoPago creates PIX payments and reads them back.
type floorMercadoPago struct {
	payments  mppayment.Client
	transport *http.Transport
}

func newFloorMercadoPago(baseURL, accessToken string) (*floorMercadoPago, error) {
	base, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("mercado pago base URL: %w", err)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	req := &mpRequester{base: base, client: &http.Client{Timeout: 10 * time.Second, Transport: tr}}
	sdk, err := mpconfig.New(accessToken, mpconfig.WithHTTPClient(req))
	if err != nil {
		return nil, fmt.Errorf("mercado pago sdk: %w", err)
	}
	return &floorMercadoPago{payments: mppayment.NewClient(sdk), transport: tr}, nil
}

func (m *floorMercadoPago) close() { m.transport.CloseIdleConnections() }

// pixFor is the payment request the payment service makes for req: the
// same body on every delivery, keyed by the payment's id.
func pixFor(req events.OrderPaymentRequestedPayload, paymentID string, requestedAt time.Time) mppayment.Request {
	expires := requestedAt.Truncate(time.Second).Add(30 * time.Minute).UTC()
	return mppayment.Request{
		TransactionAmount: money.Cents(req.AmountCents).Reais(),
		PaymentMethodID:   "pix",
		Payer:             &mppayment.PayerRequest{Email: req.CustomerID + "@customers.comanda.local"},
		Description:       "Comanda order " + req.OrderID[:8],
		ExternalReference: req.OrderID,
		DateOfExpiration:  &expires,
		Metadata:          map[string]any{"order_id": req.OrderID, "payment_id": paymentID},
	}
}

// mpPayment is what the floor keeps of a Mercado Pago payment.
type mpPayment struct {
	ID                              int64
	QRCode, QRCodeBase64, TicketURL string
	ExpiresAt                       time.Time
}

// createPix creates r, idempotently by the payment id in its metadata.
func (m *floorMercadoPago) createPix(ctx context.Context, r mppayment.Request) (mpPayment, error) {
	key, _ := r.Metadata["payment_id"].(string)
	resp, err := m.payments.Create(context.WithValue(ctx, idempotencyKey{}, key), r)
	if err != nil {
		return mpPayment{}, fmt.Errorf("mercado pago: create pix payment for %s: %w", r.ExternalReference, err)
	}
	td := resp.PointOfInteraction.TransactionData
	p := mpPayment{ID: int64(resp.ID), QRCode: td.QRCode, QRCodeBase64: td.QRCodeBase64, TicketURL: td.TicketURL,
		ExpiresAt: resp.DateOfExpiration.UTC()}
	if p.ExpiresAt.IsZero() {
		p.ExpiresAt = r.DateOfExpiration.UTC()
	}
	return p, nil
}

// status reads payment id and returns its status.
func (m *floorMercadoPago) status(ctx context.Context, id int64) (string, error) {
	resp, err := m.payments.Get(ctx, int(id))
	if err != nil {
		return "", fmt.Errorf("mercado pago: read payment %d: %w", id, err)
	}
	return resp.Status, nil
}

type idempotencyKey struct{}

// mpRequester is the transport the SDK sends through: every request goes
// to the base URL (the fake), and a write carries the idempotency key its
// context holds in place of the SDK's random one.
type mpRequester struct {
	base   *url.URL
	client *http.Client
}

func (r *mpRequester) Do(req *http.Request) (*http.Response, error) {
	req.URL.Scheme, req.URL.Host, req.Host = r.base.Scheme, r.base.Host, ""
	req.URL.Path = strings.TrimSuffix(r.base.Path, "/") + req.URL.Path
	req.URL.RawPath = ""
	if req.Method == http.MethodGet {
		req.Header.Del("X-Idempotency-Key")
	} else {
		key, _ := req.Context().Value(idempotencyKey{}).(string)
		req.Header.Set("X-Idempotency-Key", key)
	}
	return r.client.Do(req)
}
