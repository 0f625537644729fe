package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/comanda/comanda/fakes/mercadopago"
	"github.com/google/uuid"
)

const testToken = "TEST-token"

func newTestFake(t *testing.T) (*mercadopago.Fake, *httptest.Server) {
	t.Helper()
	f, err := mercadopago.New(mercadopago.Options{AccessToken: testToken, WebhookSecret: "secret"})
	if err != nil {
		t.Fatalf("new fake: %v", err)
	}
	srv := httptest.NewServer(f.Handler())
	t.Cleanup(srv.Close)
	t.Cleanup(f.Close)
	return f, srv
}

// createPayment creates a PIX payment for order through the fake's API.
func createPayment(t *testing.T, base, order string) int64 {
	t.Helper()
	return createNotifying(t, base, order, "")
}

// createNotifying creates a PIX payment whose webhooks go to hook ("" for none).
func createNotifying(t *testing.T, base, order, hook string) int64 {
	t.Helper()
	status, id := tryCreate(t, base, order, hook)
	if status != http.StatusCreated {
		t.Fatalf("create: status %d", status)
	}
	return id
}

// tryCreate posts a PIX payment creation and returns the status and the id.
func tryCreate(t *testing.T, base, order, hook string) (int, int64) {
	t.Helper()
	body := fmt.Sprintf(`{"transaction_amount":25.9,"payment_method_id":"pix","payer":{"email":"a@b.c"},"external_reference":%q,"notification_url":%q}`, order, hook)
	req, _ := http.NewRequest(http.MethodPost, base+"/v1/payments", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("X-Idempotency-Key", uuid.NewString())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	defer func() { _ = resp.Body.Close() }()
	var p struct {
		ID int64 `json:"id"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&p)
	return resp.StatusCode, p.ID
}

// fakepay runs the command and returns its exit status and output.
func fakepay(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestListAndApproveByOrder(t *testing.T) {
	t.Parallel()
	f, srv := newTestFake(t)
	order := "order-" + uuid.NewString()
	id := createPayment(t, srv.URL, order)
	createPayment(t, srv.URL, "other-"+uuid.NewString())

	code, out, errOut := fakepay(t, "--url", srv.URL, "list")
	if code != 0 || strings.Count(out, "\n") != 2 || !strings.Contains(out, strconv.FormatInt(id, 10)) ||
		!strings.Contains(out, "pending/pending_waiting_transfer") || !strings.Contains(out, "R$ 25.90") || !strings.Contains(out, order) {
		t.Errorf("list = %d %q %q", code, out, errOut)
	}

	code, out, errOut = fakepay(t, "approve", "--order", order, "--url", srv.URL)
	if code != 0 || !strings.HasPrefix(out, strconv.FormatInt(id, 10)) || !strings.Contains(out, "approved/accredited") || errOut != "" {
		t.Errorf("approve --order = %d %q %q", code, out, errOut)
	}
	if p, _ := f.Payment(id); p.Status != mercadopago.StatusApproved {
		t.Errorf("status after approve = %s", p.Status)
	}
}

func TestJSONOutput(t *testing.T) {
	t.Parallel()
	_, srv := newTestFake(t)
	id := createPayment(t, srv.URL, "order-"+uuid.NewString())
	sid := strconv.FormatInt(id, 10)

	code, out, _ := fakepay(t, "--json", "--url", srv.URL, "list")
	var list []mercadopago.Payment
	if err := json.Unmarshal([]byte(out), &list); code != 0 || err != nil || len(list) != 1 || list[0].ID != id {
		t.Errorf("--json list = %d %q (%v)", code, out, err)
	}
	for _, args := range [][]string{{"--json", "show", sid}, {"show", sid, "--json"}, {"show", "--json", sid}} {
		code, out, _ := fakepay(t, append([]string{"--url", srv.URL}, args...)...)
		var p mercadopago.Payment
		if err := json.Unmarshal([]byte(out), &p); code != 0 || err != nil || p.ID != id || p.Status != "pending" {
			t.Errorf("%v = %d %q (%v)", args, code, out, err)
		}
	}
}

func TestFailures(t *testing.T) {
	t.Parallel()
	_, srv := newTestFake(t)
	approved := createPayment(t, srv.URL, "order-"+uuid.NewString())
	if code, _, errOut := fakepay(t, "--url", srv.URL, "approve", strconv.FormatInt(approved, 10)); code != 0 {
		t.Fatalf("approve: %s", errOut)
	}
	tests := map[string]struct {
		args     []string
		wantCode int
		wantErr  string // the whole stderr, or its start when it ends in "…"
	}{
		"unknown id":         {[]string{"--url", srv.URL, "show", "42"}, 1, "fakepay: payment 42 not found\n"},
		"invalid transition": {[]string{"--url", srv.URL, "expire", strconv.FormatInt(approved, 10)}, 1, fmt.Sprintf("fakepay: payment %d is approved; it cannot expire\n", approved)},
		"unknown order":      {[]string{"--url", srv.URL, "approve", "--order", "nope"}, 1, "fakepay: no payment for order nope\n"},
		"unreachable fake":   {[]string{"--url", "http://127.0.0.1:1", "list"}, 1, "fakepay: cannot reach the fake Mercado Pago at http://127.0.0.1:1: …"},
		"unknown verb":       {[]string{"pay", "1"}, 2, `fakepay: unknown verb "pay" (see fakepay --help)` + "\n"},
		"no verb":            {nil, 2, "fakepay: no verb given (see fakepay --help)\n"},
		"no id":              {[]string{"approve"}, 2, "fakepay: approve takes one payment id or --order <order id> (see fakepay --help)\n"},
		"id and order":       {[]string{"approve", "1", "--order", "x"}, 2, "fakepay: approve takes a payment id or --order, not both (see fakepay --help)\n"},
		"bad id":             {[]string{"reject", "abc"}, 2, `fakepay: "abc" is not a payment id (an integer) (see fakepay --help)` + "\n"},
		"unknown flag":       {[]string{"list", "--verbose"}, 2, "fakepay: flag provided but not defined: -verbose (see fakepay --help)\n"},
		"fault not a 5xx":    {[]string{"--url", srv.URL, "fail-next", "1", "--status", "404"}, 1, "fakepay: invalid fault: status must be a 5xx, got 404\n"},
		"fail-next no count": {[]string{"fail-next"}, 2, "fakepay: fail-next takes how many calls to fail, e.g. fail-next 2 (see fakepay --help)\n"},
		"outage maybe":       {[]string{"outage", "maybe"}, 2, `fakepay: outage takes on or off, got "maybe" (see fakepay --help)` + "\n"},
		"clock backwards":    {[]string{"clock", "advance", "0s"}, 2, `fakepay: clock advance takes a positive duration like 31m, got "0s" (see fakepay --help)` + "\n"},
		"auto-approve soon":  {[]string{"auto-approve", "soon"}, 2, `fakepay: auto-approve takes a positive duration like 2s, or off; got "soon" (see fakepay --help)` + "\n"},
		"resend no webhooks": {[]string{"--url", srv.URL, "resend", strconv.FormatInt(approved, 10)}, 1, fmt.Sprintf("fakepay: resend payment %d: payment has no notification_url\n", approved)},
		"reset with an arg":  {[]string{"reset", "all"}, 2, "fakepay: reset takes no arguments (see fakepay --help)\n"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := fakepay(t, tc.args...)
			prefix, partial := strings.CutSuffix(tc.wantErr, "…")
			matches := errOut == tc.wantErr || (partial && strings.HasPrefix(errOut, prefix))
			if code != tc.wantCode || !matches || strings.Count(errOut, "\n") != 1 || out != "" {
				t.Errorf("got %d, stdout %q, stderr %q; want %d, %q", code, out, errOut, tc.wantCode, tc.wantErr)
			}
		})
	}
}

// TestHelpListsEveryVerb: every verb fakepay knows has its line in --help.
func TestHelpListsEveryVerb(t *testing.T) {
	t.Parallel()
	code, out, errOut := fakepay(t, "--help")
	if code != 0 || errOut != "" {
		t.Fatalf("--help = %d %q", code, errOut)
	}
	for verb := range verbs {
		if !strings.Contains(out, "\n  "+verb+" ") {
			t.Errorf("--help has no line for %s", verb)
		}
	}
	for _, flag := range []string{"--order", "--json", "--url", "--count", "--bad-signature", "--delay", "--first",
		"--status", "--create-only", "--processed", "--state", "--auto-approve"} {
		if !strings.Contains(out, flag) {
			t.Errorf("--help does not mention %s", flag)
		}
	}
}
