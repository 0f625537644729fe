// Package pgcluster gives tests and the local sandbox a throw-away
// PostgreSQL server: a cluster made with the machine's own initdb and
// postgres binaries in a temporary directory, on a random loopback port, that
// dies with the process that started it. With an external URL (DATABASE_URL)
// it uses that server instead, so callers run the same code either way: start,
// create one database per user, stop.
package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Options configures Start.
type Options struct {
	// Logger receives progress and diagnostics; nil discards them.
	Logger *slog.Logger
	// ExternalURL, when set (e.g. from DATABASE_URL), names a server to use
	// instead of starting one. Its user must be allowed to create databases.
	ExternalURL string
}

// Cluster is a running PostgreSQL server, embedded or external.
type Cluster struct {
	log      *slog.Logger
	backend  string
	adminURL string
	admin    *pgxpool.Pool
	server   *embedded // nil when external

	mu      sync.Mutex
	created []string // databases made on an external server, dropped by Stop

	stopOnce sync.Once
	stopErr  error
}

// Start starts a throw-away cluster, or connects to opts.ExternalURL.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opts.ExternalURL != "" {
		return startExternal(ctx, opts.ExternalURL, log)
	}
	srv, err := startEmbedded(ctx, log)
	if err != nil {
		return nil, err
	}
	c := &Cluster{log: log, backend: srv.describe(), adminURL: srv.url("postgres"), server: srv}
	if c.admin, err = pgxpool.New(ctx, c.adminURL); err != nil {
		return nil, errors.Join(fmt.Errorf("connect to embedded postgres: %w", err), srv.stop())
	}
	return c, nil
}

// Backend says which server this is, without credentials, for logs.
func (c *Cluster) Backend() string { return c.backend }

// Log returns the embedded server's recent log output (empty when external),
// for diagnostics when something fails.
func (c *Cluster) Log() string {
	if c.server == nil {
		return ""
	}
	c.server.mu.Lock()
	defer c.server.mu.Unlock()
	return c.server.out.String()
}

// CreateDatabase creates an empty database called name, which the caller
// makes unique, and returns a URL for it that pgx accepts.
func (c *Cluster) CreateDatabase(ctx context.Context, name string) (string, error) {
	if name == "" || len(name) > 63 {
		return "", fmt.Errorf("create database %q: name must be 1 to 63 bytes", name)
	}
	url, err := withDatabase(c.adminURL, name)
	if err != nil {
		return "", err
	}
	if _, err := c.admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", fmt.Errorf("create database %q: %w", name, err)
	}
	if c.server == nil {
		c.mu.Lock()
		c.created = append(c.created, name)
		c.mu.Unlock()
	}
	return url, nil
}

// Stop shuts the embedded server down fast and removes its directory, or
// drops the databases made on an external server. It is safe to call twice.
func (c *Cluster) Stop() error {
	c.stopOnce.Do(func() {
		if c.server == nil {
			c.stopErr = c.dropCreated()
			c.admin.Close()
			return
		}
		c.admin.Close()
		c.stopErr = c.server.stop()
	})
	return c.stopErr
}
