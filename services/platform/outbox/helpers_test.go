package outbox_test

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/comanda/comanda/harness/awsenv/awstest"
	"github.com/comanda/comanda/harness/pgcluster/pgtest"
	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/outbox"
	"github.com/comanda/comanda/services/platform/postgres"
)

func TestMain(m *testing.M) { os.Exit(awstest.Run(m, pgtest.Run)) }

// migrations create the outbox table as the package documents it.
var migrations = fstest.MapFS{
	"00001_outbox.sql": {Data: []byte("-- +goose Up\n" + outbox.TableSQL + "\n\n-- +goose Down\nDROP TABLE outbox;\n")},
}

// newPool opens a fresh, migrated database for the test.
func newPool(t *testing.T) *pgxpool.Pool {
	t.Helper()
	pool, err := postgres.Open(t.Context(), postgres.Config{URL: pgtest.NewDatabase(t), MaxConns: 8}, migrations, logging.Discard())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// sent is one message the fake publisher accepted.
type sent struct {
	queue   string
	eventID string
}

// fakePublisher records what it sends; it refuses the first failures
// calls, and every call to a queue in down.
type fakePublisher struct {
	mu       sync.Mutex
	failures int
	down     map[string]bool
	attempts int
	sent     []sent
}

func (p *fakePublisher) PublishBodies(_ context.Context, queue string, bodies [][]byte) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.attempts++
	if p.failures > 0 || p.down[queue] {
		p.failures = max(p.failures-1, 0)
		return errors.New("sqs: service unavailable")
	}
	for _, b := range bodies {
		env, err := events.Parse(b)
		if err != nil {
			return err
		}
		p.sent = append(p.sent, sent{queue: queue, eventID: env.Meta.EventID})
	}
	return nil
}

// heal makes every later publish succeed.
func (p *fakePublisher) heal() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.failures = 0
}

func (p *fakePublisher) snapshot() (attempts int, out []sent) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.attempts, append([]sent(nil), p.sent...)
}

// waitSent waits until n messages were sent and returns them.
func (p *fakePublisher) waitSent(t *testing.T, n int, timeout time.Duration) []sent {
	t.Helper()
	var got []sent
	eventually(t, timeout, "the relay to publish", func() bool {
		_, got = p.snapshot()
		return len(got) >= n
	})
	return got
}

// addEvents commits one transaction adding an event per queue name, and
// returns what was written, in order.
func addEvents(t *testing.T, pool *pgxpool.Pool, queues ...string) []sent {
	t.Helper()
	var want []sent
	err := postgres.InTx(t.Context(), pool, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for _, q := range queues {
			env, err := events.New(events.OrderPaid, events.OrderService, events.ProductionService, "corr", events.OrderPaidPayload{OrderID: "o"})
			if err != nil {
				return err
			}
			if err := outbox.Queue(b, q, env); err != nil {
				return err
			}
			want = append(want, sent{queue: q, eventID: env.Meta.EventID})
		}
		return tx.SendBatch(t.Context(), b).Close()
	})
	if err != nil {
		t.Fatalf("add events: %v", err)
	}
	return want
}

func outboxRows(t *testing.T, pool *pgxpool.Pool) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM outbox").Scan(&n); err != nil {
		t.Fatalf("count outbox: %v", err)
	}
	return n
}

// startRelay runs a relay of pool's outbox that only wakes on Notify (its
// interval is an hour) until the test ends, and returns it with a stop
// function that cancels it and waits for Run to return.
func startRelay(t *testing.T, pool *pgxpool.Pool, pub outbox.Publisher) (*outbox.Relay, func() error) {
	t.Helper()
	relay := outbox.NewRelay(outbox.NewPostgresStore(pool), pub, outbox.Config{Interval: time.Hour}, logging.Discard())
	return relay, run(t, relay)
}

// run runs relay until the test ends and returns a function that cancels it
// and waits for Run to return.
func run(t *testing.T, relay *outbox.Relay) func() error {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- relay.Run(ctx) }()
	var once sync.Once
	var err error
	stop := func() error {
		once.Do(func() {
			cancel()
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				err = errors.New("relay did not stop within 10s")
			}
		})
		return err
	}
	t.Cleanup(func() { _ = stop() })
	return stop
}

// eventually polls cond every few milliseconds until it holds or timeout passes.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		<-tick.C
	}
}
