package order

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/outbox"
	"github.com/comanda/comanda/services/platform/postgres"
)

// Message is an event to publish once the transaction that wrote it commits.
type Message struct {
	Queue    string // base queue name, e.g. events.PaymentQueue
	Envelope events.Envelope
}

// store keeps orders in PostgreSQL.
type store struct {
	pool *pgxpool.Pool
}

// newStore returns a store on pool, whose database has this package's migrations.
func newStore(pool *pgxpool.Pool) *store { return &store{pool: pool} }

// Create writes a new order and its messages in one round trip: the
// statements of a batch run in one implicit transaction, all or nothing.
// With maxOpen above 0, a customer who already holds maxOpen unpaid orders
// gets ErrTooManyOpenOrders and nothing is written; the count and the
// insert are one transaction under a per-customer lock, so orders placed
// at once cannot slip past it.
func (s *store) Create(ctx context.Context, o Order, maxOpen int, msgs ...Message) error {
	b := &pgx.Batch{}
	if maxOpen > 0 {
		b.Queue(`SELECT check_open_orders($1, $2)`, o.Customer.ID, maxOpen)
	}
	b.Queue(`INSERT INTO orders (id, customer_id, customer_name, status, total_cents, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		o.ID, o.Customer.ID, o.Customer.Name, string(o.Status), int64(o.Total), o.CreatedAt, o.UpdatedAt)
	queueItems(b, o)
	queueHistory(b, o)
	if err := queueMessages(b, msgs); err != nil {
		return err
	}
	if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
		if tooManyOpenOrders(err) {
			return ErrTooManyOpenOrders
		}
		return fmt.Errorf("insert order %s: %w", o.ID, err)
	}
	return nil
}

// tooManyOpenOrders reports whether err is check_open_orders' refusal.
func tooManyOpenOrders(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "CM429"
}

// Get reads one order; ErrOrderNotFound when there is none.
func (s *store) Get(ctx context.Context, id string) (Order, error) {
	return getOrder(ctx, s.pool, id)
}

// UpdateFunc changes an order and returns the messages the change publishes.
type UpdateFunc func(o *Order) ([]Message, error)

// Update runs fn on the order, locked for the transaction, then saves the
// order and fn's messages; an error from fn rolls everything back. A non-empty
// eventID is recorded in the same transaction: an id already processed makes
// Update return errDuplicateEvent without calling fn.
//
// Two round trips whatever the order: begin, claim the event and read the
// order with its details; then save it with its messages, and commit.
func (s *store) Update(ctx context.Context, id, eventID string, fn UpdateFunc) (Order, error) {
	var claim *claimEvent
	if eventID != "" {
		claim = &claimEvent{id: eventID}
	}
	var o Order
	err := postgres.ReadThenWrite(ctx, s.pool, queueGet(id, "FOR UPDATE", claim), func(br pgx.BatchResults) (*pgx.Batch, error) {
		var err error
		if o, err = readOrder(br, id, claim); err != nil {
			return nil, err
		}
		msgs, err := fn(&o)
		if err != nil {
			return nil, err
		}
		b := &pgx.Batch{}
		queueSave(b, o)
		return b, queueMessages(b, msgs)
	})
	if err != nil {
		return Order{}, err
	}
	return o, nil
}

// claimEvent is the inbox: it records an event id for the transaction, and
// an id recorded before makes the read fail with errDuplicateEvent.
type claimEvent struct{ id string }

func (c *claimEvent) queue(b *pgx.Batch) {
	b.Queue(`INSERT INTO processed_events (event_id) VALUES ($1) ON CONFLICT DO NOTHING`, c.id)
}

func (c *claimEvent) read(br pgx.BatchResults) error {
	tag, err := br.Exec()
	if err != nil {
		return fmt.Errorf("record event %s: %w", c.id, err)
	}
	if tag.RowsAffected() == 0 {
		return errDuplicateEvent
	}
	return nil
}

func queueSave(b *pgx.Batch, o Order) {
	p := o.Payment
	if p == nil {
		p = &Payment{}
	}
	b.Queue(`UPDATE orders SET status = $2, payment_id = NULLIF($3, ''), payment_status = NULLIF($4, ''),
		qr_code = NULLIF($5, ''), qr_code_base64 = NULLIF($6, ''), ticket_url = NULLIF($7, ''), expires_at = $8, updated_at = $9,
		cancellation_reason = NULLIF($10, '')
		WHERE id = $1`,
		o.ID, string(o.Status), p.ID, p.Status, p.QRCode, p.QRCodeBase64, p.TicketURL, p.ExpiresAt, o.UpdatedAt, o.CancellationReason)
	queueHistory(b, o)
}

func queueItems(b *pgx.Batch, o Order) {
	n := len(o.Items)
	lineNos, products, names := make([]int32, n), make([]string, n), make([]string, n)
	prices, quantities := make([]int64, n), make([]int32, n)
	for i, it := range o.Items {
		lineNos[i], products[i], names[i] = int32(i+1), it.ProductID, it.Name
		prices[i], quantities[i] = int64(it.UnitPrice), int32(it.Quantity)
	}
	b.Queue(`INSERT INTO order_items (order_id, line_no, product_id, name, unit_price_cents, quantity)
		SELECT $1, * FROM unnest($2::integer[], $3::uuid[], $4::text[], $5::bigint[], $6::integer[])`,
		o.ID, lineNos, products, names, prices, quantities)
}

// queueHistory writes the history entries not yet stored; each status once.
func queueHistory(b *pgx.Batch, o Order) {
	statuses, ats := make([]string, len(o.History)), make([]time.Time, len(o.History))
	for i, h := range o.History {
		statuses[i], ats[i] = string(h.Status), h.At
	}
	b.Queue(`INSERT INTO order_history (order_id, status, at)
		SELECT $1, * FROM unnest($2::text[], $3::timestamptz[]) ON CONFLICT (order_id, status) DO NOTHING`,
		o.ID, statuses, ats)
}

func queueMessages(b *pgx.Batch, msgs []Message) error {
	for _, m := range msgs {
		if err := outbox.Queue(b, m.Queue, m.Envelope); err != nil {
			return err
		}
	}
	return nil
}
