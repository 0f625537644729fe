package outbox

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// listenRetry is how long the listener waits before connecting again after
// losing its connection, e.g. while PostgreSQL restarts.
const listenRetry = time.Second

// listen holds a connection of its own (outside the pool, whose
// connections come and go) listening on Channel, and wakes the relay on
// every notification, until ctx ends. A lost connection is made again;
// since notifications sent meanwhile are lost, each new connection wakes
// the relay once.
func (r *Relay) listen(ctx context.Context) {
	for ctx.Err() == nil {
		err := r.listenOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		r.log.Warn("outbox listener lost its connection; reconnecting", "err", err, "retry_in", listenRetry.String())
		t := time.NewTimer(listenRetry)
		select {
		case <-ctx.Done():
		case <-t.C:
		}
		t.Stop()
	}
}

func (r *Relay) listenOnce(ctx context.Context) error {
	conn, err := pgx.ConnectConfig(ctx, r.pool.Config().ConnConfig.Copy())
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{Channel}.Sanitize()); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	r.Notify()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return fmt.Errorf("wait for notification: %w", err)
		}
		r.Notify()
	}
}
