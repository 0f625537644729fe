package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/comanda/comanda/api/apitest"
)

// requestSchema is the JSON body schema of the operation operationID.
func requestSchema(t *testing.T, doc *openapi3.T, operationID string) *openapi3.Schema {
	t.Helper()
	for _, o := range operations(doc) {
		if o.op.OperationID == operationID {
			return o.op.RequestBody.Value.Content.Get("application/json").Schema.Value
		}
	}
	t.Fatalf("no operation %s", operationID)
	return nil
}

// The request schemas accept what the services accept and refuse what they
// refuse, as their validators say (customer.go, employee.go and http.go in
// services/auth/internal/auth; product.go in services/catalog/internal/catalog;
// request.go in services/order/internal/order).
// Validation is JSON Schema 2020-12, as for every OpenAPI 3.1 document.
func TestRequestSchemasAreTheServicesRules(t *testing.T) {
	t.Parallel()
	const (
		product  = `"product_id":"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"`
		category = `"category_id":"3f1c2b7e-1d2a-4c5b-9e8f-0a1b2c3d4e5f"`
	)
	line := `{` + product + `,"quantity":1}`
	lines := func(n int) string { return `{"items":[` + strings.Repeat(line+",", n-1) + line + `]}` }
	productBody := func(fields string) string {
		return `{"name":"X-Burger","price":25.9,"preparation_time":12,` + category + fields + `}`
	}
	cases := []struct {
		operation, name, body string
		ok                    bool
	}{
		{"issueToken", "anonymous", `{}`, true},
		{"issueToken", "customer", `{"tax_id":"529.982.247-25"}`, true},
		{"issueToken", "customer, digits only", `{"tax_id":"52998224725"}`, true},
		{"issueToken", "employee", `{"email":"staff@comanda.local","password":"sandbox-staff-password"}`, true},
		{"issueToken", "null counts as absent: anonymous", `{"tax_id":null,"email":null,"password":null}`, true},
		{"issueToken", "null counts as absent: employee", `{"tax_id":null,"email":"a@b.co","password":"x"}`, true},
		{"issueToken", "password of 72 characters", `{"email":"a@b.co","password":"` + strings.Repeat("p", 72) + `"}`, true},
		{"issueToken", "customer and employee at once", `{"tax_id":"52998224725","email":"a@b.co","password":"x"}`, false},
		{"issueToken", "email without password", `{"email":"a@b.co"}`, false},
		{"issueToken", "password without email", `{"password":"x"}`, false},
		{"issueToken", "tax_id in another case", `{"Tax_ID":"52998224725"}`, false},
		{"issueToken", "unknown field", `{"tax_id":"52998224725","role":"employee"}`, false},
		{"issueToken", "tax_id not a string", `{"tax_id":52998224725}`, false},
		{"issueToken", "tax_id of 10 digits", `{"tax_id":"5299822472"}`, false},
		{"issueToken", "empty password", `{"email":"a@b.co","password":""}`, false},
		{"issueToken", "password of 73 characters", `{"email":"a@b.co","password":"` + strings.Repeat("p", 73) + `"}`, false},
		{"issueToken", "password with a control character", `{"email":"a@b.co","password":"pass\u0000word"}`, false},

		{"registerCustomer", "registration", `{"tax_id":"529.982.247-25","name":"Maria José","email":"maria@example.com"}`, true},
		{"registerCustomer", "name of 120 characters", `{"tax_id":"52998224725","name":"` + strings.Repeat("é", 120) + `","email":"m@example.com"}`, true},
		{"registerCustomer", "name of 121 characters", `{"tax_id":"52998224725","name":"` + strings.Repeat("é", 121) + `","email":"m@example.com"}`, false},
		{"registerCustomer", "name on two lines", `{"tax_id":"52998224725","name":"Maria\nJosé","email":"m@example.com"}`, false},
		{"registerCustomer", "name with a bidi override", `{"tax_id":"52998224725","name":"Maria\u202eJosé","email":"m@example.com"}`, false},
		{"registerCustomer", "name with a C1 control", `{"tax_id":"52998224725","name":"Maria\u0085","email":"m@example.com"}`, false},
		{"registerCustomer", "no email", `{"tax_id":"52998224725","name":"Maria"}`, false},
		{"registerCustomer", "email without a dotted domain", `{"tax_id":"52998224725","name":"Maria","email":"maria@localhost"}`, false},
		{"registerCustomer", "unknown field", `{"tax_id":"52998224725","name":"Maria","email":"m@example.com","role":"employee"}`, false},

		{"createProduct", "product", productBody(`,"description":"Pão e queijo.","image_url":"https://cdn.example.com/x.png"`), true},
		{"createProduct", "the least", productBody(``), true},
		{"createProduct", "description on lines", productBody(`,"description":"Pão.\nQueijo."`), true},
		{"createProduct", "no image", productBody(`,"image_url":""`), true},
		{"createProduct", "price of one cent", `{"name":"Bala","price":0.01,"preparation_time":1,` + category + `}`, true},
		{"createProduct", "price of R$ 0,07", `{"name":"Bala","price":0.07,"preparation_time":1,` + category + `}`, true},
		{"createProduct", "price of R$ 19,99", `{"name":"Bala","price":19.99,"preparation_time":1,` + category + `}`, true},
		{"createProduct", "price of R$ 1.000.000,00", `{"name":"Bala","price":1000000,"preparation_time":240,` + category + `}`, true},
		{"createProduct", "free", `{"name":"Bala","price":0,"preparation_time":1,` + category + `}`, false},
		{"createProduct", "over a million", `{"name":"Bala","price":1000000.01,"preparation_time":1,` + category + `}`, false},
		// Three decimals are refused by the service, and said in words by the
		// spec: multipleOf 0.01 fails 12.9 in validators that divide binary
		// floats (as JavaScript's do), so the spec does not use it.
		{"createProduct", "price as a string", `{"name":"Bala","price":"25.9","preparation_time":1,` + category + `}`, false},
		{"createProduct", "no preparation time", `{"name":"Bala","price":1,` + category + `}`, false},
		{"createProduct", "preparation of 241 minutes", `{"name":"Bala","price":1,"preparation_time":241,` + category + `}`, false},
		{"createProduct", "name on two lines", `{"name":"X\nBurger","price":1,"preparation_time":1,` + category + `}`, false},
		{"createProduct", "description with a carriage return", productBody(`,"description":"Pão.\r\nQueijo."`), false},
		{"createProduct", "description of 1001 characters", productBody(`,"description":"` + strings.Repeat("a", 1001) + `"`), false},
		{"createProduct", "image by ftp", productBody(`,"image_url":"ftp://cdn.example.com/x.png"`), false},
		{"createProduct", "image without a host", productBody(`,"image_url":"https:///x.png"`), false},
		{"createProduct", "a stock the catalog does not keep", productBody(`,"stock":3`), false},

		{"placeOrder", "one line", lines(1), true},
		{"placeOrder", "fifty lines", lines(50), true},
		{"placeOrder", "the same product twice", `{"items":[` + line + `,` + line + `]}`, true},
		{"placeOrder", "twenty of one", `{"items":[{` + product + `,"quantity":20}]}`, true},
		{"placeOrder", "no lines", `{"items":[]}`, false},
		{"placeOrder", "fifty-one lines", lines(51), false},
		{"placeOrder", "none of one", `{"items":[{` + product + `,"quantity":0}]}`, false},
		{"placeOrder", "twenty-one of one", `{"items":[{` + product + `,"quantity":21}]}`, false},
		{"placeOrder", "a fraction of one", `{"items":[{` + product + `,"quantity":1.5}]}`, false},
		{"placeOrder", "quantity as a string", `{"items":[{` + product + `,"quantity":"2"}]}`, false},
		{"placeOrder", "a price set by the client", `{"items":[{` + product + `,"quantity":1,"unit_price":0.01}]}`, false},
		{"placeOrder", "a total set by the client", `{"items":[` + line + `],"total":0.01}`, false},
	}
	doc := apitest.LoadSpec(t)
	for _, c := range cases {
		t.Run(c.operation+"/"+c.name, func(t *testing.T) {
			var body any
			if err := json.Unmarshal([]byte(c.body), &body); err != nil {
				t.Fatalf("test body: %v", err)
			}
			err := requestSchema(t, doc, c.operation).VisitJSON(body, openapi3.EnableJSONSchema2020(), openapi3.VisitAsRequest())
			if c.ok && err != nil {
				t.Errorf("the spec refuses what the service accepts: %v", err)
			}
			if !c.ok && err == nil {
				t.Error("the spec accepts what the service refuses")
			}
		})
	}
}
