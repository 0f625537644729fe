// Command production runs the kitchen service.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/comanda/comanda/services/platform/config"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/production"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	var cfg production.Config
	if err := config.Load(ctx, &cfg); err != nil {
		fmt.Fprintln(os.Stderr, "production:", err)
		os.Exit(2)
	}
	log := logging.New(os.Stderr, cfg.Log)
	if err := production.Run(ctx, cfg, log); err != nil {
		log.Error("production service failed", "err", err)
		stop()
		os.Exit(1)
	}
}
