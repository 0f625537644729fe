// Command order runs the order service with its configuration from the environment.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/comanda/comanda/services/order"
	"github.com/comanda/comanda/services/platform/config"
	"github.com/comanda/comanda/services/platform/logging"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "order:", err)
		stop()
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	var cfg order.Config
	if err := config.Load(ctx, &cfg); err != nil {
		return err
	}
	log := logging.New(os.Stderr, cfg.Log).With("service", "order")
	return order.Run(ctx, cfg, log)
}
