package postgres_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/comanda/comanda/harness/pgcluster/pgtest"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/outbox"
	"github.com/comanda/comanda/services/platform/postgres"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// migrations are a service's goose files: the documented outbox table and a
// table of its own.
var migrations = fstest.MapFS{
	"00001_outbox.sql": {Data: []byte("-- +goose Up\n" + outbox.TableSQL + "\n\n-- +goose Down\nDROP TABLE outbox;\n")},
	"00002_widgets.sql": {Data: []byte(`-- +goose Up
CREATE TABLE widgets (name text PRIMARY KEY);

-- +goose Down
DROP TABLE widgets;
`)},
}

func open(t *testing.T, url string) *pgxpool.Pool {
	t.Helper()
	pool, err := postgres.Open(t.Context(), postgres.Config{URL: url, MaxConns: 4}, migrations, logging.Discard())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

func count(t *testing.T, pool *pgxpool.Pool, table string) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM "+pgx.Identifier{table}.Sanitize()).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

func TestOpenAppliesMigrations(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	pool := open(t, url)
	if count(t, pool, "outbox") != 0 || count(t, pool, "widgets") != 0 {
		t.Fatal("migrated tables are not empty")
	}
	if err := postgres.Ping(pool)(t.Context()); err != nil {
		t.Fatalf("Ping = %v", err)
	}
	// A restart finds the schema up to date and leaves the data alone.
	if _, err := pool.Exec(t.Context(), "INSERT INTO widgets VALUES ('kept')"); err != nil {
		t.Fatal(err)
	}
	if again := open(t, url); count(t, again, "widgets") != 1 {
		t.Fatal("reopening lost data")
	}
}

func TestOpenConcurrentReplicas(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			pool, err := postgres.Open(t.Context(), postgres.Config{URL: url, MaxConns: 2}, migrations, logging.Discard())
			if err == nil {
				pool.Close()
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("a replica failed to start alongside the others: %v", err)
		}
	}
}

func TestOpenFails(t *testing.T) {
	t.Parallel()
	bad := fstest.MapFS{"00001_broken.sql": {Data: []byte("-- +goose Up\nCREATE TABLE (;\n")}}
	if _, err := postgres.Open(t.Context(), postgres.Config{URL: pgtest.NewDatabase(t)}, bad, logging.Discard()); err == nil {
		t.Error("Open with a broken migration succeeded")
	}
	if _, err := postgres.Open(t.Context(), postgres.Config{URL: "::not a url::"}, migrations, logging.Discard()); err == nil {
		t.Error("Open with a malformed URL succeeded")
	}
}

func TestInTxCommitsOnNil(t *testing.T) {
	t.Parallel()
	pool := open(t, pgtest.NewDatabase(t))
	err := postgres.InTx(t.Context(), pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(t.Context(), "INSERT INTO widgets VALUES ('a'), ('b')")
		return err
	})
	if err != nil {
		t.Fatalf("InTx = %v", err)
	}
	if n := count(t, pool, "widgets"); n != 2 {
		t.Fatalf("%d widgets after commit; want 2", n)
	}
}

func TestInTxRollsBackOnError(t *testing.T) {
	t.Parallel()
	pool := open(t, pgtest.NewDatabase(t))
	errOutOfStock := errors.New("out of stock")
	err := postgres.InTx(t.Context(), pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(t.Context(), "INSERT INTO widgets VALUES ('a')"); err != nil {
			return err
		}
		return errOutOfStock
	})
	if !errors.Is(err, errOutOfStock) {
		t.Fatalf("InTx = %v; want fn's error back", err)
	}
	if n := count(t, pool, "widgets"); n != 0 {
		t.Fatalf("%d widgets after rollback; want 0", n)
	}
}

func TestInTxRollsBackOnPanic(t *testing.T) {
	t.Parallel()
	pool := open(t, pgtest.NewDatabase(t))
	func() {
		defer func() {
			if recover() == nil {
				t.Error("InTx swallowed fn's panic")
			}
		}()
		_ = postgres.InTx(t.Context(), pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(t.Context(), "INSERT INTO widgets VALUES ('a')"); err != nil {
				return err
			}
			panic("bug in a handler")
		})
	}()
	// The transaction neither committed nor kept its connection (and locks).
	if n := count(t, pool, "widgets"); n != 0 {
		t.Fatalf("%d widgets after a panic; want 0", n)
	}
	if acquired := pool.Stat().AcquiredConns(); acquired != 0 {
		t.Fatalf("%d connections still held after a panic in InTx; want 0", acquired)
	}
}

// A statement planned while its table was small must not keep scanning the
// whole table once it has grown: services start on fresh tables, autovacuum
// analyzes them while they are small, and a lunch rush fills them long
// before it analyzes them again.
func TestStatementsArePlannedForTheTableAsItIsNow(t *testing.T) {
	t.Parallel()
	pool := open(t, pgtest.NewDatabase(t))
	ctx := t.Context()
	err := postgres.InTx(ctx, pool, func(tx pgx.Tx) error {
		grow := func(orders int) error {
			_, err := tx.Exec(ctx, `INSERT INTO steps SELECT o, s FROM generate_series(1, $1::int) AS o,
				unnest('{CREATED,PAID,READY,DELIVERED}'::text[]) AS s ON CONFLICT DO NOTHING`, orders)
			return err
		}
		find := func() error {
			rows, err := tx.Query(ctx, "SELECT status FROM steps WHERE order_id = ANY($1)", []int32{7})
			if err != nil {
				return err
			}
			rows.Close()
			return rows.Err()
		}
		if _, err := tx.Exec(ctx, "CREATE TABLE steps (order_id int NOT NULL, status text NOT NULL, UNIQUE (order_id, status))"); err != nil {
			return err
		}
		if err := grow(100); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "ANALYZE steps"); err != nil { // as autovacuum would
			return err
		}
		for range 10 { // past the five executions after which a generic plan may be kept
			if err := find(); err != nil {
				return err
			}
		}
		if err := grow(50_000); err != nil {
			return err
		}
		before := scans(t, tx)
		if err := find(); err != nil {
			return err
		}
		if after := scans(t, tx); after.seq != before.seq || after.idx != before.idx+1 {
			t.Errorf("reading one order's steps among 200,000: sequential scans %d → %d, index scans %d → %d; want one index scan",
				before.seq, after.seq, before.idx, after.idx)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

type scanCounts struct{ seq, idx int64 }

// scans reads how the current transaction has scanned the steps table.
func scans(t *testing.T, tx pgx.Tx) scanCounts {
	t.Helper()
	var c scanCounts
	err := tx.QueryRow(t.Context(),
		"SELECT seq_scan, coalesce(idx_scan, 0) FROM pg_stat_xact_user_tables WHERE relname = 'steps'").Scan(&c.seq, &c.idx)
	if err != nil {
		t.Fatalf("read scan counts: %v", err)
	}
	return c
}
