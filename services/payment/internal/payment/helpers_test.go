package payment

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/google/uuid"

	"github.com/comanda/comanda/fakes/mercadopago"
	"github.com/comanda/comanda/harness/awsenv/awstest"
	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/awsconf"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/queue"
)

const (
	testAccessToken   = "TEST-access-token"
	testWebhookSecret = "test-webhook-secret"
)

func TestMain(m *testing.M) { awstest.Main(m) }

// awsEnv is the package's kumo with one payments table and the two queues the
// service uses, all under names of their own.
type awsEnv struct {
	config  awsconf.Config
	clients awsconf.Clients
	table   string
	names   queue.Names
}

func newAWSEnv(t *testing.T) *awsEnv {
	t.Helper()
	cfg, clients := awstest.Clients(t)
	env := &awsEnv{config: cfg, clients: clients, table: awstest.CreateTable(t, clients, "payments"), names: queue.Names{Prefix: awstest.UniquePrefix()}}
	for _, base := range []string{events.PaymentQueue, events.OrderQueue} {
		awstest.CreateQueue(t, clients, env.names.Of(base))
	}
	return env
}

func (e *awsEnv) store() *store { return newStore(e.clients.DynamoDB, e.table) }

func (e *awsEnv) publisher(t *testing.T) *queue.Publisher {
	t.Helper()
	pub, err := queue.NewPublisher(context.Background(), e.clients.SQS, e.names, events.OrderQueue, events.PaymentQueue)
	if err != nil {
		t.Fatal(err)
	}
	return pub
}

// orderEvents collects the events on the order queue, deleting each.
func (e *awsEnv) orderEvents(t *testing.T, want func([]events.Envelope) bool) []events.Envelope {
	t.Helper()
	ctx := context.Background()
	url, err := queue.ResolveURL(ctx, e.clients.SQS, e.names.Of(events.OrderQueue))
	if err != nil {
		t.Fatal(err)
	}
	var got []events.Envelope
	deadline := time.Now().Add(10 * time.Second)
	for !want(got) && time.Now().Before(deadline) {
		out, err := e.clients.SQS.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
			QueueUrl: aws.String(url), MaxNumberOfMessages: 10, WaitTimeSeconds: 1,
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range out.Messages {
			env, err := events.Parse([]byte(aws.ToString(m.Body)))
			if err != nil {
				t.Fatalf("malformed event on the order queue: %v", err)
			}
			got = append(got, env)
			_, _ = e.clients.SQS.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: m.ReceiptHandle})
		}
	}
	return got
}

// named returns the payloads of the events called name.
func named(t *testing.T, envs []events.Envelope, name string) []events.PaymentPayload {
	t.Helper()
	var out []events.PaymentPayload
	for _, env := range envs {
		if env.Meta.EventName != name {
			continue
		}
		var p events.PaymentPayload
		if err := env.Decode(&p); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// countAtLeast is a want for orderEvents: n events called name.
func countAtLeast(t *testing.T, name string, n int) func([]events.Envelope) bool {
	return func(envs []events.Envelope) bool { return len(named(t, envs, name)) >= n }
}

// newFake serves a fresh fake Mercado Pago with fast webhook retries.
func newFake(t *testing.T) (*mercadopago.Fake, *httptest.Server) {
	t.Helper()
	f, err := mercadopago.New(mercadopago.Options{
		AccessToken:   testAccessToken,
		WebhookSecret: testWebhookSecret,
		RetrySchedule: []time.Duration{20 * time.Millisecond, 50 * time.Millisecond, 100 * time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(f.Handler())
	t.Cleanup(func() { f.Close(); srv.Close() })
	return f, srv
}

func testMercadoPagoConfig(baseURL, webhookURL string) MercadoPagoConfig {
	return MercadoPagoConfig{
		BaseURL: baseURL, AccessToken: testAccessToken, WebhookSecret: testWebhookSecret,
		WebhookURL: webhookURL, PayerEmailDomain: "customers.comanda.local",
		RequestTimeout: 5 * time.Second, MaxRetries: 2, RetryBase: 5 * time.Millisecond,
	}
}

// newDomain wires the domain against env and the Mercado Pago at baseURL.
func newDomain(t *testing.T, env *awsEnv, baseURL, webhookURL string) *Payments {
	t.Helper()
	mp, err := NewMercadoPago(testMercadoPagoConfig(baseURL, webhookURL), logging.Discard())
	if err != nil {
		t.Fatal(err)
	}
	return NewPayments(env.store(), mp, env.publisher(t), creationSettings{
		TTL: 30 * time.Minute, WebhookURL: webhookURL, PayerEmailDomain: "customers.comanda.local",
	}, logging.Discard())
}

// paymentRequest is an order-payment-requested envelope for a new order.
func paymentRequest(t *testing.T, customerID string, cents int64) (events.Envelope, string) {
	t.Helper()
	orderID := uuid.NewString()
	env, err := events.New(events.OrderPaymentRequested, events.OrderService, events.PaymentService, "corr-"+orderID,
		events.OrderPaymentRequestedPayload{OrderID: orderID, CustomerID: customerID, CustomerName: "Ana", AmountCents: cents,
			Items: []events.OrderItem{{ProductID: uuid.NewString(), Name: "X-Burger", Quantity: 1, UnitPriceCents: cents}}})
	if err != nil {
		t.Fatal(err)
	}
	return env, orderID
}
