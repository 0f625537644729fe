package order

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/money"
)

// storeFixture is a store on a fresh database with use cases over it.
type storeFixture struct {
	store  *store
	orders *Orders
	relay  *countingRelay
	menu   menu
	ids    []string
}

func newStoreFixture(t *testing.T) *storeFixture {
	t.Helper()
	m, ids := newMenu(3)
	store := newStore(newPool(t))
	relay := &countingRelay{}
	orders := NewOrders(store, m, relay, 5, logging.Discard())
	orders.now = tickingClock()
	return &storeFixture{store: store, orders: orders, relay: relay, menu: m, ids: ids}
}

func (f *storeFixture) place(t *testing.T, customerID string, lines ...Line) Order {
	t.Helper()
	if len(lines) == 0 {
		lines = []Line{{ProductID: f.ids[0], Quantity: 2}, {ProductID: f.ids[1], Quantity: 1}}
	}
	o, err := f.orders.Place(t.Context(), Customer{ID: customerID, Name: "Ana"}, lines)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestStoreCreateAndGet(t *testing.T) {
	t.Parallel()
	f := newStoreFixture(t)
	customer := uuid.NewString()
	placed := f.place(t, customer, Line{f.ids[0], 2}, Line{f.ids[1], 1}, Line{f.ids[0], 3})
	got, err := f.store.Get(t.Context(), placed.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Customer != (Customer{ID: customer, Name: "Ana"}) || got.Status != StatusReceived || got.Payment != nil {
		t.Errorf("order = %+v", got)
	}
	wantTotal := money.Cents(5*1050 + 1150)
	if got.Total != wantTotal || placed.Total != wantTotal {
		t.Errorf("total = %v (placed %v); want %v", got.Total, placed.Total, wantTotal)
	}
	if !slices.Equal(got.Items, placed.Items) || len(got.Items) != 3 || got.Items[2].Quantity != 3 {
		t.Errorf("items = %+v; want %+v", got.Items, placed.Items)
	}
	if !got.CreatedAt.Equal(placed.CreatedAt) || len(got.History) != 1 || !got.History[0].At.Equal(placed.CreatedAt) {
		t.Errorf("times = %v, history %+v; want %v", got.CreatedAt, got.History, placed.CreatedAt)
	}
	if f.relay.n.Load() != 1 {
		t.Errorf("relay notified %d times; want 1", f.relay.n.Load())
	}
}

// An order is written whole or not at all, its payment request included,
// though its statements go in one round trip.
func TestStoreCreateIsAllOrNothing(t *testing.T) {
	t.Parallel()
	f := newStoreFixture(t)
	o := New(uuid.NewString(), Customer{ID: uuid.NewString(), Name: "Ana"}, []Item{
		{ProductID: f.ids[0], Name: "X-Burger", UnitPrice: 1050, Quantity: 1},
		{ProductID: f.ids[1], Name: "Batata", UnitPrice: 1150, Quantity: 0}, // the table's CHECK refuses it
	}, time.Now().UTC())
	env, err := events.New(events.OrderPaymentRequested, events.OrderService, events.PaymentService, "", paymentRequest(o))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.Create(t.Context(), o, 0, Message{Queue: events.PaymentQueue, Envelope: env}); err == nil {
		t.Fatal("Create with a line of quantity 0 succeeded")
	}
	if _, err := f.store.Get(t.Context(), o.ID); !errors.Is(err, ErrOrderNotFound) {
		t.Errorf("Get after a failed Create = %v; want ErrOrderNotFound", err)
	}
	var waiting int
	if err := f.store.pool.QueryRow(t.Context(), `SELECT count(*) FROM outbox`).Scan(&waiting); err != nil || waiting != 0 {
		t.Errorf("outbox holds %d rows (%v) after a failed Create; want 0", waiting, err)
	}
}

func TestStoreGetUnknown(t *testing.T) {
	t.Parallel()
	f := newStoreFixture(t)
	if _, err := f.store.Get(t.Context(), uuid.NewString()); !errors.Is(err, ErrOrderNotFound) {
		t.Fatalf("Get(unknown) = %v; want ErrOrderNotFound", err)
	}
}

func TestStoreList(t *testing.T) {
	t.Parallel()
	f := newStoreFixture(t)
	ana, bia := uuid.NewString(), uuid.NewString()
	a1, b1, a2 := f.place(t, ana), f.place(t, bia), f.place(t, ana)
	payment := Payment{ID: uuid.NewString(), Status: PaymentPending}
	if err := f.orders.ApplyPayment(t.Context(), uuid.NewString(), a2.ID, payment, a2.Total, ""); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		filter ListFilter
		want   []string
	}{
		{"all, newest first", ListFilter{Limit: 50}, []string{a2.ID, b1.ID, a1.ID}},
		{"limit", ListFilter{Limit: 2}, []string{a2.ID, b1.ID}},
		{"one customer", ListFilter{CustomerID: ana, Limit: 50}, []string{a2.ID, a1.ID}},
		{"by status", ListFilter{Status: StatusReceived, Limit: 50}, []string{b1.ID, a1.ID}},
		{"customer and status", ListFilter{CustomerID: ana, Status: StatusAwaitingPayment, Limit: 50}, []string{a2.ID}},
		{"nobody's", ListFilter{CustomerID: uuid.NewString(), Limit: 50}, nil},
	}
	for _, tc := range tests {
		got, err := f.store.List(t.Context(), tc.filter)
		if err != nil {
			t.Fatal(err)
		}
		if ids := orderIDs(got); !slices.Equal(ids, tc.want) {
			t.Errorf("%s: ids = %v; want %v", tc.name, ids, tc.want)
		}
		for _, o := range got {
			if len(o.Items) != 2 || len(o.History) == 0 {
				t.Errorf("%s: order %s lacks details: %+v", tc.name, o.ID, o)
			}
		}
	}
}

func TestListVisibility(t *testing.T) {
	t.Parallel()
	f := newStoreFixture(t)
	ana, bia := uuid.NewString(), uuid.NewString()
	a, b := f.place(t, ana), f.place(t, bia)
	mine, err := f.orders.List(t.Context(), Viewer{ID: ana}, "", 50)
	if err != nil || !slices.Equal(orderIDs(mine), []string{a.ID}) {
		t.Errorf("customer list = %v, %v; want only %s", orderIDs(mine), err, a.ID)
	}
	all, err := f.orders.List(t.Context(), Viewer{ID: uuid.NewString(), Employee: true}, "", 50)
	if err != nil || !slices.Equal(orderIDs(all), []string{b.ID, a.ID}) {
		t.Errorf("employee list = %v, %v; want both", orderIDs(all), err)
	}
	if _, err := f.orders.Get(t.Context(), Viewer{ID: bia}, a.ID); !errors.Is(err, ErrOrderNotFound) {
		t.Errorf("stranger Get = %v; want ErrOrderNotFound", err)
	}
}

func TestEventsAreAppliedOnce(t *testing.T) {
	t.Parallel()
	f := newStoreFixture(t)
	o := f.place(t, uuid.NewString())
	eventID := uuid.NewString()
	created := Payment{ID: uuid.NewString(), Status: PaymentPending, QRCode: "00020126", TicketURL: "https://pay.example/t"}
	if err := f.orders.ApplyPayment(t.Context(), eventID, o.ID, created, o.Total, ""); err != nil {
		t.Fatal(err)
	}
	err := f.orders.ApplyPayment(t.Context(), eventID, o.ID, created, o.Total, "")
	if !errors.Is(err, errDuplicateEvent) {
		t.Fatalf("second delivery = %v; want errDuplicateEvent", err)
	}
	got := mustGet(t, f.store, o.ID)
	wantHistory := []Status{StatusReceived, StatusAwaitingPayment}
	if !slices.Equal(historyStatuses(got), wantHistory) || got.Status != StatusAwaitingPayment {
		t.Fatalf("order = %s %v; want AWAITING_PAYMENT %v", got.Status, historyStatuses(got), wantHistory)
	}
	if got.Payment == nil || got.Payment.QRCode != "00020126" || got.Payment.ExpiresAt != nil {
		t.Fatalf("payment = %+v", got.Payment)
	}
}

func TestConcurrentDeliveriesApplyOnce(t *testing.T) {
	t.Parallel()
	f := newStoreFixture(t)
	o := f.place(t, uuid.NewString())
	approved := Payment{ID: uuid.NewString(), Status: PaymentApproved}
	eventID := uuid.NewString()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			errs <- f.orders.ApplyPayment(context.WithoutCancel(t.Context()), eventID, o.ID, approved, o.Total, "")
		})
	}
	wg.Wait()
	close(errs)
	applied := 0
	for err := range errs {
		switch {
		case err == nil:
			applied++
		case !errors.Is(err, errDuplicateEvent):
			t.Errorf("delivery failed: %v", err)
		}
	}
	if applied != 1 {
		t.Errorf("applied %d times; want 1", applied)
	}
	if n := countOutbox(t, f.store, events.OrderPaid); n != 1 {
		t.Errorf("%d order-paid events; want 1", n)
	}
}

