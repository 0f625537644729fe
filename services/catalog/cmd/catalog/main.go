// Command catalog runs the catalog service: the menu's categories and products.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/comanda/comanda/services/catalog"
	"github.com/comanda/comanda/services/platform/config"
	"github.com/comanda/comanda/services/platform/logging"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx); err != nil {
		stop()
		fmt.Fprintln(os.Stderr, "catalog:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	var cfg catalog.Config
	if err := config.Load(ctx, &cfg); err != nil {
		return err
	}
	log := logging.New(os.Stderr, cfg.Log)
	if err := catalog.Run(ctx, cfg, log); err != nil {
		log.Error("catalog failed", "err", err)
		return err
	}
	return nil
}
