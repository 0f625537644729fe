// Package outbox makes "change the database and publish" atomic: events are
// written to an outbox table in the same transaction as the change, and a
// relay sends them to SQS afterwards, at least once, in order of writing.
// A commit wakes every relay on the database at once, those of other
// replicas included, through PostgreSQL's LISTEN/NOTIFY; a slow poll
// catches anything a lost notification would leave behind.
//
// The owning service's migrations create the table as TableSQL says.
package outbox

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/postgres"
)

// TableSQL creates the table the relay reads; a service's migrations run it
// (goose SQL files cannot import it, so they copy it).
const TableSQL = `CREATE TABLE outbox (
    id         bigserial PRIMARY KEY,
    queue      text        NOT NULL,
    body       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);`

// Channel is the PostgreSQL notification channel a commit that added
// events signals on; PostgreSQL delivers the notification only if and when
// the transaction commits.
const Channel = "outbox"

// addSQL writes one event and asks for a notification on Channel at commit.
const addSQL = `WITH added AS (INSERT INTO outbox (queue, body) VALUES ($1, $2) RETURNING id)
	SELECT pg_notify($3, '') FROM added`

// Queue adds the write of env for queue to b, a batch that runs in one
// transaction (explicit, or the batch's own), for callers that save a
// change and its events in one round trip.
func Queue(b *pgx.Batch, queue string, env events.Envelope) error {
	body, err := env.Marshal()
	if err != nil {
		return fmt.Errorf("encode %s: %w", env.Meta.EventName, err)
	}
	b.Queue(addSQL, queue, string(body), Channel)
	return nil
}

// Publisher is what the relay sends through.
type Publisher interface {
	PublishBodies(ctx context.Context, queue string, bodies [][]byte) error
}

// Relay moves outbox rows to their queues.
type Relay struct {
	pool      *pgxpool.Pool
	pub       Publisher
	log       *slog.Logger
	interval  time.Duration
	batchSize int
	wake      chan struct{}
}

// NewRelay returns a relay that runs when woken by Notify, by a
// notification on Channel, and every interval.
func NewRelay(pool *pgxpool.Pool, pub Publisher, interval time.Duration, log *slog.Logger) *Relay {
	return &Relay{pool: pool, pub: pub, log: log.With("component", "outbox"), interval: interval, batchSize: 100,
		wake: make(chan struct{}, 1)}
}

// Notify wakes the relay; call it after committing a transaction that added events.
func (r *Relay) Notify() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run relays until ctx ends, then flushes what is left, within a deadline.
func (r *Relay) Run(ctx context.Context) error {
	ticker := time.NewTicker(r.interval)
	defer ticker.Stop()
	listening := make(chan struct{})
	go func() { defer close(listening); r.listen(ctx) }()
	for {
		select {
		case <-ctx.Done():
			<-listening
			flushCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			r.drain(flushCtx)
			return nil
		case <-r.wake:
		case <-ticker.C:
		}
		r.drain(ctx)
	}
}

// drain relays batches until the outbox is empty or a batch fails.
func (r *Relay) drain(ctx context.Context) {
	for {
		n, err := r.relayBatch(ctx)
		if err != nil {
			if ctx.Err() == nil {
				r.log.Warn("outbox relay failed; will retry", "err", err)
			}
			return
		}
		if n < r.batchSize {
			return
		}
	}
}

type row struct {
	id    int64
	queue string
	body  string
}

// relayBatch publishes one batch and deletes it in the same transaction; rows
// locked by another relay are skipped, so replicas can relay side by side.
func (r *Relay) relayBatch(ctx context.Context) (int, error) {
	var n int
	err := postgres.InTx(ctx, r.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id, queue, body FROM outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`, r.batchSize)
		if err != nil {
			return fmt.Errorf("read outbox: %w", err)
		}
		batch, err := pgx.CollectRows(rows, func(rw pgx.CollectableRow) (row, error) {
			var x row
			return x, rw.Scan(&x.id, &x.queue, &x.body)
		})
		if err != nil {
			return fmt.Errorf("read outbox: %w", err)
		}
		n = len(batch)
		if n == 0 {
			return nil
		}
		if err := r.publish(ctx, batch); err != nil {
			return err
		}
		ids := make([]int64, n)
		for i, x := range batch {
			ids[i] = x.id
		}
		if _, err := tx.Exec(ctx, `DELETE FROM outbox WHERE id = ANY($1)`, ids); err != nil {
			return fmt.Errorf("delete relayed rows: %w", err)
		}
		return nil
	})
	return n, err
}

func (r *Relay) publish(ctx context.Context, batch []row) error {
	byQueue := map[string][][]byte{}
	var order []string
	for _, x := range batch {
		if _, seen := byQueue[x.queue]; !seen {
			order = append(order, x.queue)
		}
		byQueue[x.queue] = append(byQueue[x.queue], []byte(x.body))
	}
	for _, q := range order {
		if err := r.pub.PublishBodies(ctx, q, byQueue[q]); err != nil {
			return err
		}
	}
	return nil
}
