package features

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/comanda/comanda/harness/apiclient"
)

// TestBadInputGetsTheOneErrorShape sends malformed, oversized, forged and
// out-of-role requests to every route through the gateway, as any client
// could: each gets its documented status and {"error":{"code","message"}},
// never a 5xx.
func TestBadInputGetsTheOneErrorShape(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	api := apiclient.New(suite.GatewayURL)
	customer := tokenFor(t, api, map[string]string{})
	staff := tokenFor(t, api, map[string]string{"email": suite.EmployeeEmail, "password": suite.EmployeePassword})
	forged := customer[:len(customer)-4] + "AAAA"
	unknown := uuid.NewString()
	product := `{"name":"X","description":"","price":1,"image_url":"","preparation_time":1,"category_id":"` + unknown + `"}`
	huge := `{"tax_id":"` + strings.Repeat("1", 1<<20) + `"}`

	cases := []struct {
		name, method, path, token, body string
		status                          int
		code                            string
	}{
		{"register: bad CPF", "POST", "/auth/customers", "", `{"tax_id":"12345678900","name":"A","email":"a@example.com"}`, 400, "invalid_tax_id"},
		{"register: missing email", "POST", "/auth/customers", "", `{"tax_id":"52998224725","name":"A"}`, 400, "invalid_request"},
		{"register: malformed JSON", "POST", "/auth/customers", "", `{"tax_id":`, 400, "invalid_request"},
		{"register: wrong type", "POST", "/auth/customers", "", `{"tax_id":5,"name":"A","email":"a@example.com"}`, 400, "invalid_request"},
		{"register: body over 1 MiB", "POST", "/auth/customers", "", huge, 413, "request_too_large"},
		{"token: unknown field", "POST", "/auth/token", "", `{"role":"employee"}`, 400, "invalid_request"},
		{"token: trailing data", "POST", "/auth/token", "", `{} {}`, 400, "invalid_request"},
		{"token: unknown CPF", "POST", "/auth/token", "", `{"tax_id":"11144477735"}`, 404, "customer_not_found"},
		{"token: wrong password", "POST", "/auth/token", "", `{"email":"` + suite.EmployeeEmail + `","password":"nope"}`, 401, "invalid_credentials"},
		{"product: malformed id", "GET", "/products/not-an-id", "", "", 404, "product_not_found"},
		{"product: unknown id", "GET", "/products/" + unknown, "", "", 404, "product_not_found"},
		{"products: malformed category", "GET", "/products?category=x", "", "", 400, "invalid_request"},
		{"products: unknown category", "GET", "/products?category=" + unknown, "", "", 404, "category_not_found"},
		{"product create: no token", "POST", "/products", "", product, 401, "unauthorized"},
		{"product create: customer", "POST", "/products", customer, product, 403, "forbidden"},
		{"product create: forged token", "POST", "/products", forged, product, 401, "unauthorized"},
		{"product create: client sets cents", "POST", "/products", staff, `{"price_cents":1}`, 400, "invalid_request"},
		{"product update: unknown", "PUT", "/products/" + unknown, staff, strings.Replace(product, unknown, "c47e0000-0000-4000-8000-000000000001", 1), 404, "product_not_found"},
		{"product delete: malformed id", "DELETE", "/products/x", staff, "", 404, "product_not_found"},
		{"order: no token", "POST", "/order", "", `{"items":[]}`, 401, "unauthorized"},
		{"order: employee", "POST", "/order", staff, `{"items":[{"product_id":"` + unknown + `","quantity":1}]}`, 403, "forbidden"},
		{"order: no lines", "POST", "/order", customer, `{"items":[]}`, 400, "invalid_request"},
		{"order: quantity 0", "POST", "/order", customer, `{"items":[{"product_id":"` + unknown + `","quantity":0}]}`, 400, "invalid_request"},
		{"order: quantity 21", "POST", "/order", customer, `{"items":[{"product_id":"` + unknown + `","quantity":21}]}`, 400, "invalid_request"},
		{"order: malformed product id", "POST", "/order", customer, `{"items":[{"product_id":"x","quantity":1}]}`, 400, "invalid_request"},
		{"order: client sets a price", "POST", "/order", customer, `{"items":[{"product_id":"` + unknown + `","quantity":1,"unit_price":0.01}]}`, 400, "invalid_request"},
		{"order: unknown product", "POST", "/order", customer, `{"items":[{"product_id":"` + unknown + `","quantity":1}]}`, 422, "unknown_product"},
		{"order: malformed id", "GET", "/order/x", customer, "", 404, "order_not_found"},
		{"order: unknown id", "GET", "/order/" + unknown, customer, "", 404, "order_not_found"},
		{"orders: bad limit", "GET", "/order?limit=201", customer, "", 400, "invalid_request"},
		{"orders: bad status", "GET", "/order?status=LOST", customer, "", 400, "invalid_request"},
		{"deliver: customer", "PUT", "/order/" + unknown + "/delivered", customer, "", 403, "forbidden"},
		{"deliver: unknown", "PUT", "/order/" + unknown + "/delivered", staff, "", 404, "order_not_found"},
		{"payment: malformed id", "GET", "/payment/x", customer, "", 404, "payment_not_found"},
		{"payment: no token", "GET", "/payment/" + unknown, "", "", 401, "unauthorized"},
		{"payment: malformed order id", "GET", "/payment?order_id=x", customer, "", 400, "invalid_request"},
		{"payment: unknown order", "GET", "/payment?order_id=" + unknown, customer, "", 404, "payment_not_found"},
		{"webhook: unsigned", "POST", "/payment/webhook?data.id=1&type=payment", "", `{"data":{"id":"1"}}`, 401, "invalid_signature"},
		{"kitchen: customer", "GET", "/production", customer, "", 403, "forbidden"},
		{"kitchen: bad status", "GET", "/production?status=COOKING", staff, "", 400, "invalid_request"},
		{"kitchen: malformed id", "GET", "/production/x", staff, "", 404, "production_not_found"},
		{"kitchen: unknown start", "PUT", "/production/" + unknown + "/started", staff, "", 404, "production_not_found"},
		{"kitchen: customer completes", "PUT", "/production/" + unknown + "/completed", customer, "", 403, "forbidden"},
		{"gateway: no such route", "GET", "/orders", "", "", 404, "not_found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var body any
			if c.body != "" {
				body = []byte(c.body)
			}
			res, err := api.Do(ctx, c.method, c.path, c.token, body)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != c.status || res.ErrorCode() != c.code {
				t.Fatalf("want %d %s, got %s", c.status, c.code, res)
			}
			assertErrorShape(t, res)
		})
	}
}

// assertErrorShape checks the body is exactly {"error":{"code","message"}}.
func assertErrorShape(t *testing.T, res *apiclient.Response) {
	t.Helper()
	var shape map[string]map[string]any
	if err := json.Unmarshal(res.Body, &shape); err != nil || len(shape) != 1 || len(shape["error"]) != 2 {
		t.Fatalf("not the one error shape: %s", res.Body)
	}
	if msg, _ := shape["error"]["message"].(string); msg == "" {
		t.Fatalf("error without a message: %s", res.Body)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type %q", ct)
	}
}

func tokenFor(t *testing.T, api *apiclient.Client, body map[string]string) string {
	t.Helper()
	res, err := api.Do(context.Background(), "POST", "/auth/token", "", body)
	if err != nil {
		t.Fatal(err)
	}
	var tok apiclient.Token
	if err := res.Expect(200, &tok); err != nil {
		t.Fatal(err)
	}
	return tok.AccessToken
}
