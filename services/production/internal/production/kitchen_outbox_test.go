package production

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/google/uuid"

	"github.com/comanda/comanda/harness/awsenv/awstest"
	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/logging"
)

// putAnnouncements writes n announcements straight into the outbox, at at,
// and returns their event ids.
func putAnnouncements(t *testing.T, s *store, n int, at time.Time) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		env, err := events.New(events.ProductionStarted, events.ProductionService, events.OrderService, "corr",
			events.ProductionPayload{ProductionID: uuid.NewString(), OrderID: uuid.NewString(), Status: string(StatusInPreparation), At: at})
		if err != nil {
			t.Fatal(err)
		}
		put, err := outboxPut(s.table, env, at)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.db.PutItem(t.Context(), &dynamodb.PutItemInput{TableName: aws.String(s.table), Item: put.Item}); err != nil {
			t.Fatal(err)
		}
		ids[i] = env.Meta.EventID
	}
	return ids
}

func TestStoreWaitingOnlyOlderThanBefore(t *testing.T) {
	t.Parallel()
	store := newTestStore(t)
	at := time.Now().UTC().Truncate(time.Microsecond)
	id := putAnnouncements(t, store, 1, at)[0]
	if young, err := store.Waiting(t.Context(), at, 10); err != nil || len(young) != 0 {
		t.Errorf("Waiting(before its writing) = %v, %v; want nothing", young, err)
	}
	old, err := store.Waiting(t.Context(), at.Add(time.Microsecond), 10)
	if err != nil || len(old) != 1 || old[0].pending().eventID != id || old[0].CorrelationID != "corr" {
		t.Errorf("Waiting(after its writing) = %+v, %v; want event %s", old, err, id)
	}
}

func TestStoreSentDeletesInBatches(t *testing.T) {
	t.Parallel()
	_, clients := awstest.Clients(t)
	var ops opRecorder
	store := newStore(ops.client(clients.DynamoDB), awstest.CreateTable(t, clients, "kitchen-orders"))
	ids := putAnnouncements(t, store, maxBatchWrite+5, time.Now())
	if err := store.Sent(t.Context(), append(ids, ids[0])); err != nil { // a duplicate id is harmless
		t.Fatal(err)
	}
	if left, err := store.Waiting(t.Context(), time.Now(), 100); err != nil || len(left) != 0 {
		t.Errorf("outbox after Sent = %d items, %v; want empty", len(left), err)
	}
	if seen := ops.seen(); strings.Count(seen, "BatchWriteItem") != 2 || strings.Contains(seen, "DeleteItem") {
		t.Errorf("operations = %s; want two BatchWriteItem for %d deletions", seen, len(ids))
	}
}

// A service that dies after committing a move, before publishing its
// announcement, has it published by the relay of the next start.
func TestCrashAfterMoveIsAnnouncedByTheRelay(t *testing.T) {
	t.Parallel()
	e := newKitchenEnv(t)
	id, _ := e.paid(t)
	started, _ := TransitionFor("started")
	crashed := e.kitchen.announcer.announcement(logging.WithCorrelationID(t.Context(), "corr-"+id), started)
	moved, err := e.store.Transition(t.Context(), id, started, time.Now(), crashed) // and nothing published
	if err != nil {
		t.Fatal(err)
	}

	restarted := NewKitchen(e.store, e.kitchen.announcer.pub, testLog())
	restarted.announcer.relayAfter = 50 * time.Millisecond
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- restarted.RelayOutbox(ctx, 20*time.Millisecond) }()
	e.expectEvent(t, events.ProductionStarted, moved)
	eventually(t, 5*time.Second, func() error {
		if left, err := e.store.Waiting(t.Context(), time.Now(), 10); err != nil || len(left) != 0 {
			return fmt.Errorf("outbox = %v, %v; want empty", left, err)
		}
		return nil
	})
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
