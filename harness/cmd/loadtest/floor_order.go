package main

// The floor's order service: the statements it makes to place an order and
// to apply an event to it, in the round trips it makes them in.

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/outbox"
	"github.com/comanda/comanda/services/platform/postgres"
)

// orderRow is an order as its tables hold it, all of it read as the order
// service reads it.
type orderRow struct {
	id, customerID, customerName, status string
	totalCents                           int64
	paymentID, paymentStatus             *string
	qrCode, qrCodeBase64, ticketURL      *string
	expiresAt                            *time.Time
	createdAt, updatedAt                 time.Time
	cancellationReason                   *string
	items                                []events.OrderItem
	history                              []historyEntry
}

type historyEntry struct {
	status string
	at     time.Time
}

// orderMoves is the order's status machine on the happy path: the status
// each event moves the order from, and to.
var orderMoves = map[string]struct{ from, to string }{
	events.PaymentCreated:      {"RECEIVED", "AWAITING_PAYMENT"},
	events.PaymentCompleted:    {"AWAITING_PAYMENT", "PAID"},
	events.ProductionStarted:   {"PAID", "IN_PREPARATION"},
	events.ProductionCompleted: {"IN_PREPARATION", "READY"},
}

// place prices the lines from the catalog's database, then stores the
// order with its payment request in the outbox, in one batch (its own
// implicit transaction).
func (w *floorWorker) place(ctx context.Context, o *floorOrder) error {
	items, err := w.f.price(ctx)
	if err != nil {
		return err
	}
	now := floorNow()
	ord := orderRow{id: uuid.NewString(), customerID: uuid.NewString(), customerName: "Floor", status: "RECEIVED",
		createdAt: now, updatedAt: now, items: items, history: []historyEntry{{"RECEIVED", now}}}
	for _, it := range items {
		ord.totalCents += it.UnitPriceCents * int64(it.Quantity)
	}
	env, err := events.New(events.OrderPaymentRequested, events.OrderService, events.PaymentService, o.correlation,
		events.OrderPaymentRequestedPayload{OrderID: ord.id, CustomerID: ord.customerID, CustomerName: ord.customerName,
			AmountCents: ord.totalCents, Items: items})
	if err != nil {
		return err
	}
	b := &pgx.Batch{}
	b.Queue(`INSERT INTO orders (id, customer_id, customer_name, status, total_cents, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, ord.id, ord.customerID, ord.customerName, ord.status, ord.totalCents, now, now)
	queueItems(b, ord)
	queueHistory(b, ord)
	if err := outbox.Queue(b, w.queue, env); err != nil {
		return err
	}
	o.id, o.next = ord.id, env.Meta.EventID
	return w.f.ordersDB.SendBatch(ctx, b).Close()
}

// price reads the menu's products as GET /products?ids= does, and makes
// them the order's lines, quantities 1, 2…
func (f *floor) price(ctx context.Context) ([]events.OrderItem, error) {
	rows, _ := f.catalog.Query(ctx, `SELECT p.id, p.name, p.description, p.price_cents, p.image_url,
		p.preparation_time, p.category_id, c.name, p.created_at, p.updated_at
		FROM products p JOIN categories c ON c.id = p.category_id WHERE p.id = ANY($1::uuid[])
		ORDER BY c.name, lower(p.name), p.id`, f.menu)
	items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (events.OrderItem, error) {
		var it events.OrderItem
		var description, image, categoryID, category string
		var prepTime int
		var created, updated time.Time
		err := row.Scan(&it.ProductID, &it.Name, &description, &it.UnitPriceCents, &image, &prepTime, &categoryID, &category, &created, &updated)
		return it, err
	})
	if err != nil {
		return nil, fmt.Errorf("price the order: %w", err)
	}
	for i := range items {
		items[i].Quantity = i + 1
	}
	return items, nil
}

// applyToOrder is the order service's handling of an event on its queue:
// BEGIN with the event claimed and the order read, locked; then the order
// written with COMMIT. Entering PAID writes order-paid to the outbox.
func (w *floorWorker) applyToOrder(ctx context.Context, o *floorOrder, env events.Envelope) error {
	move, ok := orderMoves[env.Meta.EventName]
	if !ok {
		return fmt.Errorf("no handler for %s", env.Meta.EventName)
	}
	o.next = ""
	return postgres.ReadThenWrite(ctx, w.f.ordersDB, queueOrderReads(o.id, env.Meta.EventID), func(br pgx.BatchResults) (*pgx.Batch, error) {
		ord, err := readOrder(br, env.Meta.EventID)
		if err != nil {
			return nil, err
		}
		if ord.status != move.from {
			return nil, fmt.Errorf("order %s is %s; %s needs %s", ord.id, ord.status, env.Meta.EventName, move.from)
		}
		if err := recordPayment(&ord, env); err != nil {
			return nil, err
		}
		now := floorNow()
		ord.status, ord.updatedAt = move.to, now
		ord.history = append(ord.history, historyEntry{move.to, now})
		b := queueOrderWrites(ord)
		if move.to != "PAID" {
			return b, nil
		}
		paid, err := events.New(events.OrderPaid, events.OrderService, events.ProductionService, env.Meta.CorrelationID,
			events.OrderPaidPayload{OrderID: ord.id, CustomerID: ord.customerID, CustomerName: ord.customerName,
				Items: ord.items, PaidAt: now})
		if err != nil {
			return nil, err
		}
		o.next = paid.Meta.EventID
		return b, outbox.Queue(b, w.queue, paid)
	})
}

// recordPayment keeps the payment a payment event carries on the order.
func recordPayment(ord *orderRow, env events.Envelope) error {
	if env.Meta.EventName != events.PaymentCreated && env.Meta.EventName != events.PaymentCompleted {
		return nil
	}
	var p events.PaymentPayload
	if err := env.Decode(&p); err != nil {
		return err
	}
	expires := p.ExpiresAt.UTC()
	ord.paymentID, ord.paymentStatus, ord.expiresAt = &p.PaymentID, &p.Status, &expires
	ord.qrCode, ord.qrCodeBase64, ord.ticketURL = &p.QRCode, &p.QRCodeBase64, &p.TicketURL
	return nil
}
