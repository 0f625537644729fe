// Command dbinit makes each service's PostgreSQL role and database as the
// master user (package dbinit). It runs to completion as a one-off task;
// a non-zero exit means some database is not ready.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/comanda/comanda/services/dbinit"
	"github.com/comanda/comanda/services/platform/logging"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx); err != nil {
		stop()
		fmt.Fprintln(os.Stderr, "dbinit:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	cfg, err := dbinit.LoadConfig(ctx, os.LookupEnv)
	if err != nil {
		return err
	}
	log := logging.New(os.Stderr, cfg.Log)
	if err := dbinit.Run(ctx, cfg, log); err != nil {
		log.Error("dbinit failed", "err", err)
		return err
	}
	return nil
}
