package production

import (
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/ids"
	"github.com/comanda/comanda/services/platform/telemetry"
)

// Status is where a kitchen record stands.
type Status string

// Statuses, in the order a record goes through them.
const (
	StatusReceived      Status = "RECEIVED"
	StatusInPreparation Status = "IN_PREPARATION"
	StatusCompleted     Status = "COMPLETED"
)

// ParseStatus accepts exactly one of the three statuses.
func ParseStatus(s string) (Status, error) {
	switch st := Status(s); st {
	case StatusReceived, StatusInPreparation, StatusCompleted:
		return st, nil
	default:
		return "", fmt.Errorf("%w %q: want RECEIVED, IN_PREPARATION or COMPLETED", ErrUnknownStatus, s)
	}
}

// Item is one line the kitchen has to prepare.
type Item struct {
	Name     string `json:"name" dynamodbav:"name"`
	Quantity int    `json:"quantity" dynamodbav:"quantity"`
}

// Record is the kitchen's view of one paid order.
type Record struct {
	ID           string    `json:"id"`
	OrderID      string    `json:"order_id"`
	Status       Status    `json:"status"`
	CustomerName string    `json:"customer_name"`
	Items        []Item    `json:"items"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	// Trace is the trace of the order's flow when the order reached the
	// kitchen: its moves, made by employees' requests, continue it.
	Trace telemetry.Carried `json:"-"`
}

// recordNamespace makes kitchen ids from order ids (UUID v5), so that the
// same order always maps to the same record: one kitchen record per order.
var recordNamespace = uuid.MustParse("5f0c6a58-8d1e-4f55-9c34-0b7d0b8e2a11")

// RecordID is the kitchen record id of an order.
func RecordID(orderID string) string {
	return uuid.NewSHA1(recordNamespace, []byte(orderID)).String()
}

// NewRecord builds the RECEIVED record of a paid order, or says why the
// payload can never make one.
func NewRecord(p events.OrderPaidPayload, now time.Time) (Record, error) {
	orderID, err := ids.Parse(p.OrderID)
	if err != nil {
		return Record{}, fmt.Errorf("order_id %q is not a UUID", p.OrderID)
	}
	if len(p.Items) == 0 {
		return Record{}, fmt.Errorf("order %s has no items", p.OrderID)
	}
	items := make([]Item, 0, len(p.Items))
	for i, it := range p.Items {
		if it.Name == "" || it.Quantity < 1 {
			return Record{}, fmt.Errorf("order %s item %d needs a name and a positive quantity", p.OrderID, i)
		}
		items = append(items, Item{Name: it.Name, Quantity: it.Quantity})
	}
	now = now.UTC().Truncate(time.Microsecond)
	return Record{
		ID:           RecordID(orderID),
		OrderID:      orderID,
		Status:       StatusReceived,
		CustomerName: p.CustomerName,
		Items:        items,
		CreatedAt:    now,
		UpdatedAt:    now,
	}, nil
}
