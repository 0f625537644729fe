package order

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/google/uuid"
	"go.opentelemetry.io/otel/metric/noop"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/logging"
)

// catalog prices products.
type catalog interface {
	Products(ctx context.Context, ids []string) (map[string]Product, error)
}

// notifier wakes the outbox relay after a commit that wrote messages
// (outbox.Relay).
//
// This call is the relay's only wake-up; the outbox does not use
// PostgreSQL's LISTEN/NOTIFY. The process that commits knows it wrote
// messages, so waking its own relay costs nothing, whereas NOTIFY would
// serialise the commits of every transaction that writes messages on one
// lock of the whole PostgreSQL cluster, hold a connection per replica
// listening, and wake every replica to race for rows one of them takes. Should a replica die between
// its commit and its relay's sweep, any replica's next tick
// (OUTBOX_INTERVAL) publishes what it left.
type notifier interface {
	Notify()
}

// Viewer is who asks to see orders: a customer sees their own, an employee all.
type Viewer struct {
	ID       string
	Employee bool
}

// Orders is the service's use cases, over the store.
type Orders struct {
	store   *store
	catalog catalog
	relay   notifier
	log     *slog.Logger
	now     func() time.Time
	// maxOpen is how many unpaid orders a customer may hold; 0 is no limit.
	maxOpen int
	metrics orderMetrics
}

// NewOrders wires the use cases; a customer holds at most maxOpen unpaid
// orders (0: no limit).
func NewOrders(store *store, c catalog, relay notifier, maxOpen int, log *slog.Logger) *Orders {
	return &Orders{store: store, catalog: c, relay: relay, log: log, maxOpen: maxOpen,
		metrics: newOrderMetrics(noop.NewMeterProvider()),
		now:     func() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }}
}

// Place prices lines from the catalog and stores a RECEIVED order together
// with the request for its payment.
func (s *Orders) Place(ctx context.Context, c Customer, lines []Line) (Order, error) {
	items, err := s.price(ctx, lines)
	if err != nil {
		return Order{}, err
	}
	o := New(uuid.NewString(), c, items, s.now())
	env, err := events.New(events.OrderPaymentRequested, events.OrderService, events.PaymentService,
		logging.CorrelationID(ctx), paymentRequest(o))
	if err != nil {
		return Order{}, err
	}
	if err := s.store.Create(ctx, o, s.maxOpen, Message{Queue: events.PaymentQueue, Envelope: env.Traced(ctx)}); err != nil {
		return Order{}, err
	}
	s.relay.Notify()
	s.metrics.moved(ctx, "none", o.Status)
	s.log.InfoContext(ctx, "order placed", "order_id", o.ID, "customer_id", c.ID, "total", o.Total.String())
	return o, nil
}

// price turns lines into items with the catalog's names and prices, asking
// for each distinct product once, in one call.
func (s *Orders) price(ctx context.Context, lines []Line) ([]Item, error) {
	var ids []string
	for _, l := range lines {
		if !slices.Contains(ids, l.ProductID) {
			ids = append(ids, l.ProductID)
		}
	}
	products, err := s.catalog.Products(ctx, ids)
	if err != nil {
		return nil, err
	}
	var unknown []string
	items := make([]Item, 0, len(lines))
	for _, l := range lines {
		p, ok := products[l.ProductID]
		if !ok {
			if !slices.Contains(unknown, l.ProductID) {
				unknown = append(unknown, l.ProductID)
			}
			continue
		}
		items = append(items, Item{ProductID: l.ProductID, Name: p.Name, UnitPrice: p.Price, Quantity: l.Quantity})
	}
	if len(unknown) > 0 {
		return nil, &UnknownProductsError{IDs: unknown}
	}
	return items, nil
}

// Get returns the order if v may see it; ErrOrderNotFound otherwise, so a
// stranger cannot learn that it exists.
func (s *Orders) Get(ctx context.Context, v Viewer, id string) (Order, error) {
	o, err := s.store.Get(ctx, id)
	if err != nil {
		return Order{}, err
	}
	if !v.Employee && o.Customer.ID != v.ID {
		return Order{}, fmt.Errorf("%w: %s is not %s's", ErrOrderNotFound, id, v.ID)
	}
	return o, nil
}

// List returns the orders v may see, newest first; status "" is any.
func (s *Orders) List(ctx context.Context, v Viewer, status Status, limit int) ([]Order, error) {
	f := ListFilter{Status: status, Limit: limit}
	if !v.Employee {
		f.CustomerID = v.ID
	}
	return s.store.List(ctx, f)
}

// Deliver records the hand-over of a READY order; ErrInvalidTransition otherwise.
func (s *Orders) Deliver(ctx context.Context, id string) (Order, error) {
	o, err := s.store.Update(ctx, id, "", func(o *Order) ([]Message, error) {
		_, err := o.Apply(TriggerDelivered, s.now())
		return nil, err
	})
	if err != nil {
		return Order{}, err
	}
	s.metrics.moved(ctx, StatusReady, o.Status)
	s.log.InfoContext(ctx, "order delivered", "order_id", id)
	return o, nil
}

func paymentRequest(o Order) events.OrderPaymentRequestedPayload {
	return events.OrderPaymentRequestedPayload{
		OrderID: o.ID, CustomerID: o.Customer.ID, CustomerName: o.Customer.Name,
		AmountCents: int64(o.Total), Items: eventItems(o.Items),
	}
}

func eventItems(items []Item) []events.OrderItem {
	out := make([]events.OrderItem, len(items))
	for i, it := range items {
		out[i] = events.OrderItem{ProductID: it.ProductID, Name: it.Name, Quantity: it.Quantity, UnitPriceCents: int64(it.UnitPrice)}
	}
	return out
}
