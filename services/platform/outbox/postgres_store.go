package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/postgres"
)

// TableSQL creates the table PostgresStore keeps; a service's migrations
// run it (goose SQL files cannot import it, so they copy it).
const TableSQL = `CREATE TABLE outbox (
    id         bigserial PRIMARY KEY,
    queue      text        NOT NULL,
    body       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);`

// Queue adds the write of env for queue to b, a batch that runs in one
// transaction (explicit, or the batch's own), for callers that save a
// change and its events in one round trip. The relay learns of it from the
// committer's Relay.Notify, or at its next tick.
func Queue(b *pgx.Batch, queue string, env events.Envelope) error {
	body, err := env.Marshal()
	if err != nil {
		return fmt.Errorf("encode %s: %w", env.Meta.EventName, err)
	}
	b.Queue(`INSERT INTO outbox (queue, body) VALUES ($1, $2)`, queue, string(body))
	return nil
}

// PostgresStore is the outbox table. A sweep locks the rows it takes
// (FOR UPDATE SKIP LOCKED) until it has removed those published, so
// replicas sweep side by side, each row published by one of them; rows go
// out in order of writing.
type PostgresStore struct {
	pool *pgxpool.Pool
}

// NewPostgresStore returns the store of the outbox table in pool's database.
func NewPostgresStore(pool *pgxpool.Pool) *PostgresStore { return &PostgresStore{pool: pool} }

// Sweep publishes and deletes, in one transaction, up to limit rows not
// locked by another sweep. Its age is by the database's clock, which
// stamped created_at.
func (s *PostgresStore) Sweep(ctx context.Context, minAge time.Duration, limit int, publish PublishFunc) (int, error) {
	var n int
	var published error
	err := postgres.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		msgs, err := lockWaiting(ctx, tx, minAge, limit)
		if err != nil {
			return err
		}
		n = len(msgs)
		if n == 0 {
			return nil
		}
		var sent []string
		sent, published = publish(ctx, msgs)
		return deleteRows(ctx, tx, sent)
	})
	return n, errors.Join(err, published)
}

// Remove deletes rows by ID.
func (s *PostgresStore) Remove(ctx context.Context, ids []string) error {
	return postgres.InTx(ctx, s.pool, func(tx pgx.Tx) error { return deleteRows(ctx, tx, ids) })
}

func lockWaiting(ctx context.Context, tx pgx.Tx, minAge time.Duration, limit int) ([]Message, error) {
	query, args := `SELECT id, queue, body FROM outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`, []any{limit}
	if minAge > 0 {
		query = `SELECT id, queue, body FROM outbox WHERE created_at <= clock_timestamp() - $2 * interval '1 microsecond'
			ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`
		args = append(args, minAge.Microseconds())
	}
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	msgs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Message, error) {
		var id int64
		var m Message
		var body string
		if err := row.Scan(&id, &m.Queue, &body); err != nil {
			return Message{}, err
		}
		m.ID, m.Body = strconv.FormatInt(id, 10), []byte(body)
		m.EventID, m.EventName, m.CorrelationID = metaOf(m.Body)
		return m, nil
	})
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	return msgs, nil
}

// metaOf reads the identity of the envelope body, for log lines only: a
// body that does not decode is published all the same.
func metaOf(body []byte) (eventID, name, correlationID string) {
	var env struct {
		Meta events.Meta `json:"meta"`
	}
	_ = json.Unmarshal(body, &env)
	return env.Meta.EventID, env.Meta.EventName, env.Meta.CorrelationID
}

func deleteRows(ctx context.Context, tx pgx.Tx, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	rowIDs := make([]int64, 0, len(ids))
	for _, id := range ids {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return fmt.Errorf("outbox row id %q: %w", id, err)
		}
		rowIDs = append(rowIDs, n)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM outbox WHERE id = ANY($1)`, rowIDs); err != nil {
		return fmt.Errorf("delete relayed rows: %w", err)
	}
	return nil
}
