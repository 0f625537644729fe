package order

import (
	"bytes"
	"net/http/httptest"
	"testing"

	"github.com/google/uuid"

	"github.com/comanda/comanda/services/platform/web"
)

// FuzzPlaceRequest decodes any body as POST /order does: it is refused with
// a client error, or it yields 1 to 50 lines of canonical product ids and
// quantities 1 to 20; never a panic, never a 5xx.
func FuzzPlaceRequest(f *testing.F) {
	f.Add([]byte(`{"items":[{"product_id":"9d0d0000-0000-4000-8000-000000000011","quantity":2}]}`))
	f.Add([]byte(`{"items":[]}`))
	f.Add([]byte(`{"items":[{"product_id":"9D0D0000-0000-4000-8000-000000000011","quantity":20},{"product_id":"{9d0d0000-0000-4000-8000-000000000011}","quantity":1}]}`))
	f.Add([]byte(`{"items":[{"product_id":"x","quantity":1e9}]}`))
	f.Add([]byte(`{"items":null,"price":1}`))
	f.Add([]byte(`{} {}`))
	f.Add([]byte(`{"items":[{"product_id":"9d0d0000-0000-4000-8000-000000000011","quantity":1,"quantity":20}]}`))
	f.Add([]byte(`{"items":[],"items":[{"product_id":"9d0d0000-0000-4000-8000-000000000011","quantity":1}]}`))
	f.Add([]byte(`{"ITEMS":[{"Product_Id":"9d0d0000-0000-4000-8000-000000000011","QUANTITY":1}]}`))
	f.Add([]byte(`{"items":[{"product_id":"9d0d0000-0000-4000-8000-00000000001\u0000","quantity":1}]}`))
	f.Add([]byte(`{"items":[{"product_id":"\u202E9d0d0000-0000-4000-8000-000000000011","quantity":1}]}`))
	f.Add([]byte(`{"items":[{"product_id":"9d0d0000-0000-4000-8000-000000000011\u2066","quantity":1}]}`))
	f.Add([]byte(`{"items":[{"product_id":"9d0d0000-0000-4000-8000-000000000011\u0085","quantity":1}]}`))
	f.Add([]byte("{\"items\":[{\"product_id\":\"9d0d0000-0000-4000-8000-0000000000\xff\",\"quantity\":1}]}"))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var req PlaceRequest
		r := httptest.NewRequest("POST", "/order", bytes.NewReader(body))
		if err := web.Decode(r, &req); err != nil {
			if e := web.AsError(err); e.Status >= 500 {
				t.Fatalf("decode answered %d for %q", e.Status, body)
			}
			return
		}
		lines, err := req.Lines()
		if err != nil {
			if e := web.AsError(httpError(err)); e.Status != 400 {
				t.Fatalf("validation answered %d for %q", e.Status, body)
			}
			return
		}
		if len(lines) < 1 || len(lines) > MaxLines {
			t.Fatalf("%d lines accepted", len(lines))
		}
		for _, l := range lines {
			if _, err := uuid.Parse(l.ProductID); err != nil || l.ProductID != uuid.MustParse(l.ProductID).String() {
				t.Fatalf("product id %q is not canonical", l.ProductID)
			}
			if l.Quantity < 1 || l.Quantity > MaxQuantity {
				t.Fatalf("quantity %d accepted", l.Quantity)
			}
		}
	})
}
