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
	"github.com/comanda/comanda/services/platform/awsconf"
	"github.com/comanda/comanda/services/platform/postgres"
	"github.com/comanda/comanda/services/topology"
)

// floor is the backing services, under names of the run's own.
type floor struct {
	prefix   string
	sqs      *sqs.Client
	ddb      *dynamodb.Client
	catalog  *pgxpool.Pool
	ordersDB *pgxpool.Pool
	payments string // the payment table's name
	kitchen  string // the kitchen table's name
	mp       *floorMercadoPago
	fake     *http.Client // the control API
	fakeURL  string
	menu     []string // the products every order has, quantities 1, 2…
	workers  []*floorWorker

	mu   sync.Mutex
	undo []func(context.Context) error // run newest first by close
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
	if f.mp, err = newFloorMercadoPago(b.FakeURL, b.AccessToken); err != nil {
		return f, err
	}
	f.later(func(context.Context) error { f.mp.close(); return nil })
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

// openDatabases makes the floor's catalog and order databases, and reads
// the menu every order is made of.
func (f *floor) openDatabases(ctx context.Context, create func(context.Context, string) (string, error), workers int) error {
	var err error
	if f.catalog, err = f.database(ctx, create, "catalog", floorCatalogMigrations(), workers); err != nil {
		return err
	}
	if f.ordersDB, err = f.database(ctx, create, "orders", floorOrderMigrations(), workers); err != nil {
		return err
	}
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

// createTables makes tables shaped like the payment and production
// services' (key, indexes), as the topology describes them.
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
			f.payments = name
		} else {
			f.kitchen = name
		}
	}
	if f.payments == "" || f.kitchen == "" {
		return errors.New("the topology has no payment or no production table")
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
