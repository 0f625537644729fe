// Command awsemu serves the harness's embedded AWS emulator (kumo, behind
// the same guard the tests use) on one address until SIGINT or SIGTERM,
// with nothing provisioned in it but, when asked, the JWT signing key. It
// is what `make tf-smoke` points Terraform at. The first line on stdout is
// the emulator's URL, printed once it is ready.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/comanda/comanda/harness/awsenv"
	"github.com/comanda/comanda/services/platform/awsconf"
	"github.com/comanda/comanda/services/platform/config"
)

// Config is the command's environment.
type Config struct {
	// Addr is host:port; port 0 picks a free one, which the printed URL names.
	Addr string `env:"AWSEMU_ADDR, default=127.0.0.1:4566"`
	// SigningKeyAlias, when set (alias/…), gets an RSA 2048 signing key,
	// which Terraform cannot make in kumo (it ignores the key spec).
	SigningKeyAlias string `env:"AWSEMU_SIGNING_KEY_ALIAS"`
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "awsemu:", err)
		stop()
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	var cfg Config
	if err := config.Load(ctx, &cfg); err != nil {
		return err
	}
	emu, err := awsenv.StartEmulatorAt(cfg.Addr)
	if err != nil {
		return err
	}
	defer emu.Close()
	if cfg.SigningKeyAlias != "" {
		clients, err := awsconf.New(ctx, awsconf.Config{Region: "us-east-1", Endpoint: emu.URL()})
		if err != nil {
			return err
		}
		if _, err := awsenv.SigningKey(ctx, clients, cfg.SigningKeyAlias); err != nil {
			return fmt.Errorf("signing key %s: %w", cfg.SigningKeyAlias, err)
		}
	}
	fmt.Fprintln(out, emu.URL())
	<-ctx.Done()
	return nil
}
