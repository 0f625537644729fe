package harness

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime/pprof"
	"sync/atomic"
)

// awsDoor is one run of one service's way to AWS: the HTTP client its SDK
// clients are built with. A call through it is an HTTP request the SDK
// signed and serialized, served in-process by the proxy and the emulator's
// handler, and an HTTP response the SDK parses; only the socket is left out.
// A loopback connection would model nothing of the network to AWS, while
// its system calls and HTTP framing would be a large share of the system's
// CPU per order (docs/performance.md).
type awsDoor struct {
	service string
	url     string // the endpoint the service's SDK signs for; never dialled
	proxy   *awsProxy
	labels  context.Context // the service's profile labels, as the harness runs it

	// gone is cancelled when the door is slammed or shut: no call starts
	// after, and a slammed door's calls under way fail.
	gone    context.Context
	close   context.CancelFunc
	slammed atomic.Bool
}

// errDoorClosed is what a call through a slammed or shut door gets, as a
// call to a dead process gets a refused or reset connection.
var errDoorClosed = errors.New("aws door closed: the service's run is over")

// open gives a run of service a door of its own.
func (p *awsProxy) open(service string) *awsDoor {
	d := &awsDoor{service: service, url: "http://" + service + ".aws-door.invalid", proxy: p,
		labels: pprof.WithLabels(context.Background(), pprof.Labels("component", service))}
	d.gone, d.close = context.WithCancel(context.Background())
	p.mu.Lock()
	p.doors[d] = struct{}{}
	p.mu.Unlock()
	return d
}

// slam cuts the door: every call through it, under way or to come, fails.
// A nil door (the gateway's) has nothing to cut.
func (d *awsDoor) slam() {
	if d != nil && !d.slammed.Swap(true) {
		d.close()
	}
}

func (d *awsDoor) isSlammed() bool { return d.slammed.Load() }

// shut closes a door politely, once its service has stopped.
func (p *awsProxy) shut(d *awsDoor) {
	if d == nil {
		return
	}
	p.mu.Lock()
	delete(p.doors, d)
	p.mu.Unlock()
	d.close()
}

// Do serves one call of the door's service (aws.HTTPClient).
func (d *awsDoor) Do(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		defer r.Body.Close()
	}
	if d.gone.Err() != nil {
		return nil, errDoorClosed
	}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	defer context.AfterFunc(d.gone, cancel)()
	in := r.WithContext(ctx) // as a server receives it
	in.Host, in.RequestURI = r.URL.Host, r.URL.RequestURI()
	if r.Host != "" {
		in.Host = r.Host
	}
	if in.Body == nil {
		in.Body = http.NoBody
	}
	w := &doorResponse{ResponseRecorder: httptest.NewRecorder()}
	if err := d.serve(w, in); err != nil {
		return nil, err
	}
	if w.hungUp || d.isSlammed() {
		return nil, errDoorClosed
	}
	if err := r.Context().Err(); err != nil {
		return nil, fmt.Errorf("aws call: %w", err)
	}
	res := w.Result()
	res.Request = r
	return res, nil
}

// serve has the proxy answer in on the calling goroutine, labelled as the
// emulator's meanwhile so that a CPU profile tells the two apart. (A
// goroutine per call would grow a fresh stack each time.)
// A panic is the emulator's: the call fails, as a server's dropped
// connection would, and the service goes on.
func (d *awsDoor) serve(w *doorResponse, in *http.Request) (err error) {
	defer func() {
		pprof.SetGoroutineLabels(d.labels)
		if v := recover(); v != nil {
			d.proxy.log.Error("aws emulator panicked", "service", d.service, "action", in.Header.Get("X-Amz-Target"), "panic", v)
			err = fmt.Errorf("aws call: the emulator failed: %v", v)
		}
	}()
	pprof.SetGoroutineLabels(d.proxy.labels)
	d.proxy.serve(d, w, in)
	return nil
}

// doorResponse is the answer to one call, recorded.
type doorResponse struct {
	*httptest.ResponseRecorder
	hungUp bool // the proxy hung up instead of answering
}

func (w *doorResponse) hangUp() { w.hungUp = true }
