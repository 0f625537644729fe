package harness

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// serveOn answers "ok" on l until the returned stop is called.
func serveOn(l net.Listener) (stop func()) {
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") })}
	go func() { _ = srv.Serve(l) }()
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}
}

func get(url string, timeout time.Duration) error {
	c := &http.Client{Timeout: timeout, Transport: &http.Transport{DisableKeepAlives: true}}
	res, err := c.Get(url)
	if err != nil {
		return err
	}
	return res.Body.Close()
}

// A paused service's callers wait on its address and are answered once it
// is back; a stopped one's are refused; a started one is on the same address.
func TestSocketHoldsTheAddressAcrossRuns(t *testing.T) {
	t.Parallel()
	s, err := bindSocket("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	url := "http://" + s.addr
	stop := serveOn(s.view())
	if err := get(url, time.Second); err != nil {
		t.Fatalf("running: %v", err)
	}

	stop() // paused: the address stays bound
	answered := make(chan error, 1)
	go func() { answered <- get(url, 5*time.Second) }()
	select {
	case err := <-answered:
		t.Fatalf("a paused service answered (%v); its caller should wait", err)
	case <-time.After(200 * time.Millisecond):
	}
	stop = serveOn(s.view()) // resumed
	if err := <-answered; err != nil {
		t.Fatalf("the waiting caller after the resume: %v", err)
	}

	stop()
	s.close() // stopped: refused
	if err := get(url, time.Second); err == nil {
		t.Fatal("a stopped service's address still answers")
	}
	addr := s.addr
	if err := s.open(); err != nil {
		t.Fatal(err)
	}
	defer serveOn(s.view())()
	if err := get(url, time.Second); err != nil || s.addr != addr {
		t.Fatalf("started again on %s (was %s): %v", s.addr, addr, err)
	}
}
