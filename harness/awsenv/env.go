// Package awsenv provides the AWS side of the system for tests and the
// sandbox: an AWS emulator (kumo, in-process, unless an external endpoint such
// as LocalStack is given) with the queues, dead-letter queues, tables, JWT
// signing key and project secret of the topology provisioned in it, under a
// name prefix so that runs sharing an emulator do not meet.
package awsenv

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/comanda/comanda/services/platform/awsconf"
	"github.com/comanda/comanda/services/topology"
)

// Options configures Start.
type Options struct {
	// Logger receives progress; nil discards it.
	Logger *slog.Logger
	// ExternalEndpoint (AWS_ENDPOINT_URL) is an emulator to use instead of
	// starting kumo.
	ExternalEndpoint string
	// Region defaults to us-east-1.
	Region string
	// Prefix goes in front of every queue, table, secret and key alias
	// name; make it unique per run, e.g. with NewPrefix.
	Prefix string
}

// Env is a provisioned emulator. The Resources say what is in it.
type Env struct {
	Endpoint string         // the emulator's URL
	Config   awsconf.Config // what services need to reach it
	Clients  awsconf.Clients
	Prefix   string // in front of every name (QUEUE_PREFIX for services)
	Resources

	log       *slog.Logger
	kumo      *Emulator // nil when external
	backend   string
	closeOnce sync.Once
}

// Start starts kumo (unless opts.ExternalEndpoint is set) and provisions the
// topology in it.
func Start(ctx context.Context, opts Options) (*Env, error) {
	began := time.Now()
	e := &Env{log: opts.Logger, Endpoint: opts.ExternalEndpoint, Prefix: opts.Prefix}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if opts.Region == "" {
		opts.Region = "us-east-1"
	}
	if e.Endpoint == "" {
		e.kumo = StartEmulator()
		e.Endpoint = e.kumo.URL()
		e.backend = fmt.Sprintf("embedded kumo v%s at %s", kumoVersion, e.Endpoint)
	} else {
		e.backend = "external " + e.Endpoint
	}
	e.Config = awsconf.Config{Region: opts.Region, Endpoint: e.Endpoint}
	var err error
	if e.Clients, err = awsconf.New(ctx, e.Config); err != nil {
		e.Close()
		return nil, fmt.Errorf("aws clients for %s: %w", e.backend, err)
	}
	top, err := topology.Load()
	if err != nil {
		e.Close()
		return nil, err
	}
	if e.Resources, err = Provision(ctx, e.Clients, top, opts.Prefix); err != nil {
		e.Close()
		return nil, fmt.Errorf("provision %s: %w", e.backend, err)
	}
	e.log.Info("aws emulator ready", "backend", e.backend, "prefix", opts.Prefix,
		"took", time.Since(began).Round(time.Millisecond))
	return e, nil
}

// Handler serves the embedded emulator in-process; nil when it is external.
func (e *Env) Handler() http.Handler {
	if e.kumo == nil {
		return nil
	}
	return e.kumo.Handler()
}

// Backend says which emulator this is, for logs.
func (e *Env) Backend() string { return e.backend }

// Close deletes what Start created, best effort, then stops kumo if it is
// ours. Deleting matters for kumo too: every kumo in a process shares one
// state, and other tests' emulators would carry ours. Close is idempotent.
func (e *Env) Close() {
	e.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := e.Resources.teardown(ctx, e.Clients); err != nil {
			e.log.Warn("could not delete every provisioned AWS resource", "backend", e.backend, "err", err)
		}
		if e.kumo != nil {
			e.kumo.Close()
		}
	})
}
