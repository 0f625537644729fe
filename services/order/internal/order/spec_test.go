package order

import (
	"net/http"
	"slices"
	"testing"

	"github.com/comanda/comanda/api/apitest"
	"github.com/comanda/comanda/services/platform/money"
)

// The spec's bounds on orders are this service's own, so that changing one
// without the other fails here. A payment's amount is an order's total, so
// its bound is this service's too.
func TestSpecBoundsAreTheService(t *testing.T) {
	t.Parallel()
	doc := apitest.LoadSpec(t)
	tree := apitest.NewTree(t, doc)
	const s = "/components/schemas/"
	maxPrice := money.Max.Reais()
	maxTotal := MaxLines * MaxQuantity * maxPrice
	bounds := map[string]float64{
		s + "PlaceOrderRequest/properties/items/maxItems":                            MaxLines,
		s + "PlaceOrderRequest/properties/items/items/properties/quantity/maximum":   MaxQuantity,
		s + "Order/properties/items/maxItems":                                        MaxLines,
		s + "Order/properties/items/items/properties/quantity/maximum":               MaxQuantity,
		s + "Order/properties/items/items/properties/unit_price/maximum":             maxPrice,
		s + "Order/properties/items/items/properties/subtotal/maximum":               MaxQuantity * maxPrice,
		s + "Order/properties/total/maximum":                                         maxTotal,
		s + "Order/properties/history/maxItems":                                      float64(len(Statuses())),
		s + "Payment/properties/amount/maximum":                                      maxTotal,
		"/paths/~1order/get/responses/200/content/application~1json/schema/maxItems": MaxListLimit,
	}
	for ptr, want := range bounds {
		if got := tree.Number(t, ptr); got != want {
			t.Errorf("%s = %v, want %v", ptr, got, want)
		}
	}
	limit := apitest.QueryParam(t, doc, http.MethodGet, "/order", "limit")
	switch {
	case limit.Max == nil:
		t.Errorf("GET /order ?limit: no maximum, want %d", MaxListLimit)
	case *limit.Max != MaxListLimit:
		t.Errorf("GET /order ?limit: maximum %v, want %d", *limit.Max, MaxListLimit)
	}
	if limit.Default != float64(DefaultListLimit) {
		t.Errorf("GET /order ?limit: default %v, want %d", limit.Default, DefaultListLimit)
	}
}

// The spec's order statuses are this service's, and the payment statuses
// it knows are the spec's (the payment service holds its own to the same
// enum, so the two services agree).
func TestSpecEnumsAreTheService(t *testing.T) {
	t.Parallel()
	tree := apitest.NewTree(t, apitest.LoadSpec(t))
	const s = "/components/schemas/"
	enums := map[string][]string{
		s + "OrderStatus/enum":   apitest.StringsOf(Statuses()...),
		s + "PaymentStatus/enum": {PaymentPending, PaymentApproved, PaymentRejected, PaymentCancelled},
	}
	for ptr, want := range enums {
		if got := tree.Strings(t, ptr); !slices.Equal(got, want) {
			t.Errorf("%s = %v, want %v", ptr, got, want)
		}
	}
}
