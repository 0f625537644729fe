// Package production is the kitchen service: it turns every paid order into
// a kitchen record, lists what the kitchen still has to cook and moves each
// record to IN_PREPARATION and COMPLETED on an employee's request, telling
// the order service each time.
//
// This package is the service's whole public surface: its configuration and
// Run. Its domain, HTTP API and store live in internal/production, where the
// compiler lets nothing outside the service reach them; what other services
// may know of it is the event contract in services/events.
package production

import (
	"context"
	"log/slog"

	svc "github.com/comanda/comanda/services/production/internal/production"
)

// Config is the service's configuration, read from its environment.
type Config = svc.Config

// Run starts the service with cfg and blocks until ctx ends, then shuts it
// down in order; it returns the error that stopped it, or nil.
func Run(ctx context.Context, cfg Config, log *slog.Logger) error {
	return svc.Run(ctx, cfg, log)
}
