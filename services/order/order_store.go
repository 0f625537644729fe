package order

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
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

// Store keeps orders in PostgreSQL.
type Store struct {
	pool *pgxpool.Pool
}

// NewStore returns a store on pool, whose database has this package's migrations.
func NewStore(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// Create writes a new order and its messages in one transaction.
func (s *Store) Create(ctx context.Context, o Order, msgs ...Message) error {
	return postgres.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO orders (id, customer_id, customer_name, status, total_cents, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			o.ID, o.Customer.ID, o.Customer.Name, string(o.Status), int64(o.Total), o.CreatedAt, o.UpdatedAt)
		if err != nil {
			return fmt.Errorf("insert order: %w", err)
		}
		if err := insertItems(ctx, tx, o); err != nil {
			return err
		}
		if err := insertHistory(ctx, tx, o); err != nil {
			return err
		}
		return addMessages(ctx, tx, msgs)
	})
}

// Get reads one order; ErrOrderNotFound when there is none.
func (s *Store) Get(ctx context.Context, id string) (Order, error) {
	return getOrder(ctx, s.pool, id, "")
}

// UpdateFunc changes an order and returns the messages the change publishes.
type UpdateFunc func(o *Order) ([]Message, error)

// Update runs fn on the order, locked for the transaction, then saves the
// order and fn's messages; an error from fn rolls everything back. A non-empty
// eventID is recorded in the same transaction: an id already processed makes
// Update return errDuplicateEvent without calling fn.
func (s *Store) Update(ctx context.Context, id, eventID string, fn UpdateFunc) (Order, error) {
	var o Order
	err := postgres.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := recordEvent(ctx, tx, eventID); err != nil {
			return err
		}
		var err error
		if o, err = getOrder(ctx, tx, id, "FOR UPDATE"); err != nil {
			return err
		}
		msgs, err := fn(&o)
		if err != nil {
			return err
		}
		if err := saveOrder(ctx, tx, o); err != nil {
			return err
		}
		return addMessages(ctx, tx, msgs)
	})
	if err != nil {
		return Order{}, err
	}
	return o, nil
}

// recordEvent is the inbox: it claims eventID for this transaction.
func recordEvent(ctx context.Context, tx pgx.Tx, eventID string) error {
	if eventID == "" {
		return nil
	}
	tag, err := tx.Exec(ctx, `INSERT INTO processed_events (event_id) VALUES ($1) ON CONFLICT DO NOTHING`, eventID)
	if err != nil {
		return fmt.Errorf("record event %s: %w", eventID, err)
	}
	if tag.RowsAffected() == 0 {
		return errDuplicateEvent
	}
	return nil
}

func saveOrder(ctx context.Context, tx pgx.Tx, o Order) error {
	p := o.Payment
	if p == nil {
		p = &Payment{}
	}
	_, err := tx.Exec(ctx, `UPDATE orders SET status = $2, payment_id = NULLIF($3, ''), payment_status = NULLIF($4, ''),
		qr_code = NULLIF($5, ''), qr_code_base64 = NULLIF($6, ''), ticket_url = NULLIF($7, ''), expires_at = $8, updated_at = $9,
		cancellation_reason = NULLIF($10, '')
		WHERE id = $1`,
		o.ID, string(o.Status), p.ID, p.Status, p.QRCode, p.QRCodeBase64, p.TicketURL, p.ExpiresAt, o.UpdatedAt, o.CancellationReason)
	if err != nil {
		return fmt.Errorf("update order: %w", err)
	}
	return insertHistory(ctx, tx, o)
}

func insertItems(ctx context.Context, tx pgx.Tx, o Order) error {
	n := len(o.Items)
	lineNos, products, names := make([]int32, n), make([]string, n), make([]string, n)
	prices, quantities := make([]int64, n), make([]int32, n)
	for i, it := range o.Items {
		lineNos[i], products[i], names[i] = int32(i+1), it.ProductID, it.Name
		prices[i], quantities[i] = int64(it.UnitPrice), int32(it.Quantity)
	}
	_, err := tx.Exec(ctx, `INSERT INTO order_items (order_id, line_no, product_id, name, unit_price_cents, quantity)
		SELECT $1, * FROM unnest($2::integer[], $3::uuid[], $4::text[], $5::bigint[], $6::integer[])`,
		o.ID, lineNos, products, names, prices, quantities)
	if err != nil {
		return fmt.Errorf("insert order items: %w", err)
	}
	return nil
}

// insertHistory writes the history entries not yet stored; each status once.
func insertHistory(ctx context.Context, tx pgx.Tx, o Order) error {
	statuses, ats := make([]string, len(o.History)), make([]time.Time, len(o.History))
	for i, h := range o.History {
		statuses[i], ats[i] = string(h.Status), h.At
	}
	_, err := tx.Exec(ctx, `INSERT INTO order_history (order_id, status, at)
		SELECT $1, * FROM unnest($2::text[], $3::timestamptz[]) ON CONFLICT (order_id, status) DO NOTHING`,
		o.ID, statuses, ats)
	if err != nil {
		return fmt.Errorf("insert order history: %w", err)
	}
	return nil
}

func addMessages(ctx context.Context, tx pgx.Tx, msgs []Message) error {
	for _, m := range msgs {
		if err := outbox.Add(ctx, tx, m.Queue, m.Envelope); err != nil {
			return err
		}
	}
	return nil
}
