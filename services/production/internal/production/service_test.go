package production

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/google/uuid"

	"github.com/comanda/comanda/harness/awsenv/awstest"
	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/config"
	"github.com/comanda/comanda/services/platform/token/tokentest"
)

func TestConfigDefaults(t *testing.T) {
	t.Parallel()
	var cfg Config
	if err := config.LoadFrom(t.Context(), map[string]string{}, &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != ":8080" || cfg.KitchenTable != "kitchen-orders" || cfg.Token.SecretID != "comanda/project" || cfg.Listener != nil {
		t.Errorf("defaults = %+v", cfg)
	}
}

// TestRun runs the whole service against kumo: an order-paid-event on the
// production queue becomes a record the HTTP API lists and moves, and the
// move reaches the order queue.
func TestRun(t *testing.T) {
	t.Parallel()
	awsCfg, clients := awstest.Clients(t)
	tokens := tokentest.New(t)
	cfg := Config{AWS: awsCfg, KitchenTable: awstest.CreateTable(t, clients, "kitchen-orders")}
	cfg.Token = tokens.Config
	cfg.Token.SecretID = awstest.UniqueName("comanda/project-")
	cfg.Queues.Prefix = awstest.UniquePrefix()
	cfg.Consumer.WaitTime = time.Second
	awstest.CreateSecret(t, clients, cfg.Token.SecretID, tokens.SecretJSON(t))
	prodURL, _ := awstest.CreateQueue(t, clients, cfg.Queues.Of(events.ProductionQueue))
	orderURL, _ := awstest.CreateQueue(t, clients, cfg.Queues.Of(events.OrderQueue))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Listener = ln

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, cfg, testLog()) }()

	orderID := uuid.NewString()
	env, _ := events.New(events.OrderPaid, events.OrderService, events.ProductionService, "corr-"+orderID,
		events.OrderPaidPayload{OrderID: orderID, CustomerName: "Caio", Items: []events.OrderItem{{Name: "Batata", Quantity: 1}}})
	body, _ := env.Marshal()
	if _, err := clients.SQS.SendMessage(t.Context(), &sqs.SendMessageInput{QueueUrl: aws.String(prodURL), MessageBody: aws.String(string(body))}); err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	employee := tokens.Employee(t)
	eventually(t, 30*time.Second, func() error {
		var list []Record
		if err := getJSON(t, base+"/production", employee, &list); err != nil {
			return err
		}
		if len(list) != 1 || list[0].OrderID != orderID {
			return fmt.Errorf("list = %+v", list)
		}
		return nil
	})
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPut, base+"/production/"+RecordID(orderID)+"/started", nil)
	req.Header.Set("Authorization", "Bearer "+employee)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("PUT started: %v %v", resp, err)
	}
	resp.Body.Close()
	out, err := clients.SQS.ReceiveMessage(t.Context(), &sqs.ReceiveMessageInput{QueueUrl: aws.String(orderURL), WaitTimeSeconds: 2})
	if err != nil || len(out.Messages) != 1 {
		t.Fatalf("order queue: %d messages, %v", len(out.Messages), err)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run returned %v; want nil after a clean stop", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not stop")
	}
}

func getJSON(t *testing.T, url, bearer string, v any) error {
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+bearer)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// eventually retries fn until it succeeds or timeout passes.
func eventually(t *testing.T, timeout time.Duration, fn func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := fn()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %v", timeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
