package outbox_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/comanda/comanda/harness/awsenv/awstest"
	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/dynamo"
	"github.com/comanda/comanda/services/platform/outbox"
)

// statusIndex is the kitchen table's index the DynamoDB outbox sweeps by.
const statusIndex = "status-created_at-index"

// dynamoFixture is a fresh kitchen table, its outbox and the operations
// made on it.
type dynamoFixture struct {
	db    *dynamodb.Client
	table string
	store *outbox.DynamoStore
	ops   *awstest.Calls
}

func newDynamoFixture(t *testing.T) dynamoFixture {
	t.Helper()
	_, clients := awstest.Clients(t)
	ops := &awstest.Calls{}
	db := ops.DynamoDB(clients.DynamoDB)
	table := awstest.CreateTable(t, clients, "kitchen-orders")
	return dynamoFixture{db: db, table: table, store: outbox.NewDynamoStore(db, table, statusIndex), ops: ops}
}

// put writes a fresh event for queue to the outbox, as written at at, and
// returns its message.
func (f dynamoFixture) put(t *testing.T, queue string, at time.Time) outbox.Message {
	t.Helper()
	env, err := events.New(events.ProductionStarted, events.ProductionService, events.OrderService, "corr",
		events.ProductionPayload{ProductionID: "p", OrderID: "o", Status: "IN_PREPARATION", At: at})
	if err != nil {
		t.Fatal(err)
	}
	m, err := outbox.NewMessage(queue, env)
	if err != nil {
		t.Fatal(err)
	}
	item, err := f.store.Put(m, at)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.TransactWriteItems(t.Context(), &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{item}}); err != nil {
		t.Fatal(err)
	}
	return m
}

// waiting is every message the outbox holds, left in place.
func (f dynamoFixture) waiting(t *testing.T) []outbox.Message {
	t.Helper()
	var all []outbox.Message
	_, err := f.store.Sweep(t.Context(), 0, 100, func(_ context.Context, msgs []outbox.Message) ([]string, error) {
		all = msgs
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// The item format is what tables in service hold: it must not change.
func TestDynamoItemFormat(t *testing.T) {
	t.Parallel()
	f := newDynamoFixture(t)
	at := time.Date(2025, 3, 1, 12, 0, 0, 123456000, time.UTC)
	m := f.put(t, events.OrderQueue, at)
	out, err := f.db.GetItem(t.Context(), &dynamodb.GetItemInput{TableName: aws.String(f.table), Key: dynamo.Key("outbox#" + m.EventID)})
	if err != nil || out.Item == nil {
		t.Fatalf("get outbox#%s = %v, %v", m.EventID, out.Item, err)
	}
	var got map[string]any
	if err := attributevalue.UnmarshalMap(out.Item, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"id": "outbox#" + m.EventID, "status": "OUTBOX", "created_at": "2025-03-01T12:00:00.123456Z",
		"queue": events.OrderQueue, "body": string(m.Body), "event_name": events.ProductionStarted,
		"correlation_id": "corr", "ttl": float64(at.Add(15 * 24 * time.Hour).Unix()),
	}
	if len(got) != len(want) {
		t.Errorf("item has %d attributes %v; want %d", len(got), got, len(want))
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %v; want %v", k, got[k], w)
		}
	}
}

// A sweep takes what is at least minAge old, oldest first, with the
// envelope's identity, and removes what publish sent, only that.
func TestDynamoSweep(t *testing.T) {
	t.Parallel()
	f := newDynamoFixture(t)
	now := time.Now()
	older := f.put(t, events.OrderQueue, now.Add(-2*time.Minute))
	old := f.put(t, events.OrderQueue, now.Add(-time.Minute))
	f.put(t, events.OrderQueue, now)
	var taken []outbox.Message
	publishFirst := func(_ context.Context, msgs []outbox.Message) ([]string, error) {
		taken = msgs
		return []string{msgs[0].ID}, nil
	}
	n, err := f.store.Sweep(t.Context(), 30*time.Second, 10, publishFirst)
	if err != nil || n != 2 {
		t.Fatalf("Sweep(30s old) = %d, %v; want the two older", n, err)
	}
	if taken[0].ID != older.ID || taken[1].ID != old.ID || taken[0].EventID != older.EventID ||
		taken[0].EventName != events.ProductionStarted || taken[0].CorrelationID != "corr" ||
		taken[0].Queue != events.OrderQueue || string(taken[0].Body) != string(older.Body) {
		t.Errorf("taken %+v; want %s then %s, as written", taken, older.ID, old.ID)
	}
	if left := f.waiting(t); len(left) != 2 || left[0].ID != old.ID {
		t.Errorf("left %d messages, first %+v; want the two not sent", len(left), left)
	}
}

// Remove deletes in BatchWriteItems of 25, a key named twice once.
func TestDynamoRemoveDeletesInBatches(t *testing.T) {
	t.Parallel()
	f := newDynamoFixture(t)
	var ids []string
	for range 30 {
		ids = append(ids, f.put(t, events.OrderQueue, time.Now()).ID)
	}
	if err := f.store.Remove(t.Context(), append(ids, ids[0])); err != nil {
		t.Fatal(err)
	}
	if left := f.waiting(t); len(left) != 0 {
		t.Errorf("outbox after Remove = %d items; want empty", len(left))
	}
	if seen := f.ops.Seen(); strings.Count(seen, "BatchWriteItem") != 2 || strings.Contains(seen, "DeleteItem") {
		t.Errorf("operations = %s; want two BatchWriteItem for %d deletions", seen, len(ids))
	}
}
