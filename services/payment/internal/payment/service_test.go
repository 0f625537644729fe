package payment

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/harness/awsenv/awstest"
	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/config"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/token/tokentest"
)

// TestRun runs the whole service as the harness does: configuration from
// a map, a listener handed in, kumo and the fake behind it.
func TestRun(t *testing.T) {
	t.Parallel()
	env := newAWSEnv(t)
	fake, mpSrv := newFake(t)
	keys := tokentest.New(t)
	secretID := awstest.UniqueName("comanda/project-")
	awstest.CreateSecret(t, env.clients, secretID, keys.SecretJSON(t))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	var cfg Config
	err = config.LoadFrom(context.Background(), map[string]string{
		"AWS_ENDPOINT_URL": env.config.Endpoint, "QUEUE_PREFIX": env.names.Prefix, "PAYMENTS_TABLE": env.table,
		"PROJECT_SECRET_ID": secretID, "CONSUMER_WAIT_TIME": "1s",
		"MERCADOPAGO_BASE_URL": mpSrv.URL, "MERCADOPAGO_ACCESS_TOKEN": testAccessToken,
		"MERCADOPAGO_WEBHOOK_SECRET": testWebhookSecret, "WEBHOOK_URL": base + "/payment/webhook",
	}, &cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Listener = ln
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, cfg, logging.Discard()) }()

	customer := uuid.NewString()
	req, orderID := paymentRequest(t, customer, 3150)
	if err := env.publisher(t).Publish(context.Background(), events.PaymentQueue, req); err != nil {
		t.Fatal(err)
	}
	bearer := keys.Customer(t, customer, "Test")
	waitHTTPStatus(t, base+"/payment?order_id="+orderID, bearer, StatusPending)
	mp, _ := fake.FindByExternalReference(orderID)
	if _, err := fake.Approve(context.Background(), mp.ID); err != nil {
		t.Fatal(err)
	}
	waitHTTPStatus(t, base+"/payment/"+IDForOrder(orderID), bearer, StatusApproved)
	env.orderEvents(t, func(envs []events.Envelope) bool {
		return len(named(t, envs, events.PaymentCreated)) > 0 && len(named(t, envs, events.PaymentCompleted)) > 0
	})

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run = %v; want a clean stop", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
}

// waitHTTPStatus polls a payment route until the payment has status.
func waitHTTPStatus(t *testing.T, url, bearer string, status Status) {
	t.Helper()
	var last string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Authorization", "Bearer "+bearer)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct{ Status Status }
		_ = json.NewDecoder(resp.Body).Decode(&body)
		_ = resp.Body.Close()
		if resp.StatusCode == http.StatusOK && body.Status == status {
			return
		}
		last = resp.Status + " " + string(body.Status)
	}
	t.Fatalf("GET %s: last %s; want 200 %s", url, last, status)
}

func TestConfigNamesWhatIsMissing(t *testing.T) {
	t.Parallel()
	var cfg Config
	err := config.LoadFrom(context.Background(), map[string]string{}, &cfg)
	if err == nil || !strings.Contains(err.Error(), "MERCADOPAGO_") {
		t.Fatalf("LoadFrom(empty) = %v; want a missing MERCADOPAGO_ setting named", err)
	}
	full := map[string]string{"MERCADOPAGO_ACCESS_TOKEN": "t", "MERCADOPAGO_WEBHOOK_SECRET": "s", "WEBHOOK_URL": "https://x.test/payment/webhook"}
	if err := config.LoadFrom(context.Background(), full, &cfg); err != nil {
		t.Fatal(err)
	}
	if err := cfg.validate(); err != nil {
		t.Fatalf("defaults do not validate: %v", err)
	}
	if cfg.PaymentTTL != 30*time.Minute || cfg.PaymentsTable != "payments" || cfg.MercadoPago.BaseURL != "https://api.mercadopago.com" {
		t.Fatalf("defaults: %+v", cfg)
	}
	tests := map[string]func(*Config){
		"WEBHOOK_URL":                func(c *Config) { c.MercadoPago.WebhookURL = "/payment/webhook" },
		"MERCADOPAGO_BASE_URL":       func(c *Config) { c.MercadoPago.BaseURL = "api.mercadopago.com" },
		"PAYMENT_TTL":                func(c *Config) { c.PaymentTTL = time.Second },
		"MERCADOPAGO_WEBHOOK_SECRET": func(c *Config) { c.MercadoPago.WebhookSecret = "" },
	}
	for name, breakIt := range tests {
		bad := cfg
		breakIt(&bad)
		if err := bad.validate(); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("validate with a bad %s = %v; want it named", name, err)
		}
		if err := Run(context.Background(), bad, logging.Discard()); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("Run with a bad %s = %v; want it named", name, err)
		}
	}
}
