package order

import (
	"fmt"

	"github.com/comanda/comanda/services/platform/ids"
)

// Limits on one order.
const (
	MaxLines    = 50
	MaxQuantity = 20
)

// PlaceRequest is the body of POST /order.
type PlaceRequest struct {
	Items []LineRequest `json:"items"`
}

// LineRequest is one line of PlaceRequest.
type LineRequest struct {
	ProductID string `json:"product_id"`
	Quantity  int    `json:"quantity"`
}

// Line is a validated order line.
type Line struct {
	ProductID string // canonical lower-case UUID
	Quantity  int
}

// Lines validates the request. Lines are kept as the customer sent them: two
// lines of the same product stay two lines, each within MaxQuantity, so the
// order reads back exactly as placed and no merge can push a line over the
// limit the customer was told about.
func (r PlaceRequest) Lines() ([]Line, error) {
	if len(r.Items) == 0 || len(r.Items) > MaxLines {
		return nil, invalid("items", "between 1 and %d lines are required, got %d", MaxLines, len(r.Items))
	}
	lines := make([]Line, 0, len(r.Items))
	for i, it := range r.Items {
		field := fmt.Sprintf("items[%d]", i)
		id, err := ids.Parse(it.ProductID)
		if err != nil {
			return nil, invalid(field+".product_id", "must be a UUID")
		}
		if it.Quantity < 1 || it.Quantity > MaxQuantity {
			return nil, invalid(field+".quantity", "must be between 1 and %d, got %d", MaxQuantity, it.Quantity)
		}
		lines = append(lines, Line{ProductID: id, Quantity: it.Quantity})
	}
	return lines, nil
}
