package features

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/comanda/comanda/fakes/mercadopago"
	"github.com/comanda/comanda/harness/apiclient"
	"github.com/comanda/comanda/services/platform/token/authztest"
)

// jwtShape matches anything that looks like a compact JWS, whoever issued it.
var jwtShape = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}`)

// longRun matches runs of base64url characters long enough to be a piece of
// a token or a signature, not a word.
var longRun = regexp.MustCompile(`[A-Za-z0-9_-]{20,}`)

// secret is one value that must never be logged, and what it is.
type secret struct{ what, value string }

// TestSecretsNeverReachTheLogs scans every service log line the harness
// kept for the Mercado Pago access token, the webhook secret, the employee
// password, every bearer token a scenario or test held (and its signature
// alone), every x-signature the fake sent, and anything shaped like a JWT.
// It runs its own flows through every service first; being parallel, it
// runs after TestFeatures, the sequential tests being done by then, so the
// whole feature suite's lines and tokens are scanned too.
func TestSecretsNeverReachTheLogs(t *testing.T) {
	t.Parallel()
	sensitiveFlows(t)
	lines := suite.LogLines()
	for _, service := range append([]string{"gateway"}, suite.ServiceNames()...) {
		if !anyLine(lines, `"msg":"http request"`, `"service":"`+service+`"`) {
			t.Errorf("no request of the %s service was logged: the scan needs services logging at info", service)
		}
	}
	secrets := knownSecrets(t)
	pieces := tokenText(secrets)
	leaks := 0
	for i, line := range lines {
		for _, run := range longRun.FindAllString(line, -1) {
			if strings.Contains(pieces, run) {
				leaks++
				t.Errorf("log line %d holds a piece of a token or signature: %s", i, redact(line, run))
			}
		}
		for _, s := range secrets {
			if strings.Contains(line, s.value) {
				leaks++
				t.Errorf("log line %d holds the %s: %s", i, s.what, redact(line, s.value))
			}
		}
		if m := jwtShape.FindString(line); m != "" {
			leaks++
			t.Errorf("log line %d holds a JWT: %s", i, redact(line, m))
		}
		if leaks > 20 {
			t.Fatal("too many leaks; stopping")
		}
	}
	t.Logf("scanned %d log lines for %d secrets", len(lines), len(secrets))
}

// tokenText is every token and signature among secrets, one a line, for
// finding pieces of them: a log line with the end of a token leaks too.
func tokenText(secrets []secret) string {
	var b strings.Builder
	for _, s := range secrets {
		if strings.HasPrefix(s.what, "bearer") || strings.HasPrefix(s.what, "x-signature") {
			b.WriteString(s.value + "\n")
		}
	}
	return b.String()
}

// knownSecrets are the values the scan looks for.
func knownSecrets(t *testing.T) []secret {
	s := []secret{
		{"Mercado Pago access token", suite.AccessToken},
		{"webhook secret", suite.WebhookSecret},
		{"employee password", suite.EmployeePassword},
	}
	for _, tok := range seenTokens.all() {
		s = append(s, secret{"bearer token", tok})
		if i := strings.LastIndexByte(tok, '.'); i >= 0 && len(tok)-i > 16 {
			s = append(s, secret{"bearer token's signature", tok[i+1:]})
		}
	}
	var deliveries []mercadopago.Delivery
	res, err := apiclient.New(suite.FakeURL).Do(t.Context(), "GET", "/_fake/deliveries", "", nil)
	if err != nil || res.Expect(200, &deliveries) != nil {
		t.Fatalf("the fake's deliveries: %v %v", res, err)
	}
	for _, d := range deliveries {
		if d.Signature == "" {
			continue
		}
		s = append(s, secret{"x-signature", d.Signature})
		if _, v1, ok := strings.Cut(d.Signature, "v1="); ok && len(v1) >= 16 {
			s = append(s, secret{"x-signature's v1", v1})
		}
	}
	return s
}

// sensitiveFlows makes every service handle secrets: logins good and bad,
// an order paid through signed webhooks and followed to the counter,
// forged tokens and a forged webhook.
func sensitiveFlows(t *testing.T) {
	t.Helper()
	ctx := t.Context()
	api := apiclient.New(suite.GatewayURL)
	send := func(method, path, bearer string, body any) *apiclient.Response {
		t.Helper()
		res, err := api.Do(ctx, method, path, bearer, body)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	send("POST", "/auth/token", "", map[string]string{"email": suite.EmployeeEmail, "password": "not-" + suite.EmployeePassword})
	callers := realCallers(t)
	staff := callers[authztest.Employee]
	orderID, _, kitchenID := paidOrder(ctx, t, callers[authztest.Owner], staff)
	for _, step := range []string{"/production/" + kitchenID + "/started", "/production/" + kitchenID + "/completed"} {
		if res := send("PUT", step, staff, nil); res.Status != 200 {
			t.Fatalf("PUT %s: %s", step, res)
		}
	}
	// The order follows the kitchen asynchronously: hand it over once READY.
	deadline := time.Now().Add(45 * time.Second)
	for {
		var o apiclient.Order
		if err := send("GET", "/order/"+orderID, staff, nil).Decode(&o); err == nil && o.Status == "READY" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("order %s never became READY", orderID)
		}
		time.Sleep(25 * time.Millisecond)
	}
	if res := send("PUT", "/order/"+orderID+"/delivered", staff, nil); res.Status != 200 {
		t.Fatalf("hand-over: %s", res)
	}
	for _, forged := range []string{callers[authztest.Forged], callers[authztest.Tampered]} {
		for _, path := range []string{"/order", "/payment?order_id=" + orderID, "/production", "/order/" + orderID} {
			send("GET", path, forged, nil)
		}
		send("POST", "/products", forged, map[string]any{"name": "x"})
	}
	res, err := api.DoWithHeaders(ctx, "POST", "/payment/webhook?data.id=1&type=payment",
		map[string]string{"x-request-id": "forged", "x-signature": "ts=1,v1=" + strings.Repeat("0", 64)}, []byte(`{}`))
	if err != nil || res.Status != 401 {
		t.Fatalf("forged webhook: %v %v", res, err)
	}
}

func anyLine(lines []string, needles ...string) bool {
	for _, line := range lines {
		ok := true
		for _, n := range needles {
			ok = ok && strings.Contains(line, n)
		}
		if ok {
			return true
		}
	}
	return false
}

// redact shows where a leak is without repeating it.
func redact(line, value string) string {
	line = strings.ReplaceAll(line, value, fmt.Sprintf("<%d bytes redacted>", len(value)))
	if len(line) > 400 {
		line = line[:400] + "…"
	}
	return line
}
