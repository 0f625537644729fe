package mercadopago_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/fakes/mercadopago"
)

func TestResetEmptiesTheFake(t *testing.T) {
	t.Parallel()
	f, srv, clock := newTestFake(t)
	hook := newReceiver(t, always(http.StatusOK))
	key, body := uuid.NewString(), pixRequest("order-"+uuid.NewString(), hook.url())
	before := createdID(t, srv, key, body)
	// Moving the clock ends an attempt in flight: let the creation's land first.
	eventually(t, 30*time.Second, "the creation webhook", func() bool { return len(f.Deliveries()) == 1 })
	if _, err := f.AdvanceClock(time.Hour); err != nil {
		t.Fatal(err)
	}
	eventually(t, 30*time.Second, "the creation and expiry webhooks", func() bool { return len(f.Deliveries()) == 2 })
	if _, err := f.FailNext(3, mercadopago.APIFault{CreateOnly: true}); err != nil {
		t.Fatal(err)
	}
	if err := f.SetAutoApprove(time.Hour); err != nil {
		t.Fatal(err)
	}

	if status, raw := controlCall(t, http.MethodPost, srv.URL+"/_fake/reset"); status != http.StatusOK {
		t.Fatalf("reset = %d %s", status, raw)
	}
	if n, d := len(f.Payments()), len(f.Deliveries()); n != 0 || d != 0 {
		t.Errorf("after reset: %d payments, %d deliveries; want none", n, d)
	}
	if faults, c, a := f.Faults(), f.Clock(), f.AutoApprove(); faults != (mercadopago.Faults{}) || !c.Now.Equal(clock.Now()) || a != 0 {
		t.Errorf("after reset: faults %+v, clock %+v, auto-approve %s; want none, the base clock, off", faults, c, a)
	}
	if after := createdID(t, srv, key, body); after <= before {
		t.Errorf("the same key after a reset gave id %d; want a new payment with an id after %d", after, before)
	}
}

func TestUnknownControlEndpoint(t *testing.T) {
	t.Parallel()
	_, srv, _ := newTestFake(t)
	if status, raw := controlCall(t, http.MethodGet, srv.URL+"/_fake/nope"); status != http.StatusNotFound {
		t.Errorf("GET /_fake/nope = %d %s; want 404", status, raw)
	}
}
