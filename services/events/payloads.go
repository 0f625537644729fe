package events

import "time"

// OrderItem is one line of an order as the other services see it.
type OrderItem struct {
	ProductID      string `json:"product_id"`
	Name           string `json:"name"`
	Quantity       int    `json:"quantity"`
	UnitPriceCents int64  `json:"unit_price_cents"`
}

// OrderPaymentRequestedPayload asks the payment service to charge an order.
type OrderPaymentRequestedPayload struct {
	OrderID      string      `json:"order_id"`
	CustomerID   string      `json:"customer_id"`
	CustomerName string      `json:"customer_name"`
	AmountCents  int64       `json:"amount_cents"`
	Items        []OrderItem `json:"items"`
}

// PaymentPayload is the payment as it stands, carried by payment-created,
// payment-completed and payment-failed events alike, so that the order
// service can catch up from any one of them even when they arrive out of order.
// Status is PENDING, APPROVED, REJECTED or CANCELLED.
type PaymentPayload struct {
	PaymentID         string    `json:"payment_id"`
	OrderID           string    `json:"order_id"`
	Status            string    `json:"status"`
	AmountCents       int64     `json:"amount_cents"`
	ProviderPaymentID int64     `json:"provider_payment_id"`
	QRCode            string    `json:"qr_code"`
	QRCodeBase64      string    `json:"qr_code_base64"`
	TicketURL         string    `json:"ticket_url"`
	ExpiresAt         time.Time `json:"expires_at"`
	Reason            string    `json:"reason,omitempty"`
}

// OrderPaidPayload sends a paid order to the kitchen.
type OrderPaidPayload struct {
	OrderID      string      `json:"order_id"`
	CustomerID   string      `json:"customer_id"`
	CustomerName string      `json:"customer_name"`
	Items        []OrderItem `json:"items"`
	PaidAt       time.Time   `json:"paid_at"`
}

// ProductionPayload reports kitchen progress on an order
// (production-started-event, production-completed-event).
type ProductionPayload struct {
	ProductionID string    `json:"production_id"`
	OrderID      string    `json:"order_id"`
	Status       string    `json:"status"`
	At           time.Time `json:"at"`
}
