package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer that serve's goroutines and the test can
// share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var listening = regexp.MustCompile(`listening on (http://[0-9.:]+)`)

// startServe runs `fakepay serve` with args on a free port; it returns the
// fake's URL, the first line serve printed, and stop, which ends serve and
// returns its exit status.
func startServe(t *testing.T, args ...string) (base, banner string, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--access-token", testToken}, args...), &stdout, &stderr)
	}()
	eventually(t, "serve to listen", func() bool {
		m := listening.FindStringSubmatch(stdout.String())
		if m != nil {
			base = m[1]
		}
		return m != nil
	})
	stop = func() int {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited %d; stderr %q", code, stderr.String())
			}
			return code
		case <-time.After(10 * time.Second):
			t.Fatal("serve did not stop after its context was cancelled")
			return -1
		}
	}
	t.Cleanup(func() { cancel() })
	return base, stdout.String(), stop
}

func TestServeUntilCancelled(t *testing.T) {
	t.Parallel()
	base, _, stop := startServe(t)
	id := createPayment(t, base, "order-served")
	code, out, errOut := fakepay(t, "--url", base, "approve", "--order", "order-served")
	if code != 0 || !strings.Contains(out, "approved/accredited") {
		t.Errorf("approve against serve = %d %q %q (payment %d)", code, out, errOut, id)
	}
	stop()
}

// TestServeStateAndAutoApprove: with --auto-approve a new payment is paid
// by itself; with --state it is still there after a restart.
func TestServeStateAndAutoApprove(t *testing.T) {
	t.Parallel()
	state := filepath.Join(t.TempDir(), "fake.json")
	base, banner, stop := startServe(t, "--state", state, "--auto-approve", "10ms")
	if !strings.Contains(banner, "state in "+state) || !strings.Contains(banner, "auto-approve after 10ms") {
		t.Errorf("serve printed %q; want the state file and the auto-approve delay", banner)
	}
	createPayment(t, base, "order-kept")
	eventually(t, "the auto-approval", func() bool {
		_, out, _ := fakepay(t, "--url", base, "show", "--order", "order-kept")
		return strings.Contains(out, "approved/accredited")
	})
	stop()

	base, _, stop = startServe(t, "--state", state)
	defer stop()
	if out := mustRun(t, "--url", base, "show", "--order", "order-kept"); !strings.Contains(out, "approved/accredited") {
		t.Errorf("after a restart: %q; want the approved payment", out)
	}
}

func TestServeTakesAWebhookRetryLadder(t *testing.T) {
	t.Parallel()
	_, banner, stop := startServe(t, "--webhook-retries", "100ms, 1s,5s", "--variants", "ts_millis,topic")
	if !strings.Contains(banner, "webhook retries after 100ms, 1s, 5s") || !strings.Contains(banner, "notification variants ts_millis, topic") {
		t.Errorf("banner %q does not name the ladder and the variants", banner)
	}
	stop()
	_, banner, stop = startServe(t, "--webhook-retries", "mercadopago")
	if !strings.Contains(banner, "webhook retries after 15m0s, 15m0s, 5h30m0s, 42h0m0s, 48h0m0s") {
		t.Errorf("banner %q does not name Mercado Pago's ladder", banner)
	}
	stop()
	if code, _, errOut := fakepay(t, "serve", "--addr", "127.0.0.1:0", "--variants", "sideways"); code != 2 || !strings.Contains(errOut, "sideways") {
		t.Errorf("serve --variants sideways = %d %q, want a usage error", code, errOut)
	}
	for _, bad := range []string{"", "1s,", "soon", "-1s"} {
		if code, _, errOut := fakepay(t, "serve", "--addr", "127.0.0.1:0", "--webhook-retries", bad); code != 2 || !strings.Contains(errOut, "webhook-retries") {
			t.Errorf("serve --webhook-retries %q = %d %q, want a usage error", bad, code, errOut)
		}
	}
}
