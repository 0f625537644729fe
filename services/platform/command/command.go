// Package command is the body of every service's main: it stops the
// service on SIGINT or SIGTERM, loads its configuration from the
// environment, builds its logger, runs it, and turns the outcome into an
// exit code. A service's main is then one line:
//
//	func main() { os.Exit(command.Run("order", order.Run)) }
package command

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/comanda/comanda/services/platform/config"
	"github.com/comanda/comanda/services/platform/logging"
)

// Config is what Run needs of a service's configuration besides what the
// service itself reads: how to log.
type Config interface {
	LogConfig() logging.Config
}

// Exit codes of Run.
const (
	ExitOK        = 0 // the service stopped cleanly after a signal
	ExitFailed    = 1 // the service stopped with an error, which is logged
	ExitBadConfig = 2 // the configuration is missing or wrong: nothing started
)

// Run runs the service called name with the configuration in the process
// environment until SIGINT or SIGTERM, and returns the exit code.
func Run[C Config](name string, run func(context.Context, C, *slog.Logger) error) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	return runWith(ctx, name, run, os.Stderr, func(cfg *C) error { return config.Load(ctx, cfg) })
}

// runWith is Run with the configuration from load and the logs to stderr.
func runWith[C Config](ctx context.Context, name string, run func(context.Context, C, *slog.Logger) error,
	stderr io.Writer, load func(*C) error) int {
	var cfg C
	if err := load(&cfg); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return ExitBadConfig
	}
	log := logging.New(stderr, cfg.LogConfig()).With("service", name)
	if err := run(ctx, cfg, log); err != nil {
		log.Error("service failed", "err", err)
		return ExitFailed
	}
	return ExitOK
}
