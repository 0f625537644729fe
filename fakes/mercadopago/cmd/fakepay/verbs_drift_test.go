package main

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// apiPayment reads /v1/payments/{id} raw, as a client of the API would.
func apiPayment(t *testing.T, base string, id int64) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+"/v1/payments/"+strconv.FormatInt(id, 10), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

func TestDriftVerb(t *testing.T) {
	t.Parallel()
	f, srv := newTestFake(t)
	id := createPayment(t, srv.URL, "order-"+uuid.NewString())
	if out := mustRun(t, "--url", srv.URL, "drift"); out != "drift: off\n" {
		t.Errorf("drift printed %q", out)
	}
	if out := mustRun(t, "--url", srv.URL, "drift", "on"); !strings.HasPrefix(out, "drift: on;") || !f.Drift() {
		t.Errorf("drift on printed %q; fake drifting: %v", out, f.Drift())
	}
	if body := apiPayment(t, srv.URL, id); !strings.Contains(body, `"fee_details":[]`) {
		t.Errorf("with drift on the API answered %s", body)
	}
	if out := mustRun(t, "--url", srv.URL, "--json", "drift"); out != "{\n  \"drift\": true\n}\n" {
		t.Errorf("drift --json printed %q", out)
	}
	if out := mustRun(t, "--url", srv.URL, "drift", "off"); out != "drift: off\n" || f.Drift() {
		t.Errorf("drift off printed %q; fake drifting: %v", out, f.Drift())
	}
	if code, _, errOut := fakepay(t, "--url", srv.URL, "drift", "sometimes"); code != 2 || !strings.Contains(errOut, `got "sometimes"`) {
		t.Errorf("drift sometimes = %d %q; want a usage error", code, errOut)
	}
}

func TestServeDrift(t *testing.T) {
	t.Parallel()
	base, banner, stop := startServe(t, "--drift")
	defer stop()
	if !strings.Contains(banner, "payload drift") {
		t.Errorf("serve printed %q; want it to say drift is on", banner)
	}
	id := createPayment(t, base, "order-"+uuid.NewString())
	if body := apiPayment(t, base, id); !strings.Contains(body, `"payer":{"email":`) || !strings.Contains(body, `"id":"3001234567"`) {
		t.Errorf("serve --drift answered %s; want a drifted payer", body)
	}
}
