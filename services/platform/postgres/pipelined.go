package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ReadThenWrite runs a read-decide-write transaction in two round trips
// instead of four: BEGIN goes out with reads, and COMMIT with the batch
// that decide returns after reading their results (nil or empty: nothing
// to write). An error from decide, from a read or from a write rolls the
// transaction back and is returned.
func ReadThenWrite(ctx context.Context, pool *pgxpool.Pool, reads *pgx.Batch, decide func(pgx.BatchResults) (*pgx.Batch, error)) (err error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("acquire: %w", err)
	}
	// A connection still in a transaction when released (a panic, a
	// failed rollback) is closed by the pool, never reused.
	defer conn.Release()
	defer func() {
		if err != nil && conn.Conn().PgConn().TxStatus() != 'I' {
			if _, rbErr := conn.Exec(context.WithoutCancel(ctx), "ROLLBACK"); rbErr != nil {
				err = errors.Join(err, fmt.Errorf("rollback: %w", rbErr))
			}
		}
	}()

	first := &pgx.Batch{}
	first.Queue("BEGIN")
	first.QueuedQueries = append(first.QueuedQueries, reads.QueuedQueries...)
	br := conn.SendBatch(ctx, first)
	writes, err := decideAfterBegin(br, decide)
	if closeErr := br.Close(); err == nil && closeErr != nil {
		err = closeErr
	}
	if err != nil {
		return err
	}

	second := &pgx.Batch{}
	if writes != nil {
		second.QueuedQueries = append(second.QueuedQueries, writes.QueuedQueries...)
	}
	second.Queue("COMMIT")
	if err := conn.SendBatch(ctx, second).Close(); err != nil {
		return fmt.Errorf("write and commit: %w", err)
	}
	return nil
}

func decideAfterBegin(br pgx.BatchResults, decide func(pgx.BatchResults) (*pgx.Batch, error)) (*pgx.Batch, error) {
	if _, err := br.Exec(); err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	return decide(br)
}
