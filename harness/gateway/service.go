package gateway

import (
	"context"
	"log/slog"

	"github.com/comanda/comanda/services/platform/telemetry"
	"github.com/comanda/comanda/services/platform/web"
	"github.com/comanda/comanda/services/topology"
)

// Run serves the gateway until ctx ends, then lets in-flight requests finish.
// Every service the topology routes to must have a URL, or Run fails at once
// naming the missing setting.
func Run(ctx context.Context, cfg Config, log *slog.Logger) error {
	// Routes.
	top, err := topology.Load()
	if err != nil {
		return err
	}
	backends, err := cfg.backends(top)
	if err != nil {
		return err
	}

	tel, stopTelemetry, err := telemetry.Start(ctx, cfg.Telemetry, "gateway", log)
	if err != nil {
		return err
	}
	defer stopTelemetry()

	// HTTP: every request a trace's first span, passed on with its context.
	transport := newTransport()
	defer transport.CloseIdleConnections()
	handler := newHandler(top, backends, tel.Transport(transport), cfg.healthTimeout(), log)
	if cfg.Observe != nil {
		handler = cfg.Observe(handler)
	}
	handler = tel.Handler(handler)
	ln, err := web.Listen(cfg.Listener, cfg.Addr)
	if err != nil {
		return err
	}
	for name, u := range backends {
		log.Info("route", "service", name, "url", u.String())
	}
	return web.Serve(ctx, ln, handler, log)
}
