// Command sandbox runs the whole of Comanda on fixed local ports for a
// developer: the gateway on 127.0.0.1:8080, the fake Mercado Pago on
// 127.0.0.1:8090, the console on 127.0.0.1:8070, the catalog seeded;
// in-process, or as containers with
// COMANDA_BACKEND=containers (make run-containers). It prints what a
// developer needs and stops cleanly, leaving nothing behind, on Ctrl-C or
// SIGTERM.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/comanda/comanda/harness"
	"github.com/comanda/comanda/harness/console"
	"github.com/comanda/comanda/harness/containers"
	"github.com/comanda/comanda/services/platform/config"
)

// Config is the sandbox's environment; every value has a default.
type Config struct {
	GatewayAddr      string `env:"SANDBOX_GATEWAY_ADDR, default=127.0.0.1:8080"`
	FakeAddr         string `env:"SANDBOX_MERCADOPAGO_ADDR, default=127.0.0.1:8090"`
	ConsoleAddr      string `env:"SANDBOX_CONSOLE_ADDR, default=127.0.0.1:8070"` // loopback only; off: no console
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
	var consoleListener net.Listener
	if cfg.ConsoleAddr != "off" {
		// Opened first: a console address taken or not on loopback stops
		// the sandbox before it starts anything.
		if consoleListener, err = console.Listen(cfg.ConsoleAddr); err != nil {
			return fmt.Errorf("configuration: SANDBOX_CONSOLE_ADDR: %w", err)
		}
		defer consoleListener.Close()
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
		// The console shows each order's trace: the newest spans are kept.
		RecordTelemetry: consoleListener != nil, SpanLimit: spanWindow,
	})
	if err != nil {
		return err
	}
	consoleDone := make(chan error, 1)
	if consoleListener != nil {
		c, err := console.New(console.Config{GatewayURL: sys.GatewayURL, FakeURL: sys.FakeURL,
			EmployeeEmail: cfg.EmployeeEmail, EmployeePassword: cfg.EmployeePassword, Log: log}, sys)
		if err != nil {
			_ = sys.Close()
			return err
		}
		go func() { consoleDone <- c.Serve(ctx, consoleListener) }()
	} else {
		consoleDone <- nil
	}
	printWelcome(out, sys, cfg)
	<-ctx.Done()
	if err := <-consoleDone; err != nil {
		log.Warn("console", "err", err)
	}
	fmt.Fprintln(out, "stopping…")
	began := time.Now()
	if err := sys.Close(); err != nil {
		return err
	}
	fmt.Fprintf(out, "stopped in %s; nothing left behind\n", time.Since(began).Round(time.Millisecond))
	return nil
}

// spanWindow is how many of the newest spans the sandbox keeps for the
// console's traces: a few hundred orders' worth.
const spanWindow = 50_000

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

  Console              %s
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
`, sys.BootTime.Round(time.Millisecond), consoleURL(cfg), sys.GatewayURL, sys.FakeURL, sys.FakeURL, sys.Backends["aws"], sys.Backends["postgres"],
		cfg.EmployeeEmail, cfg.EmployeePassword, cfg.AccessToken, cfg.WebhookSecret, sys.GatewayURL, sys.GatewayURL)
}

// consoleURL is where the console is, as the welcome says it.
func consoleURL(cfg Config) string {
	if cfg.ConsoleAddr == "off" {
		return "off (SANDBOX_CONSOLE_ADDR=off)"
	}
	return "http://" + cfg.ConsoleAddr
}
