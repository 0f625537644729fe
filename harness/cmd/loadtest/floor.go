// The floor run: what one order costs in I/O, done straight-line.
//
// The floor does, for each order, the I/O the services do for its whole flow
// (placed → AWAITING_PAYMENT → PAID → kitchen record → IN_PREPARATION →
// READY), against the same backing services, with no service in between:
// one goroutine carries one order through every step, as fast as it can.
// The system's throughput divided by the floor's is its floor_ratio.
//
// It runs no service code. It owns a schema shaped like the services'
// (floor_schema.go: the catalog's tables with a menu of the seed menu's
// size, the order service's tables, the outbox as outbox.TableSQL makes
// it), DynamoDB tables made from the topology's payment and production
// tables (key id, their indexes), and makes every statement and call
// itself, through the platform (postgres, outbox), the event contract, the
// AWS SDK and Mercado Pago's SDK. Per order, happy path, payment approved:
//
//	PostgreSQL — 1 catalog query and 7 transactions (33 statements besides
//	BEGIN and COMMIT, in the round trips the order service uses):
//	  1. place: one batch of INSERT orders, order_items, order_history,
//	     outbox (outbox.Queue)
//	  2. relay, as the outbox's sweep does: SELECT outbox … FOR UPDATE SKIP
//	     LOCKED, SQS send, DELETE outbox
//	  3–6. four events applied (payment-created, payment-completed,
//	     production-started, production-completed), each BEGIN with INSERT
//	     processed_events, SELECT orders FOR UPDATE, SELECT order_items,
//	     SELECT order_history, then UPDATE orders, INSERT order_history with
//	     COMMIT; payment-completed also writes order-paid to the outbox
//	  7. relay again, for order-paid
//	SQS — 6 messages (order-payment-requested, payment-created,
//	payment-completed, order-paid, production-started, production-completed),
//	each one SendMessageBatch, one ReceiveMessage and one DeleteMessage.
//	DynamoDB — 8 calls:
//	  payment request: GetItem (payment: none yet), PutItem (conditional)
//	  webhook: UpdateItem (PENDING → APPROVED, conditional)
//	  order-paid: PutItem (kitchen record, conditional)
//	  started, completed: TransactWriteItems (conditional update + outbox
//	    item), BatchWriteItem (the outbox item, once published). No read
//	    before a move: the production service moves the records it knows
//	    without one, and the floor knows the record it made.
//	Mercado Pago — POST /v1/payments (idempotency key), then, for the
//	webhook, GET /v1/payments/{id}; both through the official SDK.
//
// The list is a yardstick: it stays put when the services find cheaper
// ways to do the same work (publishing right after a commit, batching
// removals under load), so that floor ratios taken at different times
// compare, and what the services save shows in their throughput.
//
// Choices, so that the ratio reads right:
//   - The webhook's delivery (Mercado Pago → payment service, an HTTP
//     request) is stood in for by the control API's approval of the payment,
//     POST /_fake/payments/{id}/approve: one HTTP round trip to the fake, and
//     the fake's own work of approving. The floor's payments have no
//     notification_url, so the fake sends no webhook anywhere; an auto-approval
//     the load tool set up is harmless (it finds the payment approved, or the
//     approval finds it approved: 409, accepted).
//   - Each worker has a queue of its own, and its outbox rows name that queue,
//     so the relay step takes only its own rows (the same query, with
//     WHERE queue = $1) and the receive finds the message just sent. The
//     services' relay may batch several orders' rows in one transaction under
//     load; the floor relays each event in a transaction of its own.
//   - Not in the floor: the HTTP between the customer, the gateway and the
//     services (placing the order, the order service's call to the catalog,
//     the webhook delivery, the kitchen's two moves), token checks, logging,
//     idle long polls, retries, and the relays' wake-ups with any empty
//     pass they cause.

package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/comanda/comanda/harness"
)

// floorConfig sizes a floor run.
type floorConfig struct {
	Workers  int           // orders in flight at once, one goroutine each
	Duration time.Duration // how long orders are started, after the warm-up
	// Log receives warnings (a clean-up that failed); nil discards them.
	Log *slog.Logger
}

// floorResult is what a floor run measured.
type floorResult struct {
	Orders     int           // flows completed after the warm-up
	Errors     int           // flows that failed after the warm-up
	Elapsed    time.Duration // from the start until the last flow in flight ended
	OrdersPerS float64
	PerOrder   string // one-line summary of one order's I/O
}

// floorWarmUp opens connections and fills caches before anything is counted.
const floorWarmUp = time.Second

// floorPerOrder sums up the list at the top of this file.
const floorPerOrder = "PostgreSQL 1 query + 7 transactions (33 statements, 2 outbox rows); " +
	"SQS 6 × (send, receive, delete); DynamoDB 8 calls (1 get, 2 put, 2 transact, 1 update, 2 batch delete); " +
	"Mercado Pago create + approve + get"

// runFloor makes a database, tables and queues of its own on b, runs
// cfg.Workers orders at a time for the warm-up, then for cfg.Duration
// counting them, and deletes what it made. Failed orders are counted; it
// fails only when none succeeds.
func runFloor(ctx context.Context, b harness.Backing, cfg floorConfig) (floorResult, error) {
	if cfg.Workers < 1 || cfg.Duration <= 0 {
		return floorResult{}, fmt.Errorf("floor: workers (%d) and duration (%s) must be positive", cfg.Workers, cfg.Duration)
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	f, err := newFloor(ctx, b, cfg.Workers)
	defer f.close(cfg.Log)
	if err != nil {
		return floorResult{}, fmt.Errorf("floor: set up: %w", err)
	}
	// Every worker starts at least one order in each phase, so a phase
	// without orders, unless cancelled, has a first error.
	warm := f.run(ctx, floorWarmUp)
	if err := ctx.Err(); err != nil {
		return floorResult{}, err
	}
	if warm.orders == 0 {
		return floorResult{}, fmt.Errorf("floor: warm-up: %d orders failed, the first with: %w", warm.errors, warm.first)
	}
	got := f.run(ctx, cfg.Duration)
	res := floorResult{Orders: got.orders, Errors: got.errors, Elapsed: got.elapsed, PerOrder: floorPerOrder,
		OrdersPerS: float64(got.orders) / got.elapsed.Seconds()}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	if got.orders == 0 {
		return res, fmt.Errorf("floor: %d orders failed, the first with: %w", got.errors, got.first)
	}
	return res, nil
}

// floorTally counts one phase's orders.
type floorTally struct {
	orders, errors int
	first          error
	elapsed        time.Duration
}

func (t *floorTally) add(err error) {
	switch {
	case err == nil:
		t.orders++
	case t.errors == 0:
		t.errors, t.first = 1, err
	default:
		t.errors++
	}
}

// run starts orders on every worker until d has passed, and waits for those
// in flight.
func (f *floor) run(ctx context.Context, d time.Duration) floorTally {
	began := time.Now()
	deadline := began.Add(d)
	var mu sync.Mutex
	var t floorTally
	var wg sync.WaitGroup
	for _, w := range f.workers {
		wg.Go(func() {
			for ctx.Err() == nil && time.Now().Before(deadline) {
				err := w.order(ctx)
				mu.Lock()
				t.add(err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	t.elapsed = time.Since(began)
	return t
}
