package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"sync"
	"time"
)

// initdbArgs make a cluster fast to create and to copy: trust on loopback
// only, no fsync, the C locale, and 1 MB WAL segments instead of 16 MB.
func initdbArgs() []string {
	return []string{"-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C", "--wal-segsize=1"}
}

const (
	sourceInitdb = "initdb"
	sourceCache  = "template cache"
)

// embedded is a cluster of our own: a work directory and a postmaster.
type embedded struct {
	log    *slog.Logger
	bins   binaries
	owner  *runAs
	dir    *workDir
	cache  templateCache
	source string // where the data directory came from
	out    *logBuffer
	port   int
	mu     sync.Mutex // guards pm (and out) across StopServer and StartServer
	pm     *postmaster
}

func startEmbedded(ctx context.Context, log *slog.Logger) (*embedded, error) {
	began := time.Now()
	e, err := newEmbedded(ctx, log)
	if err != nil {
		return nil, err
	}
	if err := e.boot(ctx); err != nil {
		return nil, errors.Join(err, e.stop())
	}
	log.Info("postgres ready", "backend", e.describe(), "dir", e.dir.path, "took", time.Since(began).Round(time.Millisecond))
	return e, nil
}

// newEmbedded finds the binaries and makes the work directory.
func newEmbedded(ctx context.Context, log *slog.Logger) (*embedded, error) {
	bins, err := findBinaries(ctx)
	if err != nil {
		return nil, err
	}
	owner, err := lookupRunAs()
	if err != nil {
		return nil, err
	}
	dir, err := newWorkDir(tempBase(), owner, log)
	if err != nil {
		return nil, err
	}
	return &embedded{log: log, bins: bins, owner: owner, dir: dir, cache: newTemplateCache(bins, log), out: newLogBuffer(1 << 16)}, nil
}

// boot makes the data directory and starts postgres on it. A cached
// template that will not start is dropped, and the cluster made afresh.
func (e *embedded) boot(ctx context.Context) error {
	began := time.Now()
	if err := e.prepareData(ctx); err != nil {
		return err
	}
	e.log.Debug("postgres data directory ready", "source", e.source, "took", time.Since(began).Round(time.Millisecond))
	err := e.launch(ctx)
	if err == nil || e.source != sourceCache || ctx.Err() != nil {
		return err
	}
	e.log.Warn("postgres did not start from the cached template; making a fresh one", "err", err)
	e.cache.invalidate()
	if err := os.RemoveAll(e.dir.dataDir()); err != nil {
		return fmt.Errorf("remove data directory: %w", err)
	}
	if err := e.initdb(ctx); err != nil {
		return err
	}
	e.cache.save(e.dir.dataDir())
	return e.launch(ctx)
}

func (e *embedded) prepareData(ctx context.Context) error {
	err := e.cache.restore(e.dir.dataDir(), e.owner)
	if err == nil {
		e.source = sourceCache
		return nil
	}
	e.log.Debug("no usable postgres template", "reason", err)
	if err := os.RemoveAll(e.dir.dataDir()); err != nil {
		return fmt.Errorf("remove data directory: %w", err)
	}
	if err := e.initdb(ctx); err != nil {
		return err
	}
	e.cache.save(e.dir.dataDir())
	return nil
}

func (e *embedded) initdb(ctx context.Context) error {
	cmd := exec.CommandContext(ctx, e.bins.initdb, append([]string{"-D", e.dir.dataDir()}, initdbArgs()...)...)
	cmd.Dir = e.dir.path
	cmd.Env = childEnv()
	cmd.SysProcAttr = sysProcAttr(e.owner.credential())
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("initdb: %w\n%s", err, out)
	}
	e.source = sourceInitdb
	return nil
}

// launch starts postgres on a free port. Another process may take the port
// between our choosing and postgres binding it; then it tries another.
func (e *embedded) launch(ctx context.Context) error {
	for attempt := 1; ; attempt++ {
		port, err := freePort()
		if err != nil {
			return err
		}
		out := newLogBuffer(1 << 16)
		pm, err := startPostmaster(e.bins, e.owner, e.dir.dataDir(), e.dir.path, port, out)
		if err != nil {
			return err
		}
		err = pm.waitReady(ctx, urlFor(port, "postgres"), 30*time.Second)
		if err == nil {
			e.pm, e.port, e.out = pm, port, out
			return nil
		}
		pm.stop(5 * time.Second)
		if attempt < 5 && portInUse(out.String()) {
			continue
		}
		return fmt.Errorf("%w\n--- postgres log ---\n%s", err, out)
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func urlFor(port int, database string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", port, database)
}

func (e *embedded) url(database string) string { return urlFor(e.port, database) }

func (e *embedded) describe() string {
	return fmt.Sprintf("embedded postgres %s (%s, port %d)", e.bins.version, e.source, e.port)
}

// stop shuts postgres down, then removes the work directory.
func (e *embedded) stop() error {
	if err := e.stopServer(); err != nil {
		return err
	}
	return e.dir.remove()
}
