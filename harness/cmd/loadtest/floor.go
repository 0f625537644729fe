// The floor run: what one order costs in I/O, done straight-line.
//
// The floor does, for each order, the I/O the services do for its whole flow
// (placed → AWAITING_PAYMENT → PAID → kitchen record → IN_PREPARATION →
// READY), against the same backing services, with no service in between:
// one goroutine carries one order through every step, as fast as it can.
// The system's throughput divided by the floor's is its floor_ratio. Per
// order, read from the services' code (happy path, payment approved):
//
//	PostgreSQL — 1 catalog query and 7 transactions (33 statements besides
//	BEGIN and COMMIT; how many round trips they take is the order service's
//	Store's business: the floor calls it, on the service's own migrations):
//	  1. place (order): INSERT orders, order_items, order_history, outbox (+ pg_notify)
//	  2. relay (order outbox): SELECT outbox … FOR UPDATE SKIP LOCKED, SQS send, DELETE outbox
//	  3–6. four events applied (payment-created, payment-completed,
//	     production-started, production-completed): INSERT processed_events,
//	     SELECT orders FOR UPDATE, SELECT order_items, SELECT order_history,
//	     UPDATE orders, INSERT order_history; payment-completed also writes
//	     order-paid to the outbox (+ pg_notify)
//	  7. relay again, for order-paid
//	SQS — 6 messages (order-payment-requested, payment-created,
//	payment-completed, order-paid, production-started, production-completed),
//	each one SendMessageBatch, one ReceiveMessage and one DeleteMessage.
//	DynamoDB — 10 calls:
//	  payment request: GetItem (payment: none yet), PutItem (conditional)
//	  webhook: UpdateItem (PENDING → APPROVED, conditional)
//	  order-paid: PutItem (kitchen record, conditional)
//	  started, completed: GetItem (record), TransactWriteItems (conditional
//	    update + outbox item), BatchWriteItem (the outbox item, once
//	    published; the service batches these, the floor cannot)
//	Mercado Pago — POST /v1/payments (idempotency key), then, for the
//	webhook, GET /v1/payments/{id}; both through the payment service's own
//	client (the official SDK, its requester, http.DefaultTransport).
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
//     idle long polls, and the relays' wake-ups (ticks, LISTEN notifications)
//     with any empty pass they cause.

package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"

	"github.com/comanda/comanda/harness"
	"github.com/comanda/comanda/harness/awsenv"
	catalogsvc "github.com/comanda/comanda/services/catalog"
	ordersvc "github.com/comanda/comanda/services/order"
	paymentsvc "github.com/comanda/comanda/services/payment"
	"github.com/comanda/comanda/services/platform/awsconf"
	"github.com/comanda/comanda/services/platform/postgres"
	kitchensvc "github.com/comanda/comanda/services/production"
	"github.com/comanda/comanda/services/topology"
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
	"SQS 6 × (send, receive, delete); DynamoDB 10 calls (3 get, 2 put, 2 transact, 1 update, 2 batch delete); " +
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

// floor is the backing services as the services use them, under names of
// the run's own.
type floor struct {
	prefix   string
	sqs      *sqs.Client
	ddb      *dynamodb.Client
	catalog  *pgxpool.Pool
	ordersDB *pgxpool.Pool
	orders   *ordersvc.Store
	payments *paymentsvc.Store
	kitchen  *kitchensvc.KitchenStore
	mp       *paymentsvc.MercadoPago
	fake     *http.Client // the control API
	fakeURL  string
	menu     []string // the products every order has, quantities 1, 2…
	workers  []*floorWorker

	mu   sync.Mutex
	undo []func(context.Context) error // run newest first by close
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

// newFloor makes the databases, tables and queues; what it made is in f.undo
// even when it fails.
func newFloor(ctx context.Context, b harness.Backing, workers int) (*floor, error) {
	control := http.DefaultTransport.(*http.Transport).Clone()
	control.MaxIdleConnsPerHost = workers
	f := &floor{prefix: awsenv.NewPrefix(), fakeURL: strings.TrimSuffix(b.FakeURL, "/"),
		fake: &http.Client{Timeout: 10 * time.Second, Transport: control}}
	f.later(func(context.Context) error { control.CloseIdleConnections(); return nil })
	f.clients(b.AWS, workers)
	var err error
	f.mp, err = paymentsvc.NewMercadoPago(paymentsvc.MercadoPagoConfig{BaseURL: b.FakeURL, AccessToken: b.AccessToken,
		RequestTimeout: 10 * time.Second, MaxRetries: 3, RetryBase: 200 * time.Millisecond}, slog.New(slog.DiscardHandler))
	if err != nil {
		return f, err
	}
	top, err := topology.Load()
	if err != nil {
		return f, err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return f.openDatabases(gctx, b.CreateDatabase, workers) })
	g.Go(func() error { return f.createTables(gctx, top.Tables) })
	g.Go(func() error { return f.createQueues(gctx, top.Queues, workers) })
	return f, g.Wait()
}

