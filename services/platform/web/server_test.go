package web_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/web"
)

func TestServeDrainsInFlightRequestOnCancel(t *testing.T) {
	t.Parallel()
	ln, err := web.Listen(nil, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	started, release := make(chan struct{}), make(chan struct{})
	r := web.NewRouter(logging.Discard())
	r.Get("/slow", func(w http.ResponseWriter, _ *http.Request) {
		close(started)
		<-release
		web.Respond(w, http.StatusOK, map[string]string{"status": "done"})
	})

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- web.Serve(ctx, ln, r, logging.Discard()) }()

	type result struct {
		status int
		body   string
		err    error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/slow")
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		got <- result{status: resp.StatusCode, body: string(body), err: err}
	}()

	select {
	case <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("request never reached the handler")
	}
	cancel()
	// Shutdown closes the listener first: once dialing fails, the server is draining.
	eventually(t, 5*time.Second, "the listener to close", func() bool {
		c, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second)
		if err != nil {
			return true
		}
		c.Close()
		return false
	})
	select {
	case err := <-served:
		t.Fatalf("Serve returned %v while a request was in flight", err)
	default:
	}

	close(release)
	select {
	case res := <-got:
		if res.err != nil || res.status != http.StatusOK {
			t.Fatalf("in-flight request = %d %q %v; want it to complete with 200", res.status, res.body, res.err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("in-flight request never completed")
	}
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("Serve = %v; want nil after a graceful stop", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after the last request finished")
	}
}

func TestListenUsesTheGivenListener(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got, err := web.Listen(ln, "ignored:1")
	if err != nil || got != ln {
		t.Fatalf("Listen(ln) = %v, %v; want ln itself", got, err)
	}
}
