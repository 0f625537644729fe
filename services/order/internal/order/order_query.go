package order

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

const orderColumns = `id::text, customer_id, customer_name, status, total_cents, payment_id, payment_status,
	qr_code, qr_code_base64, ticket_url, expires_at, created_at, updated_at, cancellation_reason`

// ListFilter selects orders; empty fields select all.
type ListFilter struct {
	CustomerID string
	Status     Status
	Limit      int
}

// List returns the orders matching f, newest first, with their items and
// history: one query per table, whatever the page's size.
func (s *store) List(ctx context.Context, f ListFilter) ([]Order, error) {
	var conds []string
	var args []any
	if f.CustomerID != "" {
		args = append(args, f.CustomerID)
		conds = append(conds, fmt.Sprintf("customer_id = $%d", len(args)))
	}
	if f.Status != "" {
		args = append(args, string(f.Status))
		conds = append(conds, fmt.Sprintf("status = $%d", len(args)))
	}
	where := ""
	if len(conds) > 0 {
		where = "WHERE " + strings.Join(conds, " AND ")
	}
	args = append(args, f.Limit)
	sql := fmt.Sprintf(`SELECT %s FROM orders %s ORDER BY created_at DESC, id DESC LIMIT $%d`, orderColumns, where, len(args))
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("list orders: %w", err)
	}
	orders, err := pgx.CollectRows(rows, scanOrder)
	if err != nil {
		return nil, fmt.Errorf("list orders: %w", err)
	}
	if err := loadDetails(ctx, s.pool, orders); err != nil {
		return nil, err
	}
	return orders, nil
}

// batcher is a pool or a transaction: what can send a batch of statements
// in one round trip.
type batcher interface {
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// getOrder reads one order with its details in one round trip.
func getOrder(ctx context.Context, db batcher, id string) (Order, error) {
	br := db.SendBatch(ctx, queueGet(id, "", nil))
	o, err := readOrder(br, id, nil)
	if cerr := br.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("get order %s: %w", id, cerr)
	}
	return o, err
}

// queueGet queues the reads of an order with its details, for readOrder;
// lock is "" or a locking clause. Before them, claim (if not nil) queues a
// statement of the caller's, whose result readOrder reads first.
func queueGet(id, lock string, claim *claimEvent) *pgx.Batch {
	b := &pgx.Batch{}
	if claim != nil {
		claim.queue(b)
	}
	b.Queue(`SELECT `+orderColumns+` FROM orders WHERE id = $1 `+lock, id)
	queueDetails(b, []string{id})
	return b
}

func readOrder(br pgx.BatchResults, id string, claim *claimEvent) (Order, error) {
	if claim != nil {
		if err := claim.read(br); err != nil {
			return Order{}, err
		}
	}
	rows, err := br.Query()
	if err != nil {
		return Order{}, fmt.Errorf("get order %s: %w", id, err)
	}
	o, err := pgx.CollectExactlyOneRow(rows, scanOrder)
	if errors.Is(err, pgx.ErrNoRows) {
		return Order{}, fmt.Errorf("%w: %s", ErrOrderNotFound, id)
	}
	if err != nil {
		return Order{}, fmt.Errorf("get order %s: %w", id, err)
	}
	orders := []Order{o}
	if err := readDetails(br, orders); err != nil {
		return Order{}, err
	}
	return orders[0], nil
}

func scanOrder(row pgx.CollectableRow) (Order, error) {
	var o Order
	var p Payment
	var paymentID, paymentStatus, qr, qr64, ticket, reason *string
	err := row.Scan(&o.ID, &o.Customer.ID, &o.Customer.Name, &o.Status, &o.Total, &paymentID, &paymentStatus,
		&qr, &qr64, &ticket, &p.ExpiresAt, &o.CreatedAt, &o.UpdatedAt, &reason)
	if err != nil {
		return Order{}, err
	}
	o.CancellationReason = deref(reason)
	o.CreatedAt, o.UpdatedAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	if paymentID != nil {
		p.ID, p.Status, p.QRCode, p.QRCodeBase64, p.TicketURL = *paymentID, deref(paymentStatus), deref(qr), deref(qr64), deref(ticket)
		if p.ExpiresAt != nil {
			t := p.ExpiresAt.UTC()
			p.ExpiresAt = &t
		}
		o.Payment = &p
	}
	return o, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// loadDetails fills the items and history of orders, one query per table,
// in one round trip.
func loadDetails(ctx context.Context, db batcher, orders []Order) error {
	if len(orders) == 0 {
		return nil
	}
	ids := make([]string, len(orders))
	for i := range orders {
		ids[i] = orders[i].ID
	}
	b := &pgx.Batch{}
	queueDetails(b, ids)
	br := db.SendBatch(ctx, b)
	err := readDetails(br, orders)
	if cerr := br.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("load order details: %w", cerr)
	}
	return err
}

// queueDetails queues the reads of the items and the history of ids.
func queueDetails(b *pgx.Batch, ids []string) {
	b.Queue(`SELECT order_id::text, product_id::text, name, unit_price_cents, quantity
		FROM order_items WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, line_no`, ids)
	b.Queue(`SELECT order_id::text, status, at FROM order_history WHERE order_id = ANY($1::uuid[])`, ids)
}

// readDetails reads what queueDetails queued into orders.
func readDetails(br pgx.BatchResults, orders []Order) error {
	index := make(map[string]*Order, len(orders))
	for i := range orders {
		index[orders[i].ID] = &orders[i]
	}
	if err := readItems(br, index); err != nil {
		return err
	}
	if err := readHistory(br, index); err != nil {
		return err
	}
	for i := range orders {
		orders[i].SortHistory()
	}
	return nil
}

func readItems(br pgx.BatchResults, index map[string]*Order) error {
	rows, err := br.Query()
	if err != nil {
		return fmt.Errorf("load order items: %w", err)
	}
	var orderID string
	var it Item
	_, err = pgx.ForEachRow(rows, []any{&orderID, &it.ProductID, &it.Name, &it.UnitPrice, &it.Quantity}, func() error {
		index[orderID].Items = append(index[orderID].Items, it)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load order items: %w", err)
	}
	return nil
}

func readHistory(br pgx.BatchResults, index map[string]*Order) error {
	rows, err := br.Query()
	if err != nil {
		return fmt.Errorf("load order history: %w", err)
	}
	var orderID string
	var h HistoryEntry
	_, err = pgx.ForEachRow(rows, []any{&orderID, &h.Status, &h.At}, func() error {
		index[orderID].History = append(index[orderID].History, HistoryEntry{Status: h.Status, At: h.At.UTC()})
		return nil
	})
	if err != nil {
		return fmt.Errorf("load order history: %w", err)
	}
	return nil
}