// clients copies the backing's clients with a connection pool as large as
// the run's concurrency: the SDK keeps 10 idle connections per host, and more
// workers than that would open and close connections all along.
func (f *floor) clients(c awsconf.Clients, workers int) {
	tr := awshttp.NewBuildableClient().GetTransport() // the SDK's defaults
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = 2*workers+10, 2*workers+10
	hc := &http.Client{Transport: tr}
	f.sqs = sqs.New(c.SQS.Options(), func(o *sqs.Options) { o.HTTPClient = hc })
	f.ddb = dynamodb.New(c.DynamoDB.Options(), func(o *dynamodb.Options) { o.HTTPClient = hc })
	f.later(func(context.Context) error { tr.CloseIdleConnections(); return nil })
}

// later registers a clean-up step.
func (f *floor) later(fn func(context.Context) error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.undo = append(f.undo, fn)
}

// close undoes what newFloor made, newest first, and logs what it could not.
func (f *floor) close(log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var errs []error
	for _, fn := range slices.Backward(f.undo) {
		errs = append(errs, fn(ctx))
	}
	if err := errors.Join(errs...); err != nil {
		log.Warn("floor: could not delete everything it made", "prefix", f.prefix, "err", err)
	}
}

// openDatabases makes the catalog's and the order service's databases, as
// their migrations make them (the catalog's with its seed menu).
func (f *floor) openDatabases(ctx context.Context, create func(context.Context, string) (string, error), workers int) error {
	var err error
	if f.catalog, err = f.database(ctx, create, "catalog", catalogsvc.Migrations(), workers); err != nil {
		return err
	}
	migrations, err := ordersvc.Migrations()
	if err != nil {
		return err
	}
	if f.ordersDB, err = f.database(ctx, create, "orders", migrations, workers); err != nil {
		return err
	}
	f.orders = ordersvc.NewStore(f.ordersDB)
	rows, _ := f.catalog.Query(ctx, `SELECT id::text FROM products ORDER BY name LIMIT 2`)
	if f.menu, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil || len(f.menu) == 0 {
		return fmt.Errorf("read the menu (%d products): %w", len(f.menu), err)
	}
	return nil
}

// database makes a migrated database and a pool of conns on it.
func (f *floor) database(ctx context.Context, create func(context.Context, string) (string, error), name string, migrations fs.FS, conns int) (*pgxpool.Pool, error) {
	name = strings.TrimSuffix(f.prefix, "-") + "_floor_" + name
	url, err := create(ctx, name)
	if err != nil {
		return nil, err
	}
	f.later(func(ctx context.Context) error { return dropDatabase(ctx, url, name) })
	pool, err := postgres.Open(ctx, postgres.Config{URL: url, MaxConns: int32(conns)}, migrations, slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, err
	}
	f.later(func(context.Context) error { pool.Close(); return nil })
	return pool, nil
}

// dropDatabase drops name, from the server's postgres database.
func dropDatabase(ctx context.Context, url, name string) error {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return err
	}
	cfg.Database = "postgres"
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	return nil
}

// createTables makes the payment and production services' tables, as the
// topology says (with their indexes).
func (f *floor) createTables(ctx context.Context, tables []topology.Table) error {
	for _, t := range tables {
		if t.Service != "payment" && t.Service != "production" {
			continue
		}
		name := f.prefix + "floor-" + t.Name
		f.later(func(ctx context.Context) error {
			_, err := f.ddb.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(name)})
			return err
		})
		if err := awsenv.CreateTable(ctx, awsconf.Clients{DynamoDB: f.ddb}, t, name); err != nil {
			return err
		}
		if t.Service == "payment" {
			f.payments = paymentsvc.NewStore(f.ddb, name)
		} else {
			f.kitchen = kitchensvc.NewKitchenStore(f.ddb, name)
		}
	}
	return nil
}

// createQueues makes a queue (and its dead-letter queue, as the topology's
// queues have) for each worker.
func (f *floor) createQueues(ctx context.Context, qs topology.Queues, workers int) error {
	f.workers = make([]*floorWorker, workers)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for i := range workers {
		g.Go(func() error {
			name := fmt.Sprintf("%sfloor-%03d", f.prefix, i)
			url, dlq, err := awsenv.CreateQueue(gctx, awsconf.Clients{SQS: f.sqs}, qs, name)
			for _, u := range []string{dlq, url} {
				if u != "" {
					f.later(func(ctx context.Context) error {
						_, err := f.sqs.DeleteQueue(ctx, &sqs.DeleteQueueInput{QueueUrl: aws.String(u)})
						return err
					})
				}
			}
			f.workers[i] = &floorWorker{f: f, queue: name, url: url}
			return err
		})
	}
	return g.Wait()
}
