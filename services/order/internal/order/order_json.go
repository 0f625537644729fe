package order

import (
	"time"

	"github.com/comanda/comanda/services/platform/money"
)

// orderJSON is the order as the API shows it.
type orderJSON struct {
	ID       string        `json:"id"`
	Customer customerJSON  `json:"customer"`
	Status   Status        `json:"status"`
	Total    money.Cents   `json:"total"`
	Items    []itemJSON    `json:"items"`
	Payment  *paymentJSON  `json:"payment"`
	History  []historyJSON `json:"history"`
	// CancellationReason is set on a CANCELLED order only.
	CancellationReason string    `json:"cancellation_reason,omitempty"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
}

type customerJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type itemJSON struct {
	ProductID string      `json:"product_id"`
	Name      string      `json:"name"`
	UnitPrice money.Cents `json:"unit_price"`
	Quantity  int         `json:"quantity"`
	Subtotal  money.Cents `json:"subtotal"`
}

type paymentJSON struct {
	ID           string     `json:"id"`
	Status       string     `json:"status"`
	QRCode       string     `json:"qr_code"`
	QRCodeBase64 string     `json:"qr_code_base64"`
	TicketURL    string     `json:"ticket_url"`
	ExpiresAt    *time.Time `json:"expires_at"`
}

type historyJSON struct {
	Status Status    `json:"status"`
	At     time.Time `json:"at"`
}

func toJSON(o Order) orderJSON {
	out := orderJSON{
		ID: o.ID, Customer: customerJSON(o.Customer), Status: o.Status, Total: o.Total,
		Items: make([]itemJSON, len(o.Items)), History: make([]historyJSON, len(o.History)),
		CancellationReason: o.CancellationReason, CreatedAt: o.CreatedAt.UTC(), UpdatedAt: o.UpdatedAt.UTC(),
	}
	for i, it := range o.Items {
		out.Items[i] = itemJSON{ProductID: it.ProductID, Name: it.Name, UnitPrice: it.UnitPrice, Quantity: it.Quantity, Subtotal: it.Subtotal()}
	}
	for i, h := range o.History {
		out.History[i] = historyJSON{Status: h.Status, At: h.At.UTC()}
	}
	if p := o.Payment; p != nil {
		pj := paymentJSON(*p)
		out.Payment = &pj
	}
	return out
}

func toJSONList(orders []Order) []orderJSON {
	out := make([]orderJSON, len(orders))
	for i, o := range orders {
		out[i] = toJSON(o)
	}
	return out
}
