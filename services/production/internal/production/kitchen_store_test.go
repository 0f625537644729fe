package production

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/harness/awsenv/awstest"
	"github.com/comanda/comanda/services/events"
)

// newRecordAt is a RECEIVED record for a fresh order, created at at.
func newRecordAt(t *testing.T, at time.Time) Record {
	t.Helper()
	rec, err := NewRecord(events.OrderPaidPayload{
		OrderID: uuid.NewString(), CustomerName: "Ana",
		Items: []events.OrderItem{{Name: "X-Burger", Quantity: 1}, {Name: "Suco", Quantity: 2}},
	}, at)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func newTestStore(t *testing.T) *store {
	t.Helper()
	_, clients := awstest.Clients(t)
	return newStore(clients.DynamoDB, awstest.CreateTable(t, clients, "kitchen-orders"))
}

func TestStoreCreateOncePerOrder(t *testing.T) {
	t.Parallel()
	store := newTestStore(t)
	rec := newRecordAt(t, time.Now())
	if created, err := store.Create(t.Context(), rec); err != nil || !created {
		t.Fatalf("first Create = %v, %v; want created", created, err)
	}
	again := rec
	again.CustomerName = "someone else"
	if created, err := store.Create(t.Context(), again); err != nil || created {
		t.Fatalf("second Create = %v, %v; want a no-op", created, err)
	}
	got, err := store.Get(t.Context(), rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.CustomerName != "Ana" || !got.CreatedAt.Equal(rec.CreatedAt) || len(got.Items) != 2 || got.Items[1].Quantity != 2 {
		t.Errorf("stored record = %+v; want the first one, %+v", got, rec)
	}
	if _, err := store.Get(t.Context(), uuid.NewString()); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get(unknown) err = %v; want ErrNotFound", err)
	}
}

func TestStoreListOldestFirstWithoutScan(t *testing.T) {
	t.Parallel()
	_, clients := awstest.Clients(t)
	table := awstest.CreateTable(t, clients, "kitchen-orders")
	var ops awstest.Calls
	store := newStore(ops.DynamoDB(clients.DynamoDB), table)
	store.pageSize = 2 // forces several pages per status

	base := time.Now().Add(-time.Hour)
	recs := make([]Record, 7)
	for i, n := range []int{3, 0, 6, 1, 5, 2, 4} { // stored out of order
		recs[n] = newRecordAt(t, base.Add(time.Duration(n)*time.Second+time.Duration(n)*time.Microsecond))
		if _, err := store.Create(t.Context(), recs[n]); err != nil {
			t.Fatalf("create %d: %v", i, err)
		}
	}
	started, _ := TransitionFor("started")
	completed, _ := TransitionFor("completed")
	for _, n := range []int{1, 4, 5} {
		if _, err := store.Transition(t.Context(), recs[n].ID, started, time.Now(), nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := store.Transition(t.Context(), recs[5].ID, completed, time.Now(), nil); err != nil {
		t.Fatal(err)
	}

	open, err := store.List(t.Context(), StatusReceived, StatusInPreparation)
	if err != nil {
		t.Fatal(err)
	}
	assertIDs(t, "open", open, recs[0], recs[1], recs[2], recs[3], recs[4], recs[6])
	preparing, err := store.List(t.Context(), StatusInPreparation)
	if err != nil {
		t.Fatal(err)
	}
	assertIDs(t, "in preparation", preparing, recs[1], recs[4])
	done, err := store.List(t.Context(), StatusCompleted)
	if err != nil {
		t.Fatal(err)
	}
	assertIDs(t, "completed", done, recs[5])
	// Four queries (RECEIVED, IN_PREPARATION twice, COMPLETED) if nothing
	// paged; the four RECEIVED records in pages of two need one more.
	if seen := ops.Seen(); strings.Contains(seen, "Scan") || strings.Count(seen, "Query") < 5 {
		t.Errorf("operations = %s; want paged queries and no scan", seen)
	}
}

func assertIDs(t *testing.T, what string, got []Record, want ...Record) {
	t.Helper()
	ids := func(rs []Record) string {
		var s []string
		for _, r := range rs {
			s = append(s, r.ID)
		}
		return strings.Join(s, "\n")
	}
	if ids(got) != ids(want) {
		t.Errorf("%s:\n%s\nwant:\n%s", what, ids(got), ids(want))
	}
}

func TestStoreTransitionsAreConditional(t *testing.T) {
	t.Parallel()
	store := newTestStore(t)
	rec := newRecordAt(t, time.Now())
	if _, err := store.Create(t.Context(), rec); err != nil {
		t.Fatal(err)
	}
	started, _ := TransitionFor("started")
	completed, _ := TransitionFor("completed")

	if _, err := store.Transition(t.Context(), rec.ID, completed, time.Now(), nil); !errors.Is(err, ErrInvalidTransition) {
		t.Errorf("completed from RECEIVED: err = %v; want ErrInvalidTransition", err)
	}
	at := time.Now().Add(time.Minute).UTC().Truncate(time.Microsecond)
	moved, err := store.Transition(t.Context(), rec.ID, started, at, nil)
	if err != nil {
		t.Fatal(err)
	}
	if moved.Status != StatusInPreparation || !moved.UpdatedAt.Equal(at) || !moved.CreatedAt.Equal(rec.CreatedAt) || moved.OrderID != rec.OrderID {
		t.Errorf("after started: %+v", moved)
	}
	if _, err := store.Transition(t.Context(), rec.ID, started, time.Now(), nil); !errors.Is(err, ErrInvalidTransition) {
		t.Errorf("started twice: err = %v; want ErrInvalidTransition", err)
	}
	if _, err := store.Transition(t.Context(), uuid.NewString(), started, time.Now(), nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown record: err = %v; want ErrNotFound", err)
	}
	if done, err := store.Transition(t.Context(), rec.ID, completed, time.Now(), nil); err != nil || done.Status != StatusCompleted {
		t.Errorf("completed from IN_PREPARATION = %+v, %v", done, err)
	}
}

// A record the store created is moved without being read first: one write
// a move, not a read and a write.
func TestStoreMovesARecordItKnowsWithoutReadingIt(t *testing.T) {
	t.Parallel()
	_, clients := awstest.Clients(t)
	var ops awstest.Calls
	store := newStore(ops.DynamoDB(clients.DynamoDB), awstest.CreateTable(t, clients, "kitchen-orders"))
	rec := newRecordAt(t, time.Now())
	if _, err := store.Create(t.Context(), rec); err != nil {
		t.Fatal(err)
	}
	started, _ := TransitionFor("started")
	completed, _ := TransitionFor("completed")
	for _, move := range []Transition{started, completed} {
		moved, err := store.Transition(t.Context(), rec.ID, move, time.Now(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if moved.Status != move.To || moved.OrderID != rec.OrderID || moved.CustomerName != rec.CustomerName ||
			len(moved.Items) != len(rec.Items) || !moved.CreatedAt.Equal(rec.CreatedAt) {
			t.Errorf("after %s: %+v; want the record %+v, moved", move.Action, moved, rec)
		}
	}
	if seen := ops.Seen(); strings.Contains(seen, "GetItem") || strings.Count(seen, "TransactWriteItems") != 2 {
		t.Errorf("operations %s; want a PutItem and two TransactWriteItems, no read", seen)
	}
}

// What a store remembers of a record's status may be stale: another replica
// may have moved it. Its moves must still be right.
func TestStoreMovesAreRightWhateverItRemembers(t *testing.T) {
	t.Parallel()
	_, clients := awstest.Clients(t)
	table := awstest.CreateTable(t, clients, "kitchen-orders")
	mine, other := newStore(clients.DynamoDB, table), newStore(clients.DynamoDB, table)
	rec := newRecordAt(t, time.Now())
	if _, err := mine.Create(t.Context(), rec); err != nil { // mine remembers it RECEIVED
		t.Fatal(err)
	}
	started, _ := TransitionFor("started")
	completed, _ := TransitionFor("completed")
	if _, err := other.Transition(t.Context(), rec.ID, started, time.Now(), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := mine.Transition(t.Context(), rec.ID, started, time.Now(), nil); !errors.Is(err, ErrInvalidTransition) {
		t.Errorf("started again, by a store that remembers it RECEIVED: err = %v; want ErrInvalidTransition", err)
	}
	done, err := mine.Transition(t.Context(), rec.ID, completed, time.Now(), nil)
	if err != nil || done.Status != StatusCompleted || done.OrderID != rec.OrderID {
		t.Errorf("completed = %+v, %v; want the record COMPLETED", done, err)
	}
	got, err := other.Get(t.Context(), rec.ID)
	if err != nil || got.Status != StatusCompleted {
		t.Errorf("stored: %+v, %v; want COMPLETED", got, err)
	}
}