func TestApprovalBeforeCreation(t *testing.T) {
	t.Parallel()
	f := newStoreFixture(t)
	o := f.place(t, uuid.NewString())
	exp := time.Now().UTC().Add(30 * time.Minute).Truncate(time.Millisecond)
	paymentID := uuid.NewString()
	approved := Payment{ID: paymentID, Status: PaymentApproved, QRCode: "qr", QRCodeBase64: "iVBOR", TicketURL: "t", ExpiresAt: &exp}
	if err := f.orders.ApplyPayment(t.Context(), uuid.NewString(), o.ID, approved, o.Total, ""); err != nil {
		t.Fatal(err)
	}
	created := Payment{ID: paymentID, Status: PaymentPending, QRCode: "qr", ExpiresAt: &exp}
	if err := f.orders.ApplyPayment(t.Context(), uuid.NewString(), o.ID, created, o.Total, ""); err != nil {
		t.Fatalf("late payment-created: %v", err)
	}
	got := mustGet(t, f.store, o.ID)
	want := []Status{StatusReceived, StatusAwaitingPayment, StatusPaid}
	if got.Status != StatusPaid || !slices.Equal(historyStatuses(got), want) {
		t.Fatalf("order = %s %v; want PAID %v", got.Status, historyStatuses(got), want)
	}
	if p := got.Payment; p == nil || p.Status != PaymentApproved || p.QRCodeBase64 != "iVBOR" || p.ExpiresAt == nil || !p.ExpiresAt.Equal(exp) {
		t.Fatalf("payment = %+v; want the approved snapshot", got.Payment)
	}
	if n := countOutbox(t, f.store, events.OrderPaid); n != 1 {
		t.Fatalf("%d order-paid events; want 1", n)
	}
}

