package mercadopago

import "maps"

// Payment statuses and details the fake produces, as Mercado Pago spells them.
const (
	StatusPending   = "pending"
	StatusApproved  = "approved"
	StatusRejected  = "rejected"
	StatusCancelled = "cancelled"
	StatusRefunded  = "refunded"

	StatusInProcess   = "in_process"
	StatusAuthorized  = "authorized"
	StatusInMediation = "in_mediation"
	StatusChargedBack = "charged_back"

	DetailWaitingTransfer = "pending_waiting_transfer"
	DetailAccredited      = "accredited"
	DetailRejectedByBank  = "rejected_by_bank"
	DetailExpired         = "expired"
	DetailByCollector     = "by_collector"
	DetailRefunded        = "refunded"

	DetailPartiallyRefunded   = "partially_refunded" // approved, part of the money given back
	DetailPendingReviewManual = "pending_review_manual"
	DetailPendingCapture      = "pending_capture"
	DetailInMediation         = "in_mediation" // the fake's choice: Mercado Pago documents none
	DetailSettled             = "settled"
)

// RejectionDetails are the reasons Mercado Pago gives for refusing a PIX
// payment; the first is the one reject uses unless told otherwise.
func RejectionDetails() []string {
	return []string{DetailRejectedByBank, "rejected_insufficient_data", "rejected_high_risk", "rejected_by_regulations"}
}

// Payment is the JSON object the Payments API returns for a PIX payment.
// Fields the fake has no use for are left out; the SDK leaves them zero.
type Payment struct {
	ID                        int64              `json:"id"`
	DateCreated               Timestamp          `json:"date_created"`
	DateApproved              Timestamp          `json:"date_approved"`
	DateLastUpdated           Timestamp          `json:"date_last_updated"`
	DateOfExpiration          Timestamp          `json:"date_of_expiration"`
	MoneyReleaseDate          Timestamp          `json:"money_release_date"`
	OperationType             string             `json:"operation_type"`
	PaymentMethodID           string             `json:"payment_method_id"`
	PaymentTypeID             string             `json:"payment_type_id"`
	Status                    string             `json:"status"`
	StatusDetail              string             `json:"status_detail"`
	CurrencyID                string             `json:"currency_id"`
	Description               string             `json:"description"`
	LiveMode                  bool               `json:"live_mode"`
	CollectorID               int64              `json:"collector_id"`
	Payer                     Payer              `json:"payer"`
	Metadata                  map[string]any     `json:"metadata"`
	ExternalReference         string             `json:"external_reference"`
	TransactionAmount         float64            `json:"transaction_amount"`
	TransactionAmountRefunded float64            `json:"transaction_amount_refunded"`
	Refunds                   []Refund           `json:"refunds"` // oldest first; [] when none
	TransactionDetails        TransactionDetails `json:"transaction_details"`
	Installments              int                `json:"installments"`
	Captured                  bool               `json:"captured"`
	BinaryMode                bool               `json:"binary_mode"`
	NotificationURL           string             `json:"notification_url"`
	PointOfInteraction        PointOfInteraction `json:"point_of_interaction"`
}

// Payer is the payer as sent on creation.
type Payer struct {
	Email          string         `json:"email"`
	FirstName      string         `json:"first_name,omitempty"`
	LastName       string         `json:"last_name,omitempty"`
	Identification Identification `json:"identification,omitzero"`
}

// Identification is a payer's document, e.g. {"type":"CPF","number":"…"}.
type Identification struct {
	Type   string `json:"type,omitempty"`
	Number string `json:"number,omitempty"`
}

// TransactionDetails carries the money figures of a payment.
type TransactionDetails struct {
	NetReceivedAmount float64 `json:"net_received_amount"`
	TotalPaidAmount   float64 `json:"total_paid_amount"`
	OverpaidAmount    float64 `json:"overpaid_amount"`
	InstallmentAmount float64 `json:"installment_amount"`
}

// PointOfInteraction holds what the buyer needs to pay.
type PointOfInteraction struct {
	Type            string          `json:"type"`
	TransactionData TransactionData `json:"transaction_data"`
}

// TransactionData is the PIX copy-and-paste code, its QR image and the
// page that shows both.
type TransactionData struct {
	QRCode       string `json:"qr_code"`
	QRCodeBase64 string `json:"qr_code_base64"`
	TicketURL    string `json:"ticket_url"`
}

// clone returns a copy that shares nothing mutable with p at the top level.
// Its refunds are never nil, so that they read [] as Mercado Pago's do.
func (p Payment) clone() Payment {
	p.Metadata = maps.Clone(p.Metadata)
	p.Refunds = append([]Refund{}, p.Refunds...)
	return p
}
