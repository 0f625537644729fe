// Command sandbox runs the whole of Comanda on fixed local ports for a
// developer: the gateway on 127.0.0.1:8080, the fake Mercado Pago on
// 127.0.0.1:8090, the catalog seeded; in-process, or as containers with
// COMANDA_BACKEND=containers (make run-containers). It prints what a
// developer needs and stops cleanly, leaving nothing behind, on Ctrl-C or
// SIGTERM.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/comanda/comanda/harness"
	"github.com/comanda/comanda/harness/containers"
	"github.com/comanda/comanda/services/platform/config"
)

// Config is the sandbox's environment; every value has a default.
type Config struct {
	GatewayAddr      string `env:"SANDBOX_GATEWAY_ADDR, default=127.0.0.1:8080"`
	FakeAddr         string `env:"SANDBOX_MERCADOPAGO_ADDR, default=127.0.0.1:8090"`
	AccessToken      string `env:"SANDBOX_MERCADOPAGO_ACCESS_TOKEN, default=TEST-sandbox-access-token"`
	WebhookSecret    string `env:"SANDBOX_MERCADOPAGO_WEBHOOK_SECRET, default=sandbox-webhook-secret"`
	EmployeeEmail    string `env:"SANDBOX_EMPLOYEE_EMAIL, default=staff@comanda.local"`
	EmployeePassword string `env:"SANDBOX_EMPLOYEE_PASSWORD, default=sandbox-staff-password"`
	LogLevel         string `env:"SANDBOX_LOG_LEVEL, default=info"`      // the sandbox's own and every service's
	ServiceLogs      string `env:"SANDBOX_SERVICE_LOGS, default=stderr"` // stderr or off
	DatabaseURL      string `env:"DATABASE_URL"`
	AWSEndpoint      string `env:"AWS_ENDPOINT_URL"`
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "sandbox:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	var cfg Config
	if err := config.Load(ctx, &cfg); err != nil {
		return err
	}
	level, err := logLevel(cfg.LogLevel)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	var serviceLogs io.Writer
	if cfg.ServiceLogs == "stderr" {
		serviceLogs = os.Stderr
	}
	engine, err := containers.FromEnv(ctx, log)
	if err != nil {
		return err
	}
	sys, err := harness.Start(ctx, harness.Options{
		Log: log, ServiceLogs: serviceLogs, ServiceLogFormat: "text", ServiceLogLevel: cfg.LogLevel,
		DatabaseURL: cfg.DatabaseURL, AWSEndpoint: cfg.AWSEndpoint,
		GatewayAddr: cfg.GatewayAddr, FakeAddr: cfg.FakeAddr,
		AccessToken: cfg.AccessToken, WebhookSecret: cfg.WebhookSecret,
		EmployeeEmail: cfg.EmployeeEmail, EmployeePassword: cfg.EmployeePassword,
		Engine: engine,
		// OpenTelemetry's settings (OTEL_EXPORTER_OTLP_ENDPOINT, …) reach
		// every service and the gateway, each under its own name.
		Telemetry: otelSettings(os.Environ()),
	})
	if err != nil {
		return err
	}
	printWelcome(out, sys, cfg)
	<-ctx.Done()
	fmt.Fprintln(out, "stopping…")
	began := time.Now()
	if err := sys.Close(); err != nil {
		return err
	}
	fmt.Fprintf(out, "stopped in %s; nothing left behind\n", time.Since(began).Round(time.Millisecond))
	return nil
}

// otelSettings picks OpenTelemetry's settings (OTEL_…) out of environ.
func otelSettings(environ []string) map[string]string {
	settings := map[string]string{}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, "OTEL_") && k != "OTEL_SERVICE_NAME" {
			settings[k] = v
		}
	}
	return settings
}

// logLevel reads SANDBOX_LOG_LEVEL. The services would take a misspelt
// level for info; the sandbox says so instead.
func logLevel(name string) (slog.Level, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(name)); err != nil {
		return 0, fmt.Errorf("configuration: SANDBOX_LOG_LEVEL: %q is not debug, info, warn or error", name)
	}
	return level, nil
}

func printWelcome(out io.Writer, sys *harness.System, cfg Config) {
	fmt.Fprintf(out, `
Comanda sandbox is up (boot %s)

  API (gateway)        %s
  Mercado Pago (fake)  %s   control: %s/_fake/payments
  AWS emulator         %s
  PostgreSQL           %s

  Bootstrap employee   %s / %s
  MP access token      %s
  Webhook secret       %s

Try:
  curl -s %s/products
  curl -s -X POST %s/auth/token -d '{}'
  go run ./fakes/mercadopago/cmd/fakepay list
  go run ./fakes/mercadopago/cmd/fakepay approve --order <order id>
  go run ./fakes/mercadopago/cmd/fakepay --help    # webhook and API faults, the clock, auto-approve

Ctrl-C stops everything.
`, sys.BootTime.Round(time.Millisecond), sys.GatewayURL, sys.FakeURL, sys.FakeURL, sys.Backends["aws"], sys.Backends["postgres"],
		cfg.EmployeeEmail, cfg.EmployeePassword, cfg.AccessToken, cfg.WebhookSecret, sys.GatewayURL, sys.GatewayURL)
}
