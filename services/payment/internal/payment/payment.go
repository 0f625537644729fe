package payment

import (
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/services/platform/money"
	"github.com/comanda/comanda/services/platform/telemetry"
)

// Status is where a payment stands. PENDING is the only state that moves;
// the three others are final.
type Status string

// Payment statuses.
const (
	StatusPending   Status = "PENDING"
	StatusApproved  Status = "APPROVED"
	StatusRejected  Status = "REJECTED"
	StatusCancelled Status = "CANCELLED"
)

// Final reports whether s can never change again.
func (s Status) Final() bool {
	return s == StatusApproved || s == StatusRejected || s == StatusCancelled
}

// CanAdvance reports whether a record in from may move to to: only from
// PENDING to a final state, so a state never goes backwards.
func CanAdvance(from, to Status) bool { return from == StatusPending && to.Final() }

// ProviderName is the only payment provider.
const ProviderName = "mercadopago"

// Payment is one order's payment.
type Payment struct {
	ID                string
	OrderID           string
	CustomerID        string
	Status            Status
	Amount            money.Cents
	ProviderPaymentID int64
	QRCode            string
	QRCodeBase64      string
	TicketURL         string
	ExpiresAt         time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
	// CorrelationID is the flow the order started; events about this
	// payment carry it, even those a webhook triggers.
	CorrelationID string
	// FailureReason says why a payment that could never be created was
	// given up (it then has no Mercado Pago payment).
	FailureReason string
	// Reversal is what Mercado Pago reported of an APPROVED payment's
	// money going back (refunded, charged_back, in_mediation); "" if nothing.
	Reversal string
	// Trace is the trace of the order's flow when the payment was made:
	// what a webhook causes continues it (see settle).
	Trace telemetry.Carried
}

// OwnedBy reports whether the customer with id subject may see p.
func (p Payment) OwnedBy(subject string) bool { return p.CustomerID == subject }

// IDForOrder is the id of orderID's payment. It is a name-based (SHA-1)
// UUID in a namespace of our own, so every delivery of a payment request
// for the same order computes the same id. orderID must be canonical.
func IDForOrder(orderID string) string {
	return uuid.NewSHA1(paymentNamespace(), []byte(orderID)).String()
}

// IdempotencyKey is the X-Idempotency-Key of the Mercado Pago creation for
// orderID: the payment id, so a retried creation returns the first payment.
func IdempotencyKey(orderID string) string { return IDForOrder(orderID) }

// paymentNamespace is the fixed namespace of payment ids,
// 8c1f4e62-3a9d-4b57-9e0a-5d2c71b346e8. Changing it would
// give every order a second payment id: never change it.
func paymentNamespace() uuid.UUID {
	return uuid.UUID{0x8c, 0x1f, 0x4e, 0x62, 0x3a, 0x9d, 0x4b, 0x57, 0x9e, 0x0a, 0x5d, 0x2c, 0x71, 0xb3, 0x46, 0xe8}
}
