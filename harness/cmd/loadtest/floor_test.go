package main

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/jackc/pgx/v5"

	"github.com/comanda/comanda/harness"
	"github.com/comanda/comanda/services/platform/awsconf"
)

func TestFloorRunsWholeFlowsAndCleansUp(t *testing.T) {
	if testing.Short() {
		t.Skip("boots the whole system")
	}
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	sys, err := harness.Start(ctx, harness.Options{})
	if err != nil {
		t.Fatalf("start the system: %v", err)
	}
	t.Cleanup(func() { _ = sys.Close() })
	b := sys.Backing()
	var mu sync.Mutex
	var databases []string // URLs
	create := b.CreateDatabase
	b.CreateDatabase = func(ctx context.Context, name string) (string, error) {
		url, err := create(ctx, name)
		mu.Lock()
		defer mu.Unlock()
		databases = append(databases, url)
		return url, err
	}
	queues, tables := awsNames(t, b.AWS)

	res, err := runFloor(ctx, b, floorConfig{Workers: 4, Duration: time.Second})
	if err != nil {
		t.Fatalf("runFloor: %v", err)
	}
	t.Logf("floor: %d orders, %d errors in %s: %.1f orders/s; %s", res.Orders, res.Errors, res.Elapsed, res.OrdersPerS, res.PerOrder)
	if res.Orders == 0 || res.Errors != 0 || res.OrdersPerS <= 0 {
		t.Errorf("got %d orders and %d errors (%.1f/s); want some orders and no error", res.Orders, res.Errors, res.OrdersPerS)
	}

	queuesAfter, tablesAfter := awsNames(t, b.AWS)
	if left := added(queues, queuesAfter); len(left) > 0 {
		t.Errorf("queues left behind: %v", left)
	}
	if left := added(tables, tablesAfter); len(left) > 0 {
		t.Errorf("tables left behind: %v", left)
	}
	if len(databases) != 2 {
		t.Errorf("the floor made %d databases; want 2 (catalog, orders)", len(databases))
	}
	for _, url := range databases {
		if name, exists := databaseExists(t, url); exists {
			t.Errorf("database %s left behind", name)
		}
	}
}

// awsNames lists every queue URL and table name in the emulator.
func awsNames(t *testing.T, c awsconf.Clients) (queues, tables []string) {
	t.Helper()
	for page := sqs.NewListQueuesPaginator(c.SQS, &sqs.ListQueuesInput{}); page.HasMorePages(); {
		out, err := page.NextPage(t.Context())
		if err != nil {
			t.Fatalf("list queues: %v", err)
		}
		queues = append(queues, out.QueueUrls...)
	}
	for page := dynamodb.NewListTablesPaginator(c.DynamoDB, &dynamodb.ListTablesInput{}); page.HasMorePages(); {
		out, err := page.NextPage(t.Context())
		if err != nil {
			t.Fatalf("list tables: %v", err)
		}
		tables = append(tables, out.TableNames...)
	}
	return queues, tables
}

func added(before, after []string) []string {
	var out []string
	for _, s := range after {
		if !slices.Contains(before, s) {
			out = append(out, s)
		}
	}
	return out
}

// databaseExists asks the server of url whether url's database is there.
func databaseExists(t *testing.T, url string) (string, bool) {
	t.Helper()
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatalf("parse %s: %v", url, err)
	}
	name := cfg.Database
	cfg.Database = "postgres"
	conn, err := pgx.ConnectConfig(t.Context(), cfg)
	if err != nil {
		t.Fatalf("connect to the server: %v", err)
	}
	defer conn.Close(context.Background())
	var exists bool
	if err := conn.QueryRow(t.Context(), `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		t.Fatalf("look for database %s: %v", name, err)
	}
	return name, exists
}
