package mercadopago_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/fakes/mercadopago"
)

func TestAutoApproveFromOptions(t *testing.T) {
	t.Parallel()
	f, err := mercadopago.New(mercadopago.Options{AccessToken: testToken, WebhookSecret: testSecret, AutoApproveAfter: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	hook := newReceiver(t, always(http.StatusOK))
	p := createPayment(t, serve(t, f), pixRequest("order-"+uuid.NewString(), hook.url()))
	if p.Status != mercadopago.StatusPending {
		t.Fatalf("new payment is %s; want pending until the delay passes", p.Status)
	}
	eventually(t, 30*time.Second, "the approval", func() bool {
		got, _ := f.Payment(p.ID)
		return got.Status == mercadopago.StatusApproved
	})
	eventually(t, 30*time.Second, "the approval webhook", func() bool { return len(hook.requests()) == 2 })
}

func TestAutoApproveThroughTheControlAPI(t *testing.T) {
	t.Parallel()
	f, srv, _ := newTestFake(t)
	if status, raw := controlSend(t, http.MethodPut, srv.URL+"/_fake/auto-approve", `{"after":"10ms"}`); status != http.StatusOK || string(raw) != `{"after":"10ms"}`+"\n" {
		t.Fatalf("auto-approve on = %d %s", status, raw)
	}
	on := createPayment(t, srv, pixRequest("order-"+uuid.NewString(), ""))
	eventually(t, 30*time.Second, "the approval", func() bool {
		got, _ := f.Payment(on.ID)
		return got.Status == mercadopago.StatusApproved
	})

	if status, raw := controlCall(t, http.MethodDelete, srv.URL+"/_fake/auto-approve"); status != http.StatusOK || string(raw) != `{"after":"0s"}`+"\n" {
		t.Fatalf("auto-approve off = %d %s", status, raw)
	}
	off := createPayment(t, srv, pixRequest("order-"+uuid.NewString(), ""))
	// A payment made after turning it back on is approved; the one made
	// while it was off, not: the delay is fixed at creation.
	controlSend(t, http.MethodPut, srv.URL+"/_fake/auto-approve", `{"after":"10ms"}`)
	later := createPayment(t, srv, pixRequest("order-"+uuid.NewString(), ""))
	eventually(t, 30*time.Second, "the later approval", func() bool {
		got, _ := f.Payment(later.ID)
		return got.Status == mercadopago.StatusApproved
	})
	if got, _ := f.Payment(off.ID); got.Status != mercadopago.StatusPending {
		t.Errorf("payment made with auto-approve off is %s; want pending", got.Status)
	}
	if status, raw := controlSend(t, http.MethodPut, srv.URL+"/_fake/auto-approve", `{"after":"-1s"}`); status != http.StatusBadRequest ||
		!strings.Contains(string(raw), "invalid_setting") {
		t.Errorf("negative delay = %d %s", status, raw)
	}
}
