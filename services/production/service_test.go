package production

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/google/uuid"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/config"
	"github.com/comanda/comanda/services/platform/token"
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
	awsCfg, clients := newAWS(t)
	s := newSigner(t)
	cfg := Config{AWS: awsCfg, KitchenTable: createKitchenTable(t, clients.DynamoDB)}
	cfg.Token = s.cfg
	cfg.Token.SecretID = "comanda/project-" + uuid.NewString()
	cfg.Queues.Prefix = "run" + uuid.NewString()[:8] + "-"
	cfg.Consumer.WaitTime = time.Second
	createSecret(t, clients.SecretsManager, cfg.Token.SecretID, s)
	prodURL := createQueue(t, clients.SQS, cfg.Queues.Of(events.ProductionQueue))
	orderURL := createQueue(t, clients.SQS, cfg.Queues.Of(events.OrderQueue))
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
	employee := s.token(t, token.RoleEmployee)
	eventually(t, 10*time.Second, func() error {
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

func createSecret(t *testing.T, sm *secretsmanager.Client, id string, s *signer) {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(&s.key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	secret, _ := json.Marshal(token.ProjectSecret{KeyID: s.kid, PublicKeyPEM: string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))})
	if _, err := sm.CreateSecret(t.Context(), &secretsmanager.CreateSecretInput{Name: aws.String(id), SecretString: aws.String(string(secret))}); err != nil {
		t.Fatal(err)
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
