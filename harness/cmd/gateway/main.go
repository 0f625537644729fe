// Command gateway runs the local API gateway in front of the services.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/comanda/comanda/harness/gateway"
	"github.com/comanda/comanda/services/platform/config"
	"github.com/comanda/comanda/services/platform/logging"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	var cfg gateway.Config
	if err := config.Load(ctx, &cfg); err != nil {
		fmt.Fprintln(os.Stderr, "gateway:", err)
		os.Exit(2)
	}
	log := logging.New(os.Stderr, cfg.Log)
	if err := gateway.Run(ctx, cfg, log); err != nil {
		log.Error("gateway failed", "err", err)
		stop()
		os.Exit(1)
	}
}
