package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/comanda/comanda/fakes/mercadopago"
)

// shutdownTimeout bounds how long serve waits for requests in flight.
const shutdownTimeout = 5 * time.Second

// expirySweep is how often serve reads every payment, so that expired ones
// are noticed, and their webhooks sent, even when nobody asks about them.
const expirySweep = time.Second

// serve runs the fake on --addr until ctx is done (SIGINT or SIGTERM).
func serve(ctx context.Context, g *globals, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve")
	g.register(fs)
	addr := fs.String("addr", "127.0.0.1:8090", "address to listen on")
	token := fs.String("access-token", "TEST-sandbox-access-token", "the bearer token the fake accepts")
	secret := fs.String("webhook-secret", "sandbox-webhook-secret", "the key webhooks are signed with")
	positional, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(positional) > 0 {
		return usagef("serve takes no arguments, got %q", positional[0])
	}

	logger := slog.New(slog.NewTextHandler(stderr, nil))
	fake, err := mercadopago.New(mercadopago.Options{AccessToken: *token, WebhookSecret: *secret, Logger: logger})
	if err != nil {
		return fmt.Errorf("start the fake: %w", err)
	}
	defer fake.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	srv := &http.Server{Handler: fake.Handler(), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "fake Mercado Pago listening on http://%s (access token %s, webhook secret %s)\n",
		ln.Addr(), *token, *secret)

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	var wg sync.WaitGroup
	sweepCtx, stopSweep := context.WithCancel(ctx)
	defer func() { stopSweep(); wg.Wait() }()
	wg.Go(func() { sweepExpired(sweepCtx, fake) })

	select {
	case err := <-serveErr:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-serveErr; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

func sweepExpired(ctx context.Context, fake *mercadopago.Fake) {
	ticker := time.NewTicker(expirySweep)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			fake.Payments() // reading expires what is due
		}
	}
}
