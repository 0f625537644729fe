package payment

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/mercadopago/sdk-go/pkg/config"
	"github.com/mercadopago/sdk-go/pkg/mperror"
	mppayment "github.com/mercadopago/sdk-go/pkg/payment"

	"github.com/comanda/comanda/services/platform/money"
)

// Errors of the Mercado Pago client.
var (
	// ErrProviderNotFound: Mercado Pago has no such payment.
	ErrProviderNotFound = errors.New("mercado pago: payment not found")
	// ErrProviderRejected: Mercado Pago refused the request as invalid (400,
	// 422); sending it again cannot help.
	ErrProviderRejected = errors.New("mercado pago: request rejected")
	// ErrIdempotencyConflict: the idempotency key was used before with a
	// different body (409).
	ErrIdempotencyConflict = errors.New("mercado pago: idempotency key used with another body")
)

// PixRequest is a PIX payment to create.
type PixRequest struct {
	IdempotencyKey    string
	Amount            money.Cents
	PayerEmail        string
	Description       string
	ExternalReference string
	NotificationURL   string
	ExpiresAt         time.Time
	Metadata          map[string]any
}

// ProviderPayment is what we use of a Mercado Pago payment.
type ProviderPayment struct {
	ID                int64
	Status            string
	StatusDetail      string
	ExternalReference string
	Amount            money.Cents
	Currency          string // ISO 4217, as Mercado Pago's currency_id
	QRCode            string
	QRCodeBase64      string
	TicketURL         string
	ExpiresAt         time.Time
}

// MercadoPago talks to the Payments API through the official SDK.
type MercadoPago struct {
	payments mppayment.Client
}

// NewMercadoPago builds the SDK client with our requester.
func NewMercadoPago(cfg MercadoPagoConfig, log *slog.Logger) (*MercadoPago, error) {
	req, err := newRequester(cfg, log)
	if err != nil {
		return nil, err
	}
	sdk, err := config.New(cfg.AccessToken, config.WithHTTPClient(req))
	if err != nil {
		return nil, fmt.Errorf("mercado pago sdk: %w", err)
	}
	return &MercadoPago{payments: mppayment.NewClient(sdk)}, nil
}

// CreatePix creates a PIX payment, idempotently by r.IdempotencyKey.
func (m *MercadoPago) CreatePix(ctx context.Context, r PixRequest) (ProviderPayment, error) {
	expires := r.ExpiresAt.UTC()
	resp, err := m.payments.Create(withIdempotencyKey(ctx, r.IdempotencyKey), mppayment.Request{
		TransactionAmount: r.Amount.Reais(),
		PaymentMethodID:   "pix",
		Payer:             &mppayment.PayerRequest{Email: r.PayerEmail},
		Description:       r.Description,
		ExternalReference: r.ExternalReference,
		NotificationURL:   r.NotificationURL,
		DateOfExpiration:  &expires,
		Metadata:          r.Metadata,
	})
	if err != nil {
		return ProviderPayment{}, classify("create pix payment for "+r.ExternalReference, err)
	}
	return fromSDK(resp), nil
}

// Payment reads a payment in its current state.
func (m *MercadoPago) Payment(ctx context.Context, id int64) (ProviderPayment, error) {
	resp, err := m.payments.Get(ctx, int(id))
	if err != nil {
		return ProviderPayment{}, classify(fmt.Sprintf("read payment %d", id), err)
	}
	return fromSDK(resp), nil
}

// FindByReference returns the newest payment whose external_reference is
// ref, or ErrProviderNotFound.
func (m *MercadoPago) FindByReference(ctx context.Context, ref string) (ProviderPayment, error) {
	resp, err := m.payments.Search(ctx, mppayment.SearchRequest{Limit: 1, Filters: map[string]string{
		"external_reference": ref, "sort": "date_created", "criteria": "desc",
	}})
	if err != nil {
		return ProviderPayment{}, classify("search payments of "+ref, err)
	}
	if resp == nil || len(resp.Results) == 0 {
		return ProviderPayment{}, fmt.Errorf("search payments of %s: %w", ref, ErrProviderNotFound)
	}
	return fromSDK(&resp.Results[0]), nil
}

func fromSDK(r *mppayment.Response) ProviderPayment {
	td := r.PointOfInteraction.TransactionData
	return ProviderPayment{
		ID: int64(r.ID), Status: r.Status, StatusDetail: r.StatusDetail,
		ExternalReference: r.ExternalReference, Amount: money.FromReais(r.TransactionAmount), Currency: r.CurrencyID,
		QRCode: td.QRCode, QRCodeBase64: td.QRCodeBase64, TicketURL: td.TicketURL,
		ExpiresAt: r.DateOfExpiration.UTC(),
	}
}

// classify wraps an SDK error with the sentinel its status calls for.
// The SDK's error message is Mercado Pago's answer body; it never holds
// our credentials.
func classify(what string, err error) error {
	var resp *mperror.ResponseError
	if !errors.As(err, &resp) {
		return fmt.Errorf("mercado pago: %s: %w", what, err)
	}
	switch resp.StatusCode {
	case http.StatusNotFound:
		return fmt.Errorf("%s: %w", what, ErrProviderNotFound)
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return fmt.Errorf("%s: %w: %s", what, ErrProviderRejected, resp.Message)
	case http.StatusConflict:
		return fmt.Errorf("%s: %w: %s", what, ErrIdempotencyConflict, resp.Message)
	default:
		return fmt.Errorf("mercado pago: %s: status %d: %s", what, resp.StatusCode, resp.Message)
	}
}
