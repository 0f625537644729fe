package conformance_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
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
			signed: validSignature(fakeSecret, dataID, r.Header.Get("x-request-id"), r.Header.Get("x-signature"))}
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

// validSignature checks x-signature as Mercado Pago tells a receiver to:
// HMAC-SHA256 of "id:<data.id>;request-id:<x-request-id>;ts:<ts>;", data.id
// in lower case, a missing value dropping its part.
func validSignature(secret, dataID, requestID, header string) bool {
	var ts, v1 string
	for part := range strings.SplitSeq(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "ts":
			ts = v
		case "v1":
			v1 = v
		}
	}
	var manifest string
	for _, p := range [][2]string{{"id", strings.ToLower(dataID)}, {"request-id", requestID}, {"ts", ts}} {
		if p[1] != "" {
			manifest += p[0] + ":" + p[1] + ";"
		}
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(manifest))
	return ts != "" && hmac.Equal([]byte(hex.EncodeToString(mac.Sum(nil))), []byte(v1))
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
