package order

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/google/uuid"

	"github.com/comanda/comanda/harness/awsenv/awstest"
	"github.com/comanda/comanda/harness/pgcluster/pgtest"
	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/config"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/token/tokentest"
)

func TestConfigRequiresCatalogURL(t *testing.T) {
	t.Parallel()
	var cfg Config
	err := config.LoadFrom(t.Context(), map[string]string{"DATABASE_URL": "postgres://x"}, &cfg)
	if err == nil || !strings.Contains(err.Error(), "CATALOG_URL") {
		t.Fatalf("LoadFrom without CATALOG_URL = %v; want an error naming it", err)
	}
	err = config.LoadFrom(t.Context(), map[string]string{"DATABASE_URL": "postgres://x", "CATALOG_URL": "http://catalog"}, &cfg)
	if err != nil || cfg.Addr != ":8080" || cfg.OutboxInterval != 500*time.Millisecond || cfg.Token.Issuer != "comanda" {
		t.Fatalf("LoadFrom = %v, %+v", err, cfg)
	}
}

// TestRun runs the whole service against kumo and PostgreSQL: an order placed
// over HTTP reaches the payment queue through the outbox relay, a payment
// event on the order queue makes it PAID, and the kitchen is told.
func TestRun(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	awsCfg, clients := awstest.Clients(t)
	prefix := awstest.UniquePrefix()
	urls := map[string]string{}
	for _, base := range []string{events.PaymentQueue, events.OrderQueue, events.ProductionQueue} {
		urls[base], _ = awstest.CreateQueue(t, clients, prefix+base)
	}
	tokens := tokentest.New(t)
	secretID := prefix + "comanda/project"
	awstest.CreateSecret(t, clients, secretID, tokens.SecretJSON(t))
	m, ids := newMenu(2)
	catalog := newFakeCatalog(t, m)

	var cfg Config
	err := config.LoadFrom(ctx, map[string]string{
		"CATALOG_URL": catalog.URL, "DATABASE_URL": pgtest.NewDatabase(t), "AWS_ENDPOINT_URL": awsCfg.Endpoint,
		"QUEUE_PREFIX": prefix, "PROJECT_SECRET_ID": secretID, "CONSUMER_WAIT_TIME": "1s", "OUTBOX_INTERVAL": "100ms",
	}, &cfg)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Listener, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	base := "http://" + cfg.Listener.Addr().String()
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- Run(runCtx, cfg, logging.Discard()) }()
	defer func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("Run = %v", err)
		}
	}()

	customer := uuid.NewString()
	tok := tokens.Customer(t, customer, "Ana")
	body := `{"items":[{"product_id":"` + ids[0] + `","quantity":2}]}`
	if status, resp := eventuallyHTTP(t, http.MethodGet, base+"/readyz", "", "", http.StatusOK); status != http.StatusOK {
		t.Fatalf("GET /readyz = %d %s", status, resp)
	}
	status, resp := eventuallyHTTP(t, http.MethodPost, base+"/order", tok, body, 0)
	if status != http.StatusCreated {
		t.Fatalf("POST /order = %d %s", status, resp)
	}
	var o orderJSON
	if err := json.Unmarshal(resp, &o); err != nil {
		t.Fatal(err)
	}

	requested := receive(t, clients.SQS, urls[events.PaymentQueue])
	var req events.OrderPaymentRequestedPayload
	if err := requested.Decode(&req); err != nil || requested.Meta.EventName != events.OrderPaymentRequested || req.OrderID != o.ID || req.AmountCents != 2100 {
		t.Fatalf("payment queue got %+v %+v (%v)", requested.Meta, req, err)
	}

	send(t, clients.SQS, urls[events.OrderQueue], events.PaymentCompleted, events.PaymentPayload{
		PaymentID: uuid.NewString(), OrderID: o.ID, Status: PaymentApproved, AmountCents: 2100, QRCode: "qr",
		ExpiresAt: time.Now().Add(time.Hour)})
	paid := receive(t, clients.SQS, urls[events.ProductionQueue])
	var p events.OrderPaidPayload
	if err := paid.Decode(&p); err != nil || paid.Meta.EventName != events.OrderPaid || p.OrderID != o.ID || p.CustomerName != "Ana" || len(p.Items) != 1 {
		t.Fatalf("production queue got %+v %+v (%v)", paid.Meta, p, err)
	}
	status, resp = eventuallyHTTP(t, http.MethodGet, base+"/order/"+o.ID, tok, "", http.StatusOK)
	if status != http.StatusOK || !strings.Contains(string(resp), `"status":"PAID"`) {
		t.Fatalf("GET /order/{id} = %d %s", status, resp)
	}
}

// receive waits up to 30 s for one message on the queue and deletes it.
func receive(t *testing.T, client *sqs.Client, url string) events.Envelope {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		out, err := client.ReceiveMessage(t.Context(), &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), MaxNumberOfMessages: 1, WaitTimeSeconds: 1})
		if err != nil {
			t.Fatalf("receive from %s: %v", url, err)
		}
		if len(out.Messages) == 0 {
			continue
		}
		msg := out.Messages[0]
		_, _ = client.DeleteMessage(t.Context(), &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: msg.ReceiptHandle})
		env, err := events.Parse([]byte(aws.ToString(msg.Body)))
		if err != nil {
			t.Fatal(err)
		}
		return env
	}
	t.Fatalf("no message on %s within 30 s", url)
	return events.Envelope{}
}

func send(t *testing.T, client *sqs.Client, url, name string, payload any) {
	t.Helper()
	env, err := events.New(name, events.PaymentService, events.OrderService, uuid.NewString(), payload)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := env.Marshal()
	if _, err := client.SendMessage(t.Context(), &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(string(body))}); err != nil {
		t.Fatal(err)
	}
}

// eventuallyHTTP repeats the request until it answers want (0: anything),
// for up to 30 s, and returns the last answer.
func eventuallyHTTP(t *testing.T, method, url, tok, body string, want int) (int, []byte) {
	t.Helper()
	var status int
	var resp []byte
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		req, err := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			continue
		}
		resp, _ = io.ReadAll(res.Body)
		res.Body.Close()
		if status = res.StatusCode; want == 0 || status == want {
			break
		}
	}
	return status, resp
}
