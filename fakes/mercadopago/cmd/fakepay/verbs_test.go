package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/fakes/mercadopago"
)

// eventually polls cond until it holds or five seconds pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// mustRun runs fakepay and fails the test unless it exits 0.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := fakepay(t, args...)
	if code != 0 || errOut != "" {
		t.Fatalf("fakepay %v = %d, stdout %q, stderr %q", args, code, out, errOut)
	}
	return out
}

func TestFaultVerbs(t *testing.T) {
	t.Parallel()
	_, srv := newTestFake(t)
	out := mustRun(t, "--url", srv.URL, "fail-next", "2", "--status", "503", "--create-only", "--processed")
	if !strings.Contains(out, "fail-next: the next 2 calls: answered 503, after taking effect, creations only") {
		t.Errorf("fail-next printed %q", out)
	}
	if status, _ := tryCreate(t, srv.URL, "order-"+uuid.NewString(), ""); status != 503 {
		t.Errorf("creation after fail-next = %d; want 503", status)
	}
	var faults mercadopago.Faults
	if err := json.Unmarshal([]byte(mustRun(t, "--url", srv.URL, "faults", "--json")), &faults); err != nil ||
		faults.Remaining != 1 || faults.InjectedCreations != 1 {
		t.Errorf("faults --json = %+v (%v); want 1 left, 1 creation refused", faults, err)
	}

	out = mustRun(t, "--url", srv.URL, "outage", "on", "--delay", "1ms", "--status", "502")
	if !strings.Contains(out, "outage:    every call: held 1ms, answered 502") {
		t.Errorf("outage on printed %q", out)
	}
	mustRun(t, "--url", srv.URL, "outage", "off")
	out = mustRun(t, "--url", srv.URL, "faults", "clear")
	if out != "fail-next: none\noutage:    none\ninjected:  0 calls (0 creations)\n" {
		t.Errorf("faults clear printed %q", out)
	}
}

func TestClockAndAutoApproveVerbs(t *testing.T) {
	t.Parallel()
	f, srv := newTestFake(t)
	id := strconv.FormatInt(createPayment(t, srv.URL, "order-"+uuid.NewString()), 10)
	if out := mustRun(t, "--url", srv.URL, "clock", "advance", "31m"); !strings.Contains(out, "(31m0s ahead)") {
		t.Errorf("clock advance printed %q", out)
	}
	if out := mustRun(t, "--url", srv.URL, "show", id); !strings.Contains(out, "cancelled/expired") {
		t.Errorf("after the clock moved: %q; want cancelled/expired", out)
	}
	if out := mustRun(t, "--url", srv.URL, "clock", "reset"); !strings.Contains(out, "(0s ahead)") {
		t.Errorf("clock reset printed %q", out)
	}

	if out := mustRun(t, "--url", srv.URL, "auto-approve", "10ms"); out != "auto-approve: every new payment is approved 10ms after its creation\n" {
		t.Errorf("auto-approve 10ms printed %q", out)
	}
	later := createPayment(t, srv.URL, "order-"+uuid.NewString())
	eventually(t, "the auto-approval", func() bool {
		p, _ := f.Payment(later)
		return p.Status == mercadopago.StatusApproved
	})
	mustRun(t, "--url", srv.URL, "auto-approve", "off")
	if out := mustRun(t, "--url", srv.URL, "--json", "auto-approve"); out != "{\n  \"after\": \"0s\"\n}\n" {
		t.Errorf("auto-approve --json printed %q", out)
	}
}

func TestWebhookVerbs(t *testing.T) {
	t.Parallel()
	f, srv := newTestFake(t)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) }))
	t.Cleanup(hook.Close)
	order := "order-" + uuid.NewString()
	id := strconv.FormatInt(createNotifying(t, srv.URL, order, hook.URL), 10)
	mustRun(t, "--url", srv.URL, "approve", id)
	mustRun(t, "--url", srv.URL, "resend", id, "--count", "2", "--first", "--bad-signature", "--delay", "10ms")
	mustRun(t, "--url", srv.URL, "out-of-order", "--order", order)
	eventually(t, "six deliveries", func() bool { return len(f.Deliveries()) == 6 })

	out := mustRun(t, "--url", srv.URL, "deliveries", "--order", order)
	if strings.Count(out, "\n") != 6 || strings.Count(out, "bad_signature,delayed 10ms,first_again") != 2 ||
		strings.Count(out, "out_of_order") != 2 || !strings.Contains(out, " "+id+" ") {
		t.Errorf("deliveries printed %q", out)
	}
	var log []mercadopago.Delivery
	if err := json.Unmarshal([]byte(mustRun(t, "--url", srv.URL, "--json", "deliveries", id)), &log); err != nil || len(log) != 6 {
		t.Errorf("deliveries --json = %d entries (%v)", len(log), err)
	}
}

func TestResetVerb(t *testing.T) {
	t.Parallel()
	_, srv := newTestFake(t)
	createPayment(t, srv.URL, "order-"+uuid.NewString())
	if out := mustRun(t, "--url", srv.URL, "reset"); !strings.HasPrefix(out, "reset: ") {
		t.Errorf("reset printed %q", out)
	}
	if out := mustRun(t, "--url", srv.URL, "list"); out != "no payments\n" {
		t.Errorf("list after reset = %q", out)
	}
}

// TestPaymentLifeVerbs: the verbs before and after the money move a
// payment through its life, and reject takes a reason.
func TestPaymentLifeVerbs(t *testing.T) {
	t.Parallel()
	_, srv := newTestFake(t)
	id := strconv.FormatInt(createPayment(t, srv.URL, "order-"+uuid.NewString()), 10)
	for _, step := range []struct{ verb, want string }{
		{"process", "in_process/pending_review_manual"},
		{"authorize", "authorized/pending_capture"},
		{"approve", "approved/accredited"},
		{"dispute", "in_mediation/in_mediation"},
		{"charge-back", "charged_back/settled"},
	} {
		if out := mustRun(t, "--url", srv.URL, step.verb, id); !strings.Contains(out, step.want) {
			t.Errorf("%s printed %q; want %s", step.verb, out, step.want)
		}
	}
	other := strconv.FormatInt(createPayment(t, srv.URL, "order-"+uuid.NewString()), 10)
	if out := mustRun(t, "--url", srv.URL, "reject", other, "--detail", "rejected_high_risk"); !strings.Contains(out, "rejected/rejected_high_risk") {
		t.Errorf("reject --detail printed %q", out)
	}
}
