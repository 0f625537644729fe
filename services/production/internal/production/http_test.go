package production

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/google/uuid"

	"github.com/comanda/comanda/harness/awsenv/awstest"
	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/outbox"
	"github.com/comanda/comanda/services/platform/queue"
	"github.com/comanda/comanda/services/platform/token"
	"github.com/comanda/comanda/services/platform/token/tokentest"
)

// kitchenEnv is the service's HTTP handler over a kumo table, publishing to a
// uniquely named kumo order queue through the relay of the table's outbox,
// which runs until the test ends.
type kitchenEnv struct {
	handler  http.Handler
	kitchen  *Kitchen
	store    *store
	pub      *flakyPublisher // the relay's way to SQS
	ops      *awstest.Calls  // the store's DynamoDB operations
	tokens   *tokentest.Issuer
	sqs      *sqs.Client
	orderURL string
}

// newKitchenEnv runs the relay as the service does, but for a tick of an
// hour: only a stop sweeps.
func newKitchenEnv(t *testing.T) *kitchenEnv {
	t.Helper()
	return newKitchenEnvWith(t, outbox.Config{Interval: time.Hour, Settle: outbox.PublishTimeout})
}

func newKitchenEnvWith(t *testing.T, relayCfg outbox.Config) *kitchenEnv {
	t.Helper()
	_, clients := awstest.Clients(t)
	names := queue.Names{Prefix: awstest.UniquePrefix()}
	orderURL, _ := awstest.CreateQueue(t, clients, names.Of(events.OrderQueue))
	sqsPub, err := queue.NewPublisher(t.Context(), clients.SQS, names, events.OrderQueue)
	if err != nil {
		t.Fatal(err)
	}
	ops := &awstest.Calls{}
	store := newStore(ops.DynamoDB(clients.DynamoDB), awstest.CreateTable(t, clients, "kitchen-orders"))
	pub := &flakyPublisher{next: sqsPub}
	k := NewKitchen(store, runRelay(t, store, pub, relayCfg), testLog())
	tokens := tokentest.New(t)
	return &kitchenEnv{handler: newHandler(k, tokens.Verifier(), testLog()), kitchen: k, store: store, pub: pub, ops: ops,
		tokens: tokens, sqs: clients.SQS, orderURL: orderURL}
}

// runRelay runs a relay of store's outbox until the test ends, and waits
// for its stop.
func runRelay(t *testing.T, store *store, pub outbox.Publisher, cfg outbox.Config) *outbox.Relay {
	t.Helper()
	relay := outbox.NewRelay(store.outbox, pub, cfg, testLog())
	ctx, cancel := context.WithCancel(context.WithoutCancel(t.Context()))
	done := make(chan error, 1)
	go func() { done <- relay.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("relay: %v", err)
		}
	})
	return relay
}

