package harness

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/pprof"
	"sync"
	"time"
)

// buildFunc configures one run of a service: door is its way to AWS (nil
// for the gateway), ln what it serves on, rec where its telemetry is kept.
type buildFunc func(ctx context.Context, door *awsDoor, ln net.Listener, rec recording) (runFunc, error)

// proc is one service of the running system (the gateway too), as the
// fault API drives it: in-process (service) or a container
// (containerService).
type proc interface {
	// start runs it, or runs it again; it does not wait for readiness.
	start(ctx context.Context) error
	// stop ends its run: killed as a crash, paused with its address kept
	// (callers wait), or gracefully.
	stop(kill, pause bool) error
	running() bool
	waitReady(ctx context.Context) error
	// finish stops it for good, when the system closes.
	finish() error
}

// service is one service run in-process: its address, held by the
// harness, and its current run.
type service struct {
	name   string
	sock   *socket
	build  buildFunc
	log    *slog.Logger
	proxy  *awsProxy                      // nil for the gateway, which does not use AWS
	health string                         // the path that says it is ready
	record func(service string) recording // where each run's telemetry is kept

	// lifecycle serializes starts and stops: a start waits until a stop
	// under way (a killed run winding down) is over.
	lifecycle sync.Mutex
	mu        sync.Mutex
	run       *serviceRun // nil while it is not running
	failed    chan error  // a run that stopped on its own reports here
}

// serviceRun is one run of a service, from start to stop.
type serviceRun struct {
	cancel context.CancelFunc
	done   chan struct{}
	err    error // once done is closed
	door   *awsDoor
}

// stopTimeout bounds how long a service may take to stop.
const stopTimeout = 30 * time.Second

// start runs the service on its socket, binding the address again if it
// was closed. It does not wait for readiness.
func (sv *service) start(ctx context.Context) error {
	sv.lifecycle.Lock()
	defer sv.lifecycle.Unlock()
	sv.mu.Lock()
	defer sv.mu.Unlock()
	if sv.run != nil {
		return nil
	}
	if err := sv.sock.open(); err != nil {
		return err
	}
	var door *awsDoor
	if sv.proxy != nil {
		door = sv.proxy.open(sv.name)
	}
	fn, err := sv.build(ctx, door, sv.sock.view(), sv.record(sv.name))
	if err != nil {
		sv.proxy.shutIfAny(door)
		return fmt.Errorf("configure %s: %w", sv.name, err)
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	run := &serviceRun{cancel: cancel, done: make(chan struct{}), door: door}
	sv.run = run
	go func() {
		// Labelled, so that a CPU profile of the process (make bench) tells
		// the services apart: their goroutines inherit the label.
		pprof.Do(runCtx, pprof.Labels("component", sv.name), func(ctx context.Context) { run.err = fn(ctx, sv.log) })
		close(run.done)
		sv.mu.Lock()
		stoppedItself := sv.run == run
		if stoppedItself {
			sv.run = nil
		}
		sv.mu.Unlock()
		if stoppedItself && run.err != nil {
			select {
			case sv.failed <- fmt.Errorf("%s stopped: %w", sv.name, run.err):
			default:
			}
		}
	}()
	return nil
}

// stop ends the current run. Graceful: the service stops receiving,
// finishes what is in flight, flushes, and its address is kept (pause) or
// closed. Killed: its door to AWS is slammed first, so that nothing it
// still does reaches a queue or a table, and its address is closed with
// every connection on it.
func (sv *service) stop(kill, keepSocket bool) error {
	sv.lifecycle.Lock()
	defer sv.lifecycle.Unlock()
	sv.mu.Lock()
	run := sv.run
	sv.run = nil
	sv.mu.Unlock()
	if run == nil {
		if !keepSocket {
			sv.sock.close()
		}
		return nil
	}
	if kill {
		run.door.slam()
		sv.sock.close()
	}
	run.cancel()
	var err error
	select {
	case <-run.done:
		if !kill {
			err = run.err
		}
	case <-time.After(stopTimeout):
		err = fmt.Errorf("%s did not stop within %s", sv.name, stopTimeout)
	}
	if !keepSocket {
		sv.sock.close()
	}
	sv.proxy.shutIfAny(run.door)
	return err
}

// finish stops the service gracefully for good, reporting a run that had
// stopped on its own with an error, or did not stop in time.
func (sv *service) finish() error {
	err := sv.stop(false, false)
	select {
	case failed := <-sv.failed:
		err = errors.Join(err, failed)
	default:
	}
	return err
}

// running reports whether a run is under way.
func (sv *service) running() bool {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	return sv.run != nil
}

// url is the service's base URL; it never changes.
func (sv *service) url() string { return "http://" + sv.sock.addr }

// waitReady polls the service's health path until it answers 200.
func (sv *service) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	client := &http.Client{Timeout: 2 * time.Second}
	for !answers200(ctx, client, sv.url()+sv.health) {
		select {
		case err := <-sv.failed:
			return err
		case <-ctx.Done():
			return fmt.Errorf("%s not ready at %s: %w", sv.name, sv.url()+sv.health, ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
	return nil
}

func (p *awsProxy) shutIfAny(d *awsDoor) {
	if p != nil {
		p.shut(d)
	}
}

// errUnknownService names a service the system does not have.
var errUnknownService = errors.New("no such service")
