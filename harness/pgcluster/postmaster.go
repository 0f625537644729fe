package pgcluster

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// postmaster is a running postgres server process, our child.
type postmaster struct {
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	err  error         // its exit status, readable once done is closed
}

// startPostmaster starts postgres on dataDir and port, its socket in sockDir.
func startPostmaster(b binaries, owner *runAs, dataDir, sockDir string, port int, out *logBuffer) (*postmaster, error) {
	cmd := exec.Command(b.postgres,
		"-D", dataDir, "-p", fmt.Sprint(port), "-k", sockDir,
		"-c", "listen_addresses=127.0.0.1",
		// Durability buys nothing in a throw-away cluster.
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
		// A throw-away cluster's data is small, and every buffer touched
		// counts in the memory of the whole system (make bench).
		"-c", "max_connections=300", "-c", "shared_buffers=32MB",
		// Dynamic shared memory as files in the data directory rather than
		// in /dev/shm, so that a killed cluster leaves nothing outside it.
		"-c", "dynamic_shared_memory_type=mmap",
	)
	cmd.Dir = sockDir // postgres resolves its cwd, which must be readable as postgres
	cmd.Env = childEnv()
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = sysProcAttr(owner.credential())
	// Backends inherit the log pipe; do not wait forever for stray ones.
	cmd.WaitDelay = 2 * time.Second
	p := &postmaster{cmd: cmd, done: make(chan struct{})}
	started := make(chan error, 1)
	go func() {
		// The parent-death signal fires when the thread that started the
		// child exits, not the process, so keep this goroutine on its thread
		// until the child is gone.
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		p.err = cmd.Wait()
		close(p.done)
	}()
	if err := <-started; err != nil {
		return nil, fmt.Errorf("start postgres: %w", err)
	}
	return p, nil
}

// waitReady polls a connection until postgres accepts it, the process exits,
// or the deadline passes.
func (p *postmaster) waitReady(ctx context.Context, url string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		attempt, cancelAttempt := context.WithTimeout(ctx, time.Second)
		conn, err := pgx.Connect(attempt, url)
		cancelAttempt()
		if err == nil {
			return conn.Close(ctx)
		}
		select {
		case <-p.done:
			return fmt.Errorf("postgres exited before accepting connections: %v", p.err)
		case <-ctx.Done():
			return fmt.Errorf("wait for postgres to accept connections: %w (last attempt: %v)", ctx.Err(), err)
		case <-tick.C:
		}
	}
}

// stop asks for a fast shutdown (SIGINT: disconnect clients, checkpoint,
// exit) and waits; after timeout it kills.
func (p *postmaster) stop(timeout time.Duration) (killed bool) {
	select {
	case <-p.done:
		return false
	default:
	}
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
		return false
	case <-time.After(timeout):
		_ = p.cmd.Process.Kill()
		<-p.done
		return true
	}
}

// pid is the postmaster's process id.
func (p *postmaster) pid() int { return p.cmd.Process.Pid }

// childEnv is our environment without the PG* variables that would steer
// initdb or postgres elsewhere, and with the C locale, which always exists.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PG") || strings.HasPrefix(kv, "LC_") || strings.HasPrefix(kv, "LANG=") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "LC_ALL=C")
}

// portInUse tells a lost race for the port apart from other start failures.
func portInUse(log string) bool {
	return strings.Contains(log, "could not bind") || strings.Contains(log, "already in use")
}