// waiting is what the outbox holds, left in place.
func (e *kitchenEnv) waiting(t *testing.T) []outbox.Message {
	t.Helper()
	var all []outbox.Message
	_, err := e.store.outbox.Sweep(t.Context(), 0, 100, func(_ context.Context, msgs []outbox.Message) ([]string, error) {
		all = msgs
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// paid delivers an order-paid-event for a fresh order and returns its record id.
func (e *kitchenEnv) paid(t *testing.T) (string, events.Envelope) {
	t.Helper()
	env, err := events.New(events.OrderPaid, events.OrderService, events.ProductionService, uuid.NewString(), events.OrderPaidPayload{
		OrderID: uuid.NewString(), CustomerID: uuid.NewString(), CustomerName: "Bia",
		Items: []events.OrderItem{{ProductID: uuid.NewString(), Name: "X-Salada", Quantity: 1, UnitPriceCents: 2590}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.kitchen.HandleOrderPaid(t.Context(), env); err != nil {
		t.Fatal(err)
	}
	var p events.OrderPaidPayload
	_ = env.Decode(&p)
	return RecordID(p.OrderID), env
}

func (e *kitchenEnv) do(t *testing.T, method, path, role string) (int, []byte) {
	t.Helper()
	req := httptest.NewRequestWithContext(t.Context(), method, path, nil)
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens.Token(t, role))
	}
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

func errorCode(t *testing.T, body []byte) string {
	t.Helper()
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("error body %s: %v", body, err)
	}
	return e.Error.Code
}

func TestHTTPAccess(t *testing.T) {
	t.Parallel()
	e := newKitchenEnv(t)
	id, _ := e.paid(t)
	for _, path := range []string{"/production", "/production/" + id} {
		if code, body := e.do(t, http.MethodGet, path, ""); code != http.StatusUnauthorized || errorCode(t, body) != "unauthorized" {
			t.Errorf("GET %s without token = %d %s", path, code, body)
		}
		if code, body := e.do(t, http.MethodGet, path, token.RoleCustomer); code != http.StatusForbidden || errorCode(t, body) != "forbidden" {
			t.Errorf("GET %s as customer = %d %s", path, code, body)
		}
	}
	if code, body := e.do(t, http.MethodPut, "/production/"+id+"/started", token.RoleCustomer); code != http.StatusForbidden {
		t.Errorf("PUT started as customer = %d %s", code, body)
	}
}

func TestHTTPListAndGet(t *testing.T) {
	t.Parallel()
	e := newKitchenEnv(t)
	if code, body := e.do(t, http.MethodGet, "/production", token.RoleEmployee); code != http.StatusOK || strings.TrimSpace(string(body)) != "[]" {
		t.Errorf("empty list = %d %s; want 200 []", code, body)
	}
	first, env := e.paid(t)
	second, _ := e.paid(t)
	if err := e.kitchen.HandleOrderPaid(t.Context(), env); err != nil { // redelivered
		t.Fatal(err)
	}
	code, body := e.do(t, http.MethodGet, "/production", token.RoleEmployee)
	var list []map[string]any
	if err := json.Unmarshal(body, &list); code != http.StatusOK || err != nil || len(list) != 2 {
		t.Fatalf("list = %d %s", code, body)
	}
	if list[0]["id"] != first || list[1]["id"] != second {
		t.Errorf("list order = %v, %v; want %s then %s", list[0]["id"], list[1]["id"], first, second)
	}
	for _, field := range []string{"id", "order_id", "status", "customer_name", "items", "created_at", "updated_at"} {
		if _, ok := list[0][field]; !ok {
			t.Errorf("record lacks %q: %s", field, body)
		}
	}
	if list[0]["status"] != "RECEIVED" || list[0]["customer_name"] != "Bia" {
		t.Errorf("record = %v", list[0])
	}
	if _, err := time.Parse(time.RFC3339, list[0]["created_at"].(string)); err != nil {
		t.Errorf("created_at: %v", err)
	}

	code, body = e.do(t, http.MethodGet, "/production/"+first, token.RoleEmployee)
	if code != http.StatusOK || !strings.Contains(string(body), `"items":[{"name":"X-Salada","quantity":1}]`) {
		t.Errorf("GET one = %d %s", code, body)
	}
	for _, path := range []string{"/production/" + uuid.NewString(), "/production/not-a-uuid"} {
		if code, body := e.do(t, http.MethodGet, path, token.RoleEmployee); code != http.StatusNotFound || errorCode(t, body) != "production_not_found" {
			t.Errorf("GET %s = %d %s; want 404 production_not_found", path, code, body)
		}
	}
}

func TestHTTPStatusFilter(t *testing.T) {
	t.Parallel()
	e := newKitchenEnv(t)
	received, _ := e.paid(t)
	started, _ := e.paid(t)
	done, _ := e.paid(t)
	for _, id := range []string{started, done} {
		if code, body := e.do(t, http.MethodPut, "/production/"+id+"/started", token.RoleEmployee); code != http.StatusOK {
			t.Fatalf("start %s = %d %s", id, code, body)
		}
	}
	if code, body := e.do(t, http.MethodPut, "/production/"+done+"/completed", token.RoleEmployee); code != http.StatusOK {
		t.Fatalf("complete = %d %s", code, body)
	}
	want := map[string][]string{
		"":                       {received, started},
		"?status=RECEIVED":       {received},
		"?status=IN_PREPARATION": {started},
		"?status=COMPLETED":      {done},
	}
	for query, ids := range want {
		code, body := e.do(t, http.MethodGet, "/production"+query, token.RoleEmployee)
		var list []Record
		if err := json.Unmarshal(body, &list); code != http.StatusOK || err != nil {
			t.Fatalf("GET %s = %d %s", query, code, body)
		}
		var got []string
		for _, r := range list {
			got = append(got, r.ID)
		}
		if strings.Join(got, ",") != strings.Join(ids, ",") {
			t.Errorf("GET /production%s = %v; want %v", query, got, ids)
		}
	}
	if code, body := e.do(t, http.MethodGet, "/production?status=READY", token.RoleEmployee); code != http.StatusBadRequest || errorCode(t, body) != "invalid_request" {
		t.Errorf("unknown status = %d %s; want 400", code, body)
	}
}

func TestHTTPTransitionsPublishToOrderQueue(t *testing.T) {
	t.Parallel()
	e := newKitchenEnv(t)
	id, _ := e.paid(t)

	if code, body := e.do(t, http.MethodPut, "/production/"+id+"/completed", token.RoleEmployee); code != http.StatusConflict || errorCode(t, body) != "invalid_transition" {
		t.Errorf("completed from RECEIVED = %d %s; want 409 invalid_transition", code, body)
	}
	code, body := e.do(t, http.MethodPut, "/production/"+id+"/started", token.RoleEmployee)
	var rec Record
	if err := json.Unmarshal(body, &rec); code != http.StatusOK || err != nil || rec.Status != StatusInPreparation || rec.ID != id {
		t.Fatalf("started = %d %s", code, body)
	}
	e.expectEvent(t, events.ProductionStarted, rec)
	if code, body := e.do(t, http.MethodPut, "/production/"+id+"/started", token.RoleEmployee); code != http.StatusConflict || errorCode(t, body) != "invalid_transition" {
		t.Errorf("started twice = %d %s; want 409 invalid_transition", code, body)
	}
	code, body = e.do(t, http.MethodPut, "/production/"+id+"/completed", token.RoleEmployee)
	if err := json.Unmarshal(body, &rec); code != http.StatusOK || err != nil || rec.Status != StatusCompleted {
		t.Fatalf("completed = %d %s", code, body)
	}
	e.expectEvent(t, events.ProductionCompleted, rec)
	eventually(t, 5*time.Second, func() error { // published, then removed from the outbox in a batch
		if left := e.waiting(t); len(left) != 0 {
			return fmt.Errorf("outbox = %v; want empty", left)
		}
		return nil
	})
	if seen := e.ops.Seen(); !strings.Contains(seen, "BatchWriteItem") || strings.Contains(seen, "DeleteItem") {
		t.Errorf("operations = %s; want the outbox emptied by BatchWriteItem", seen)
	}
	for _, path := range []string{"/production/" + uuid.NewString() + "/started", "/production/nope/completed"} {
		if code, body := e.do(t, http.MethodPut, path, token.RoleEmployee); code != http.StatusNotFound || errorCode(t, body) != "production_not_found" {
			t.Errorf("PUT %s = %d %s; want 404", path, code, body)
		}
	}
}

// expectEvent receives the next message of the order queue and checks it.
func (e *kitchenEnv) expectEvent(t *testing.T, name string, rec Record) {
	t.Helper()
	out, err := e.sqs.ReceiveMessage(t.Context(), &sqs.ReceiveMessageInput{
		QueueUrl: aws.String(e.orderURL), MaxNumberOfMessages: 10, WaitTimeSeconds: 2,
	})
	if err != nil || len(out.Messages) != 1 {
		t.Fatalf("receive from order queue: %d messages, %v", len(out.Messages), err)
	}
	msg := out.Messages[0]
	_, _ = e.sqs.DeleteMessage(t.Context(), &sqs.DeleteMessageInput{QueueUrl: aws.String(e.orderURL), ReceiptHandle: msg.ReceiptHandle})
	env, err := events.Parse([]byte(aws.ToString(msg.Body)))
	if err != nil {
		t.Fatal(err)
	}
	var p events.ProductionPayload
	if err := env.Decode(&p); err != nil {
		t.Fatal(err)
	}
	m := env.Meta
	if m.EventName != name || m.EventSource != events.ProductionService || m.EventTarget != events.OrderService || m.CorrelationID == "" {
		t.Errorf("meta = %+v", m)
	}
	if p.ProductionID != rec.ID || p.OrderID != rec.OrderID || p.Status != string(rec.Status) || !p.At.Equal(rec.UpdatedAt) {
		t.Errorf("payload = %+v; record %+v", p, rec)
	}
}

// flakyPublisher fails while down is set, then passes on to next.
type flakyPublisher struct {
	next outbox.Publisher
	down atomic.Bool
}

func (f *flakyPublisher) PublishBodies(ctx context.Context, queue string, bodies [][]byte) error {
	if f.down.Load() {
		return errors.New("sqs is down")
	}
	return f.next.PublishBodies(ctx, queue, bodies)
}

// A move whose announcement cannot be published stands, and is answered
// 200: the announcement waits in the outbox, stored with the move, and the
// relay publishes it once SQS is back.
func TestHTTPPublishFailureLeavesTheAnnouncementToTheRelay(t *testing.T) {
	t.Parallel()
	// Settle 0: the relay's ticks take the announcement at once, there
	// being no request to race, and fail while SQS is down.
	e := newKitchenEnvWith(t, outbox.Config{Interval: 20 * time.Millisecond})
	e.pub.down.Store(true)
	id, _ := e.paid(t)
	code, body := e.do(t, http.MethodPut, "/production/"+id+"/started", token.RoleEmployee)
	var rec Record
	if err := json.Unmarshal(body, &rec); code != http.StatusOK || err != nil || rec.Status != StatusInPreparation {
		t.Fatalf("started with SQS down = %d %s; want 200", code, body)
	}
	if waiting := e.waiting(t); len(waiting) != 1 || waiting[0].EventName != events.ProductionStarted {
		t.Fatalf("outbox = %v; want the production-started announcement", waiting)
	}

	e.pub.down.Store(false)
	e.expectEvent(t, events.ProductionStarted, rec)
	eventually(t, 5*time.Second, func() error {
		if left := e.waiting(t); len(left) != 0 {
			return fmt.Errorf("outbox after the relay = %v; want empty", left)
		}
		return nil
	})
}

// An order-paid event delivered again, even after the kitchen moved the
// record on, and another event about the same order, leave the one record
// as it is: the record's id is the order's, and it is only created if absent.
func TestOrderPaidRedeliveredMakesOneRecord(t *testing.T) {
	t.Parallel()
	e := newKitchenEnv(t)
	id, env := e.paid(t)
	first, err := e.kitchen.Get(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.kitchen.Advance(t.Context(), id, "started"); err != nil {
		t.Fatal(err)
	}
	other := env
	other.Meta.EventID = uuid.NewString() // the same order, announced again
	for _, again := range []events.Envelope{env, other} {
		if err := e.kitchen.HandleOrderPaid(t.Context(), again); err != nil {
			t.Fatalf("event %s again = %v; want it acknowledged", again.Meta.EventID, err)
		}
	}
	all, err := e.kitchen.store.List(t.Context(), StatusReceived, StatusInPreparation, StatusCompleted)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || all[0].ID != id || all[0].Status != StatusInPreparation || !all[0].CreatedAt.Equal(first.CreatedAt) {
		t.Errorf("records = %+v; want only %s, still IN_PREPARATION, created %v", all, id, first.CreatedAt)
	}
	if seen := e.ops.Seen(); strings.Count(seen, "PutItem") != 3 || strings.Count(seen, "TransactWriteItems") != 1 {
		t.Errorf("operations = %s; want one conditional put per order-paid event and one transaction, the move's", seen)
	}
}

func TestOrderPaidMalformedIsPermanent(t *testing.T) {
	t.Parallel()
	e := newKitchenEnv(t)
	env, err := events.New(events.OrderPaid, events.OrderService, events.ProductionService, "c", events.OrderPaidPayload{OrderID: "nope"})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.kitchen.HandleOrderPaid(t.Context(), env); !errors.Is(err, queue.ErrPermanent) {
		t.Errorf("bad order id: err = %v; want permanent", err)
	}
	env.Payload = []byte(`{"order_id":1}`)
	if err := e.kitchen.HandleOrderPaid(t.Context(), env); !errors.Is(err, events.ErrMalformed) {
		t.Errorf("bad payload: err = %v; want ErrMalformed", err)
	}
}
