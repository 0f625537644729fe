package mercadopago

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
)

// defaultExpiry is how long a PIX code lives when the request sets no
// date_of_expiration.
const defaultExpiry = 30 * time.Minute

// collectorID is the seller account every payment belongs to; webhooks
// carry it as user_id.
const collectorID int64 = 2001234567

// createRequest is the part of a payment creation the fake reads; the SDK
// may send more, which is ignored.
type createRequest struct {
	TransactionAmount *float64       `json:"transaction_amount"`
	PaymentMethodID   string         `json:"payment_method_id"`
	Payer             *Payer         `json:"payer"`
	Description       string         `json:"description"`
	ExternalReference string         `json:"external_reference"`
	NotificationURL   string         `json:"notification_url"`
	DateOfExpiration  *Timestamp     `json:"date_of_expiration"`
	Metadata          map[string]any `json:"metadata"`
}

// validate returns the error Mercado Pago would answer, or nil.
func (r createRequest) validate(now time.Time) *apiError {
	var e apiError
	switch {
	case r.TransactionAmount == nil || *r.TransactionAmount <= 0:
		e = badRequest(4037, "Invalid transaction_amount")
	case r.PaymentMethodID == "":
		e = badRequest(4023, "payment_method_id attribute can't be null")
	case r.PaymentMethodID != "pix":
		e = badRequest(4003, fmt.Sprintf("payment_method_id %q is not supported: this fake only takes pix", r.PaymentMethodID))
	case r.Payer == nil || !strings.Contains(r.Payer.Email, "@"):
		e = badRequest(4050, "payer.email must be a valid email")
	case r.NotificationURL != "" && !isWebURL(r.NotificationURL):
		// The typo is Mercado Pago's own.
		e = badRequest(4020, "notificaction_url attribute must be url valid")
	case r.DateOfExpiration != nil && !r.DateOfExpiration.After(now):
		e = badRequest(4026, "date_of_expiration must be a future date")
	default:
		return nil
	}
	return &e
}

// build turns a valid request into a new pending payment.
func (r createRequest) build(id int64, now time.Time, baseURL string, qr *qrPainter) Payment {
	expiry := now.Add(defaultExpiry)
	if r.DateOfExpiration != nil {
		expiry = r.DateOfExpiration.Time
	}
	amount := *r.TransactionAmount
	code := pixCode(id, amount)
	return Payment{
		ID:                id,
		DateCreated:       newTimestamp(now),
		DateLastUpdated:   newTimestamp(now),
		DateOfExpiration:  newTimestamp(expiry),
		OperationType:     "regular_payment",
		PaymentMethodID:   "pix",
		PaymentTypeID:     "bank_transfer",
		Status:            StatusPending,
		StatusDetail:      DetailWaitingTransfer,
		CurrencyID:        "BRL",
		Description:       r.Description,
		CollectorID:       collectorID,
		Payer:             *r.Payer,
		Metadata:          snakeCaseKeys(r.Metadata),
		ExternalReference: r.ExternalReference,
		TransactionAmount: amount,
		TransactionDetails: TransactionDetails{
			TotalPaidAmount: amount,
		},
		Installments:    1,
		Captured:        true,
		NotificationURL: r.NotificationURL,
		PointOfInteraction: PointOfInteraction{
			Type: "OPENPLATFORM",
			TransactionData: TransactionData{
				QRCode:       code,
				QRCodeBase64: qr.base64(code),
				TicketURL:    fmt.Sprintf("%s/pix/%d", baseURL, id),
			},
		},
	}
}

func isWebURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// snakeCaseKeys renames metadata keys the way Mercado Pago stores them:
// "orderId" comes back as "order_id".
func snakeCaseKeys(in map[string]any) map[string]any {
	out := make(map[string]any, len(in))
	for k, v := range in {
		var b strings.Builder
		for i, r := range k {
			if unicode.IsUpper(r) {
				if i > 0 {
					b.WriteByte('_')
				}
				r = unicode.ToLower(r)
			}
			b.WriteRune(r)
		}
		out[b.String()] = v
	}
	return out
}

// fingerprint identifies a request body for idempotency regardless of key
// order and white space.
func fingerprint(body []byte) (string, error) {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return "", fmt.Errorf("fingerprint body: %w", err)
	}
	canonical, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("fingerprint body: %w", err)
	}
	sum := sha256.Sum256(canonical)
	return hex.EncodeToString(sum[:]), nil
}
