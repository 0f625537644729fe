// Package postgres opens a service's PostgreSQL pool after applying its
// embedded migrations, runs functions in transactions, and relays a
// transactional outbox to SQS.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"go.opentelemetry.io/otel/trace"
)

// Config says where the database is.
type Config struct {
	URL      string `env:"DATABASE_URL, required"`
	MaxConns int32  `env:"DATABASE_MAX_CONNS, default=16"`

	// Tracers, when set (by the service's Run, while telemetry is on),
	// makes a span of every query and batch (tracer.go).
	Tracers trace.TracerProvider
}

// planCacheMode is the setting that decides when a prepared statement is
// planned again. By default PostgreSQL settles on one generic plan after five
// executions and keeps it until the table is analyzed again. Services start
// on fresh tables, autovacuum analyzes them while they hold a few rows, and
// the plans made then scan whole tables that grow by hundreds of rows a
// second until its next round (under load, the order service spent most of
// its database time so). Planning each execution for the table as it is
// costs microseconds; a database URL may still choose otherwise.
const planCacheMode = "plan_cache_mode"

// Open applies the migrations in fsys (goose SQL files at its root) and
// returns a pool. Migrations take an advisory lock, so replicas may start at once.
func Open(ctx context.Context, c Config, migrations fs.FS, log *slog.Logger) (*pgxpool.Pool, error) {
	pc, err := pgxpool.ParseConfig(c.URL)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	if c.MaxConns > 0 {
		pc.MaxConns = c.MaxConns
	}
	if _, set := pc.ConnConfig.RuntimeParams[planCacheMode]; !set {
		pc.ConnConfig.RuntimeParams[planCacheMode] = "force_custom_plan"
	}
	if c.Tracers != nil {
		pc.ConnConfig.Tracer = newQueryTracer(c.Tracers, pc.ConnConfig.Database)
	}
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := migrate(ctx, pool, migrations, log); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}

func migrate(ctx context.Context, pool *pgxpool.Pool, migrations fs.FS, log *slog.Logger) error {
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	// The advisory lock is what lets replicas start at once: without it, two
	// of them apply the same migration and one fails. Waiters probe every
	// second, for up to five minutes.
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
	if err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	provider, err := goose.NewProvider(goose.DialectPostgres, db, migrations, goose.WithSessionLocker(locker))
	if err != nil {
		return fmt.Errorf("load migrations: %w", err)
	}
	results, err := provider.Up(ctx)
	if err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}
	for _, r := range results {
		log.Debug("migration applied", "source", r.Source.Path, "duration_ms", r.Duration.Milliseconds())
	}
	return nil
}

// InTx runs fn in a transaction, committing when it returns nil and rolling
// back when it returns an error or panics.
func InTx(ctx context.Context, pool *pgxpool.Pool, fn func(pgx.Tx) error) error {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	// A panic must not leave the transaction open: its connection would
	// never return to the pool, and its locks never be released.
	defer func() {
		if v := recover(); v != nil {
			_ = tx.Rollback(context.WithoutCancel(ctx))
			panic(v)
		}
	}()
	if err := fn(tx); err != nil {
		if rbErr := tx.Rollback(ctx); rbErr != nil && !errors.Is(rbErr, pgx.ErrTxClosed) {
			return errors.Join(err, fmt.Errorf("rollback: %w", rbErr))
		}
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Ping is a readiness check.
func Ping(pool *pgxpool.Pool) func(context.Context) error {
	return func(ctx context.Context) error { return pool.Ping(ctx) }
}
