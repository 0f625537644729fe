package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrExternal is returned by StopServer and StartServer for a server the
// harness did not start, which it cannot stop.
var ErrExternal = errors.New("pgcluster: an external server cannot be stopped or started")

// StopServer shuts the embedded server down (fast: clients are cut off,
// as in a crash or a failover) and keeps its data directory and port for
// StartServer. Fault tests use it to take PostgreSQL away from running
// services.
func (c *Cluster) StopServer() error {
	if c.server == nil {
		return ErrExternal
	}
	return c.server.stopServer()
}

// StartServer starts the embedded server again on the same port and data
// directory, and waits until it accepts connections.
func (c *Cluster) StartServer(ctx context.Context) error {
	if c.server == nil {
		return ErrExternal
	}
	return c.server.startServer(ctx)
}

func (e *embedded) stopServer() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.pm == nil {
		return nil
	}
	if e.pm.stop(10 * time.Second) {
		e.log.Warn("postgres did not shut down in time and was killed")
	}
	e.pm = nil
	return nil
}

// startServer starts postgres on its old port. The port was free a moment
// ago; if another process took it meanwhile, waiting will not help, but a
// socket in TIME_WAIT might, so it tries a few times.
func (e *embedded) startServer(ctx context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.pm != nil {
		return nil
	}
	var err error
	for attempt := 1; attempt <= 5; attempt++ {
		out := newLogBuffer(1 << 16)
		var pm *postmaster
		if pm, err = startPostmaster(e.bins, e.owner, e.dir.dataDir(), e.dir.path, e.port, out); err != nil {
			return err
		}
		if err = pm.waitReady(ctx, e.url("postgres"), 30*time.Second); err == nil {
			e.pm, e.out = pm, out
			return nil
		}
		pm.stop(5 * time.Second)
		if !portInUse(out.String()) {
			return fmt.Errorf("restart postgres on port %d: %w\n--- postgres log ---\n%s", e.port, err, out)
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("restart postgres on port %d: %w", e.port, err)
}
