package events

import (
	"errors"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	env, err := New(OrderPaid, OrderService, ProductionService, "corr-1", OrderPaidPayload{OrderID: "o1", Items: []OrderItem{{Name: "X", Quantity: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	body, err := env.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	var p OrderPaidPayload
	if err := got.Decode(&p); err != nil {
		t.Fatal(err)
	}
	if got.Meta.EventName != OrderPaid || got.Meta.CorrelationID != "corr-1" || p.OrderID != "o1" || p.Items[0].Quantity != 2 {
		t.Fatalf("round trip lost data: %+v %+v", got.Meta, p)
	}
}

func TestMalformed(t *testing.T) {
	t.Parallel()
	for _, body := range []string{"", "not json", `{"meta":{}}`, `{"meta":{"event_id":"x","event_name":"y"}}`} {
		if _, err := Parse([]byte(body)); !errors.Is(err, ErrMalformed) {
			t.Errorf("Parse(%q) = %v; want ErrMalformed", body, err)
		}
	}
	env := Envelope{Meta: Meta{EventID: "1", EventName: OrderPaid}, Payload: []byte(`{"order_id":"o","surprise":1}`)}
	if err := env.Decode(&OrderPaidPayload{}); !errors.Is(err, ErrMalformed) {
		t.Errorf("Decode with unknown field = %v; want ErrMalformed", err)
	}
}
