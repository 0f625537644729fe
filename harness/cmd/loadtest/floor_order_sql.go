package main

// The order service's statements, as the floor makes them.

import (
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/comanda/comanda/services/events"
)

const orderColumns = `id::text, customer_id, customer_name, status, total_cents, payment_id, payment_status,
	qr_code, qr_code_base64, ticket_url, expires_at, created_at, updated_at, cancellation_reason`

// queueOrderReads claims eventID (the inbox) and reads order id, locked,
// with its lines and history.
func queueOrderReads(id, eventID string) *pgx.Batch {
	b := &pgx.Batch{}
	b.Queue(`INSERT INTO processed_events (event_id) VALUES ($1) ON CONFLICT DO NOTHING`, eventID)
	b.Queue(`SELECT `+orderColumns+` FROM orders WHERE id = $1 FOR UPDATE`, id)
	b.Queue(`SELECT order_id::text, product_id::text, name, unit_price_cents, quantity
		FROM order_items WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, line_no`, []string{id})
	b.Queue(`SELECT order_id::text, status, at FROM order_history WHERE order_id = ANY($1::uuid[])`, []string{id})
	return b
}

// readOrder reads what queueOrderReads asked for.
func readOrder(br pgx.BatchResults, eventID string) (orderRow, error) {
	tag, err := br.Exec()
	if err != nil {
		return orderRow{}, fmt.Errorf("record event %s: %w", eventID, err)
	}
	if tag.RowsAffected() == 0 {
		return orderRow{}, fmt.Errorf("event %s was applied before", eventID)
	}
	rows, _ := br.Query()
	o, err := pgx.CollectExactlyOneRow(rows, func(row pgx.CollectableRow) (orderRow, error) {
		var o orderRow
		err := row.Scan(&o.id, &o.customerID, &o.customerName, &o.status, &o.totalCents, &o.paymentID, &o.paymentStatus,
			&o.qrCode, &o.qrCodeBase64, &o.ticketURL, &o.expiresAt, &o.createdAt, &o.updatedAt, &o.cancellationReason)
		return o, err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return orderRow{}, errors.New("no such order")
	}
	if err != nil {
		return orderRow{}, fmt.Errorf("read the order: %w", err)
	}
	if err := readDetails(br, &o); err != nil {
		return orderRow{}, err
	}
	return o, nil
}

// readDetails reads the order's lines and history.
func readDetails(br pgx.BatchResults, o *orderRow) error {
	rows, _ := br.Query()
	var orderID string
	var it events.OrderItem
	if _, err := pgx.ForEachRow(rows, []any{&orderID, &it.ProductID, &it.Name, &it.UnitPriceCents, &it.Quantity}, func() error {
		o.items = append(o.items, it)
		return nil
	}); err != nil {
		return fmt.Errorf("read the order's lines: %w", err)
	}
	rows, _ = br.Query()
	var h historyEntry
	if _, err := pgx.ForEachRow(rows, []any{&orderID, &h.status, &h.at}, func() error {
		o.history = append(o.history, historyEntry{h.status, h.at.UTC()})
		return nil
	}); err != nil {
		return fmt.Errorf("read the order's history: %w", err)
	}
	return nil
}

// queueOrderWrites saves the order: its row, and the history entries not
// yet stored.
func queueOrderWrites(o orderRow) *pgx.Batch {
	b := &pgx.Batch{}
	b.Queue(`UPDATE orders SET status = $2, payment_id = NULLIF($3, ''), payment_status = NULLIF($4, ''),
		qr_code = NULLIF($5, ''), qr_code_base64 = NULLIF($6, ''), ticket_url = NULLIF($7, ''), expires_at = $8, updated_at = $9,
		cancellation_reason = NULLIF($10, '')
		WHERE id = $1`,
		o.id, o.status, o.paymentID, o.paymentStatus, o.qrCode, o.qrCodeBase64, o.ticketURL, o.expiresAt, o.updatedAt, o.cancellationReason)
	queueHistory(b, o)
	return b
}

func queueItems(b *pgx.Batch, o orderRow) {
	n := len(o.items)
	lineNos, products, names := make([]int32, n), make([]string, n), make([]string, n)
	prices, quantities := make([]int64, n), make([]int32, n)
	for i, it := range o.items {
		lineNos[i], products[i], names[i] = int32(i+1), it.ProductID, it.Name
		prices[i], quantities[i] = it.UnitPriceCents, int32(it.Quantity)
	}
	b.Queue(`INSERT INTO order_items (order_id, line_no, product_id, name, unit_price_cents, quantity)
		SELECT $1, * FROM unnest($2::integer[], $3::uuid[], $4::text[], $5::bigint[], $6::integer[])`,
		o.id, lineNos, products, names, prices, quantities)
}

func queueHistory(b *pgx.Batch, o orderRow) {
	statuses, ats := make([]string, len(o.history)), make([]time.Time, len(o.history))
	for i, h := range o.history {
		statuses[i], ats[i] = h.status, h.at
	}
	b.Queue(`INSERT INTO order_history (order_id, status, at)
		SELECT $1, * FROM unnest($2::text[], $3::timestamptz[]) ON CONFLICT (order_id, status) DO NOTHING`,
		o.id, statuses, ats)
}
