package postgres_test

import (
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/comanda/comanda/harness/pgcluster/pgtest"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/postgres"
)

// readWidgets queues a read of every widget's name, locked.
func readWidgets() *pgx.Batch {
	b := &pgx.Batch{}
	b.Queue(`SELECT name FROM widgets ORDER BY name FOR UPDATE`)
	return b
}

func names(br pgx.BatchResults) ([]string, error) {
	rows, err := br.Query()
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// A read-decide-write transaction commits what decide wrote, saw what the
// reads read, and leaves its connection fit for the next caller whatever
// went wrong: decide failing, or a write failing mid-batch.
func TestReadThenWrite(t *testing.T) {
	t.Parallel()
	// One connection: every call below reuses it, after whatever failed.
	pool, err := postgres.Open(t.Context(), postgres.Config{URL: pgtest.NewDatabase(t), MaxConns: 1}, migrations, logging.Discard())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	ctx := t.Context()

	write := func(name string) func(pgx.BatchResults) (*pgx.Batch, error) {
		return func(br pgx.BatchResults) (*pgx.Batch, error) {
			if _, err := names(br); err != nil {
				return nil, err
			}
			b := &pgx.Batch{}
			b.Queue(`INSERT INTO widgets (name) VALUES ($1)`, name)
			return b, nil
		}
	}
	if err := postgres.ReadThenWrite(ctx, pool, readWidgets(), write("a")); err != nil {
		t.Fatalf("first transaction: %v", err)
	}

	declined := errors.New("declined")
	err = postgres.ReadThenWrite(ctx, pool, readWidgets(), func(br pgx.BatchResults) (*pgx.Batch, error) {
		got, err := names(br)
		if err != nil || len(got) != 1 || got[0] != "a" {
			t.Errorf("read %v, %v; want [a]", got, err)
		}
		return nil, declined
	})
	if !errors.Is(err, declined) {
		t.Fatalf("decide's error = %v; want it returned", err)
	}

	// "b", then "a" again: the primary key refuses the second insert, and
	// the first must not stay.
	err = postgres.ReadThenWrite(ctx, pool, readWidgets(), func(br pgx.BatchResults) (*pgx.Batch, error) {
		if _, err := names(br); err != nil {
			return nil, err
		}
		b := &pgx.Batch{}
		b.Queue(`INSERT INTO widgets (name) VALUES ('b')`)
		b.Queue(`INSERT INTO widgets (name) VALUES ('a')`)
		return b, nil
	})
	if err == nil {
		t.Fatal("a write refused by the primary key succeeded")
	}

	if err := postgres.ReadThenWrite(ctx, pool, readWidgets(), write("c")); err != nil {
		t.Fatalf("a transaction after the failures: %v", err)
	}
	var got []string
	rows, err := pool.Query(ctx, `SELECT name FROM widgets ORDER BY name`)
	if err == nil {
		got, err = pgx.CollectRows(rows, pgx.RowTo[string])
	}
	if err != nil || len(got) != 2 || got[0] != "a" || got[1] != "c" {
		t.Errorf("widgets = %v, %v; want [a c]: committed writes only", got, err)
	}
}
