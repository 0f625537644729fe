// Package payment is the payment service: it creates each order's PIX
// payment at Mercado Pago, stores it in DynamoDB, and settles it from
// Mercado Pago's signed notifications.
//
// This package is the service's whole public surface: its configuration and
// Run. Its domain, HTTP API and store live in internal/payment, where the
// compiler lets nothing outside the service reach them; what other services
// may know of it is the event contract in services/events.
package payment

import (
	"context"
	"log/slog"

	svc "github.com/comanda/comanda/services/payment/internal/payment"
)

// Config is the service's configuration, read from its environment.
type Config = svc.Config

// Run starts the service with cfg and blocks until ctx ends, then shuts it
// down in order; it returns the error that stopped it, or nil.
func Run(ctx context.Context, cfg Config, log *slog.Logger) error {
	return svc.Run(ctx, cfg, log)
}
