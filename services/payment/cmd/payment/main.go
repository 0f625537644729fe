// Command payment runs the payment service: PIX payments at Mercado Pago
// for the orders, their webhooks, and the payment reads.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/comanda/comanda/services/payment"
	"github.com/comanda/comanda/services/platform/config"
	"github.com/comanda/comanda/services/platform/logging"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	code := run(ctx)
	stop()
	os.Exit(code)
}

func run(ctx context.Context) int {
	var cfg payment.Config
	if err := config.Load(ctx, &cfg); err != nil {
		fmt.Fprintln(os.Stderr, "payment:", err)
		return 1
	}
	log := logging.New(os.Stderr, cfg.Log)
	if err := payment.Run(ctx, cfg, log); err != nil {
		log.Error("payment service failed", "err", err)
		return 1
	}
	return 0
}
