// Command fakepay drives the fake Mercado Pago the way `stripe trigger`
// drives Stripe: it approves, rejects, expires or refunds payments through
// the fake's control API, and the webhooks follow from those state changes.
// `fakepay serve` runs the fake itself.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
