package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/comanda/comanda/fakes/mercadopago"
)

// shutdownTimeout bounds how long serve waits for requests in flight.
const shutdownTimeout = 5 * time.Second

// serve runs the fake on --addr until ctx is done (SIGINT or SIGTERM).
func serve(ctx context.Context, g *globals, verb string, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet(verb)
	addr := fs.String("addr", "127.0.0.1:8090", "address to listen on")
	opts := mercadopago.Options{}
	fs.StringVar(&opts.AccessToken, "access-token", "TEST-sandbox-access-token", "the bearer token the fake accepts")
	fs.StringVar(&opts.WebhookSecret, "webhook-secret", "sandbox-webhook-secret", "the key webhooks are signed with")
	fs.StringVar(&opts.PersistPath, "state", "", "keep the fake's state in this JSON file across restarts")
	fs.DurationVar(&opts.AutoApproveAfter, "auto-approve", 0, "approve every new payment this long after its creation")
	fs.BoolVar(&opts.Drift, "drift", false, "answer API calls with Mercado Pago's liberties: masked payer, extra fields, nulls")
	fs.DurationVar(&opts.IdempotencyTTL, "idempotency-ttl", 24*time.Hour, "how long, on the fake's clock, an X-Idempotency-Key is remembered")
	fs.Func("webhook-retries", "delays between webhook attempts, on the fake's clock: mercadopago (the default: 15m, 30m, 6h, 48h and 96h after the first), quick (within 8s), none, or a list like 100ms,1s,5s", func(v string) error {
		schedule, err := mercadopago.ParseRetrySchedule(v)
		opts.RetrySchedule = schedule
		return err
	})
	fs.Func("variants", "shape every notification so: a comma-separated list of "+variantList(), func(v string) error {
		vs, err := mercadopago.ParseVariants(v)
		opts.NotificationVariants = vs
		return err
	})
	if _, err := parseVerb(g, fs, args, 0, 0, "no arguments"); err != nil {
		return err
	}
	if opts.AutoApproveAfter < 0 {
		return usagef("--auto-approve must not be negative")
	}

	opts.Logger = slog.New(slog.NewTextHandler(stderr, nil))
	fake, err := mercadopago.New(opts)
	if err != nil {
		return fmt.Errorf("start the fake: %w", err)
	}
	defer fake.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	srv := &http.Server{Handler: fake.Handler(), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "fake Mercado Pago listening on http://%s (access token %s, webhook secret %s%s)\n",
		ln.Addr(), opts.AccessToken, opts.WebhookSecret, serveExtras(opts))

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	select {
	case err := <-serveErr:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	opts.Logger.Info("shutting down")
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

// serveExtras says which optional modes are on.
func serveExtras(opts mercadopago.Options) string {
	s := ""
	if opts.PersistPath != "" {
		s += ", state in " + opts.PersistPath
	}
	if opts.AutoApproveAfter > 0 {
		s += ", auto-approve after " + opts.AutoApproveAfter.String()
	}
	if opts.Drift {
		s += ", payload drift"
	}
	if opts.RetrySchedule != nil {
		s += ", webhook retries after " + scheduleText(mercadopago.Durations(opts.RetrySchedule))
	}
	if len(opts.NotificationVariants) > 0 {
		s += ", notification variants " + variantText(opts.NotificationVariants)
	}
	return s
}
