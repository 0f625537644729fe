package api_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/comanda/comanda/services/auth"
	"github.com/comanda/comanda/services/catalog"
	"github.com/comanda/comanda/services/order"
	"github.com/comanda/comanda/services/payment"
	"github.com/comanda/comanda/services/platform/money"
	"github.com/comanda/comanda/services/production"
	"github.com/comanda/comanda/services/topology"
)

// pointer reads the value at a JSON pointer of the spec, "" for the root.
func pointer(t *testing.T, doc any, ptr string) any {
	t.Helper()
	v := doc
	for _, tok := range strings.Split(ptr, "/")[1:] {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s: %q is not inside an object", ptr, tok)
		}
		if v, ok = m[strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)]; !ok {
			t.Fatalf("%s: no %q", ptr, tok)
		}
	}
	return v
}

func specTree(t *testing.T, doc *openapi3.T) any {
	t.Helper()
	raw, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		t.Fatal(err)
	}
	return tree
}

// The spec's bounds are the services' own constants, so that changing one
// without the other fails here.
func TestBoundsAreTheServices(t *testing.T) {
	t.Parallel()
	doc := loadSpec(t)
	tree := specTree(t, doc)
	const s = "/components/schemas/"
	maxPrice := money.Max.Reais()
	numbers := map[string]float64{
		s + "PersonName/maxLength":                                                 auth.MaxNameLength,
		s + "Customer/properties/name/maxLength":                                   auth.MaxNameLength,
		s + "RegisterCustomerRequest/properties/email/maxLength":                   auth.MaxEmailLength,
		s + "Customer/properties/email/maxLength":                                  auth.MaxEmailLength,
		s + "EmployeeTokenRequest/properties/email/maxLength":                      auth.MaxEmailLength,
		s + "EmployeeTokenRequest/properties/password/maxLength":                   auth.MaxPasswordBytes,
		s + "ProductRequest/properties/name/maxLength":                             catalog.MaxNameLength,
		s + "ProductRequest/properties/description/maxLength":                      catalog.MaxDescriptionLength,
		s + "ProductRequest/properties/image_url/maxLength":                        catalog.MaxImageURLLength,
		s + "ProductRequest/properties/preparation_time/minimum":                   catalog.MinPreparationTime,
		s + "ProductRequest/properties/preparation_time/maximum":                   catalog.MaxPreparationTime,
		s + "ProductRequest/properties/price/maximum":                              maxPrice,
		s + "Product/properties/name/maxLength":                                    catalog.MaxNameLength,
		s + "Product/properties/description/maxLength":                             catalog.MaxDescriptionLength,
		s + "Product/properties/image_url/maxLength":                               catalog.MaxImageURLLength,
		s + "Product/properties/preparation_time/minimum":                          catalog.MinPreparationTime,
		s + "Product/properties/preparation_time/maximum":                          catalog.MaxPreparationTime,
		s + "Product/properties/price/maximum":                                     maxPrice,
		s + "PlaceOrderRequest/properties/items/maxItems":                          order.MaxLines,
		s + "PlaceOrderRequest/properties/items/items/properties/quantity/maximum": order.MaxQuantity,
		s + "Order/properties/items/maxItems":                                      order.MaxLines,
		s + "Order/properties/items/items/properties/quantity/maximum":             order.MaxQuantity,
		s + "Order/properties/items/items/properties/unit_price/maximum":           maxPrice,
		s + "Order/properties/items/items/properties/subtotal/maximum":             order.MaxQuantity * maxPrice,
		s + "Order/properties/total/maximum":                                       order.MaxLines * order.MaxQuantity * maxPrice,
		s + "Order/properties/history/maxItems":                                    float64(len(order.Statuses())),
		s + "Payment/properties/amount/maximum":                                    order.MaxLines * order.MaxQuantity * maxPrice,
	}
	for ptr, want := range numbers {
		if got, ok := pointer(t, tree, ptr).(float64); !ok || got != want {
			t.Errorf("%s = %v, want %v", ptr, pointer(t, tree, ptr), want)
		}
	}

	params := []struct {
		path, method, name string
		bound              func(*openapi3.Schema) any
		want               any
	}{
		{"/products", "GET", "ids", func(s *openapi3.Schema) any { return *s.MaxItems }, uint64(catalog.MaxBatchIDs)},
		{"/order", "GET", "limit", func(s *openapi3.Schema) any { return *s.Max }, float64(order.MaxListLimit)},
		{"/order", "GET", "limit", func(s *openapi3.Schema) any { return s.Default }, float64(order.DefaultListLimit)},
	}
	for _, p := range params {
		param := doc.Paths.Find(p.path).GetOperation(p.method).Parameters.GetByInAndName("query", p.name)
		if got := p.bound(param.Schema.Value); got != p.want {
			t.Errorf("%s %s ?%s: %v, want %v", p.method, p.path, p.name, got, p.want)
		}
	}
	lists := map[string]float64{
		"/paths/~1order/get/responses/200/content/application~1json/schema/maxItems":      order.MaxListLimit,
		"/paths/~1production/get/responses/200/content/application~1json/schema/maxItems": production.MaxListed,
	}
	for ptr, want := range lists {
		if got := pointer(t, tree, ptr); got != want {
			t.Errorf("%s = %v, want %v", ptr, got, want)
		}
	}
}

// The spec's enums are the services' own lists.
func TestEnumsAreTheServices(t *testing.T) {
	t.Parallel()
	tree := specTree(t, loadSpec(t))
	const s = "/components/schemas/"
	top, err := topology.Load()
	if err != nil {
		t.Fatal(err)
	}
	enums := map[string][]string{
		s + "OrderStatus/enum":                    strs(order.Statuses()),
		s + "PaymentStatus/enum":                  strs([]payment.Status{payment.StatusPending, payment.StatusApproved, payment.StatusRejected, payment.StatusCancelled}),
		s + "KitchenStatus/enum":                  strs([]production.Status{production.StatusReceived, production.StatusInPreparation, production.StatusCompleted}),
		s + "Payment/properties/provider/enum":    {payment.ProviderName},
		s + "Health/properties/services/required": top.Services,
	}
	for ptr, want := range enums {
		var got []string
		for _, v := range pointer(t, tree, ptr).([]any) {
			got = append(got, v.(string))
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s = %v, want %v", ptr, got, want)
		}
	}
	orderPayment := []string{order.PaymentPending, order.PaymentApproved, order.PaymentRejected, order.PaymentCancelled}
	if want := enums[s+"PaymentStatus/enum"]; !slices.Equal(orderPayment, want) {
		t.Errorf("the order service knows payment statuses %v, the payment service %v", orderPayment, want)
	}
}

func strs[S ~string](values []S) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}
