package conformance_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/comanda/comanda/fakes/mercadopago/internal/sigcheck"
)

// noNotifications is why notification cases run on the fake only.
const noNotifications = "sandbox test payments send no notifications, and a receiver on this machine cannot be reached from the internet"

// notification is a webhook as a receiver reads it.
type notification struct {
	action string
	dataID string
	signed bool
}

// receiver records the webhooks it gets and answers 200.
type receiver struct {
	srv *httptest.Server

	mu  sync.Mutex
	got []notification
}

func newReceiver(t *testing.T) *receiver {
	t.Helper()
	rc := &receiver{}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Action string `json:"action"`
		}
		raw, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(raw, &body)
		dataID := r.URL.Query().Get("data.id")
		n := notification{action: body.Action, dataID: dataID,
			signed: sigcheck.Valid(fakeSecret, dataID, r.Header.Get("x-request-id"), r.Header.Get("x-signature"))}
		rc.mu.Lock()
		rc.got = append(rc.got, n)
		rc.mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

// has reports whether a signed webhook of action about payment id came.
func (rc *receiver) has(action string, id int) bool {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for _, n := range rc.got {
		if n.action == action && n.dataID == strconv.Itoa(id) && n.signed {
			return true
		}
	}
	return false
}

// TestNotifications: a payment with a notification_url sends a signed
// payment.created, then payment.updated when it changes.
func TestNotifications(t *testing.T) {
	eachTarget(t, func(t *testing.T, tg target) {
		tg.onlyFake(t, noNotifications)
		hook := newReceiver(t)
		req := pixRequest(newReference())
		req.NotificationURL = hook.srv.URL + "/payment/webhook"
		created := tg.create(t, tg.payments(t, ""), req)
		waitFor(t, 30*time.Second, "a signed payment.created", func() (bool, error) { return hook.has("payment.created", created.ID), nil })
		tg.act(t, created.ID, "approve")
		waitFor(t, 30*time.Second, "a signed payment.updated", func() (bool, error) { return hook.has("payment.updated", created.ID), nil })
	})
}