func TestKitchenEvents(t *testing.T) {
	t.Parallel()
	f := newStoreFixture(t)
	o := f.place(t, uuid.NewString())
	ctx := t.Context()
	steps := []func() error{
		func() error { return f.orders.ApplyKitchen(ctx, uuid.NewString(), o.ID, TriggerKitchenStarted) }, // too early: ignored
		func() error {
			return f.orders.ApplyPayment(ctx, uuid.NewString(), o.ID, Payment{ID: "p", Status: PaymentApproved}, o.Total, "")
		},
		func() error { return f.orders.ApplyKitchen(ctx, uuid.NewString(), o.ID, TriggerKitchenCompleted) },
		func() error { return f.orders.ApplyKitchen(ctx, uuid.NewString(), o.ID, TriggerKitchenStarted) }, // late: ignored
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	got := mustGet(t, f.store, o.ID)
	want := []Status{StatusReceived, StatusAwaitingPayment, StatusPaid, StatusInPreparation, StatusReady}
	if got.Status != StatusReady || !slices.Equal(historyStatuses(got), want) {
		t.Fatalf("order = %s %v; want READY %v", got.Status, historyStatuses(got), want)
	}
	if _, err := f.orders.Deliver(ctx, o.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.orders.Deliver(ctx, o.ID); !errors.Is(err, ErrInvalidTransition) {
		t.Fatalf("second delivery = %v; want ErrInvalidTransition", err)
	}
}

func TestEventForUnknownOrder(t *testing.T) {
	t.Parallel()
	f := newStoreFixture(t)
	err := f.orders.ApplyKitchen(t.Context(), uuid.NewString(), uuid.NewString(), TriggerKitchenStarted)
	if !errors.Is(err, ErrOrderNotFound) {
		t.Fatalf("ApplyKitchen(unknown) = %v; want ErrOrderNotFound", err)
	}
}

func mustGet(t *testing.T, s *store, id string) Order {
	t.Helper()
	o, err := s.Get(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func orderIDs(orders []Order) []string {
	var ids []string
	for _, o := range orders {
		ids = append(ids, o.ID)
	}
	return ids
}

// countOutbox counts the outbox rows carrying eventName.
func countOutbox(t *testing.T, s *store, eventName string) int {
	t.Helper()
	var n int
	err := s.pool.QueryRow(t.Context(), `SELECT count(*) FROM outbox WHERE body::jsonb -> 'meta' ->> 'event_name' = $1`, eventName).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A customer holds at most the limit of unpaid orders, however many are
// placed at once; one paid frees a place.
func TestOpenOrdersAreCappedPerCustomer(t *testing.T) {
	t.Parallel()
	f := newStoreFixture(t)
	customer := uuid.NewString()
	var placed []Order
	var mu sync.Mutex
	var wg sync.WaitGroup
	refused := 0
	for range 20 {
		wg.Go(func() {
			o, err := f.orders.Place(context.WithoutCancel(t.Context()), Customer{ID: customer, Name: "Ana"},
				[]Line{{ProductID: f.ids[0], Quantity: 1}})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				placed = append(placed, o)
			case errors.Is(err, ErrTooManyOpenOrders):
				refused++
			default:
				t.Errorf("place: %v", err)
			}
		})
	}
	wg.Wait()
	if len(placed) != 5 || refused != 15 {
		t.Fatalf("%d placed, %d refused; want 5 and 15", len(placed), refused)
	}
	// Another customer is not affected.
	f.place(t, uuid.NewString())
	// Paying one frees a place, for one more order only.
	paid := placed[0]
	if err := f.orders.ApplyPayment(t.Context(), uuid.NewString(), paid.ID, Payment{ID: "p", Status: PaymentApproved}, paid.Total, ""); err != nil {
		t.Fatal(err)
	}
	f.place(t, customer)
	if _, err := f.orders.Place(t.Context(), Customer{ID: customer, Name: "Ana"}, []Line{{ProductID: f.ids[0], Quantity: 1}}); !errors.Is(err, ErrTooManyOpenOrders) {
		t.Fatalf("a sixth unpaid order: %v; want ErrTooManyOpenOrders", err)
	}
}
