package harness

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/comanda/comanda/services/auth"
	"github.com/comanda/comanda/services/catalog"
	"github.com/comanda/comanda/services/gateway"
	"github.com/comanda/comanda/services/order"
	"github.com/comanda/comanda/services/payment"
	"github.com/comanda/comanda/services/platform/config"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/production"
)

// serviceNames are the services behind the gateway, in start order.
var serviceNames = []string{"auth", "catalog", "order", "payment", "production"}

type runFunc func(ctx context.Context, log *slog.Logger) error

// prepare loads a service's Config from env, as its main would from the
// process environment, and hands it the pre-bound listener.
func prepare[C any](ctx context.Context, env map[string]string, ln net.Listener, listener func(*C) *net.Listener,
	run func(context.Context, C, *slog.Logger) error) (runFunc, error) {
	var cfg C
	if err := config.LoadFrom(ctx, env, &cfg); err != nil {
		return nil, err
	}
	*listener(&cfg) = ln
	return func(ctx context.Context, log *slog.Logger) error { return run(ctx, cfg, log) }, nil
}

// environments returns each service's configuration, as the ECS task
// definitions would set it.
func (s *System) environments(ctx context.Context, prefix string, employeeHash []byte) (map[string]map[string]string, error) {
	catalogDB, err := s.pg.CreateDatabase(ctx, "catalog_"+prefix[1:len(prefix)-1])
	if err != nil {
		return nil, err
	}
	ordersDB, err := s.pg.CreateDatabase(ctx, "orders_"+prefix[1:len(prefix)-1])
	if err != nil {
		return nil, err
	}
	common := func(extra map[string]string) map[string]string {
		env := map[string]string{
			"AWS_REGION":         s.opts.Region,
			"AWS_ENDPOINT_URL":   s.aws.Config.Endpoint,
			"PROJECT_SECRET_ID":  s.aws.SecretID,
			"QUEUE_PREFIX":       prefix,
			"LOG_FORMAT":         s.opts.ServiceLogFormat,
			"LOG_LEVEL":          s.opts.ServiceLogLevel,
			"CONSUMER_WAIT_TIME": "2s",
			"OUTBOX_INTERVAL":    "250ms",
		}
		for k, v := range extra {
			env[k] = v
		}
		return env
	}
	return map[string]map[string]string{
		"auth": common(map[string]string{
			"CUSTOMERS_TABLE":                  s.aws.Tables["customers"],
			"BOOTSTRAP_EMPLOYEE_EMAIL":         s.opts.EmployeeEmail,
			"BOOTSTRAP_EMPLOYEE_PASSWORD_HASH": string(employeeHash),
		}),
		"catalog": common(map[string]string{"DATABASE_URL": catalogDB}),
		"order":   common(map[string]string{"DATABASE_URL": ordersDB, "CATALOG_URL": s.Services["catalog"]}),
		"payment": common(map[string]string{
			"PAYMENTS_TABLE":             s.aws.Tables["payments"],
			"MERCADOPAGO_BASE_URL":       s.FakeURL,
			"MERCADOPAGO_ACCESS_TOKEN":   s.opts.AccessToken,
			"MERCADOPAGO_WEBHOOK_SECRET": s.opts.WebhookSecret,
			"WEBHOOK_URL":                s.GatewayURL + "/payment/webhook",
			// Mercado Pago failing for a while must resolve in seconds, not
			// minutes: quick retries of a call, quick redeliveries of the
			// request (SQS counts in whole seconds), well within the five
			// receives before the dead-letter queue.
			"MERCADOPAGO_REQUEST_TIMEOUT": "2s",
			"MERCADOPAGO_MAX_RETRIES":     "2",
			"MERCADOPAGO_RETRY_BASE":      "20ms",
			"CONSUMER_RETRY_BASE":         "1s",
			"CONSUMER_RETRY_MAX":          "2s",
		}),
		"production": common(map[string]string{"KITCHEN_TABLE": s.aws.Tables["kitchen-orders"]}),
		"gateway": {
			"LOG_FORMAT": s.opts.ServiceLogFormat, "LOG_LEVEL": s.opts.ServiceLogLevel,
			"AUTH_URL": s.Services["auth"], "CATALOG_URL": s.Services["catalog"], "ORDER_URL": s.Services["order"],
			"PAYMENT_URL": s.Services["payment"], "PRODUCTION_URL": s.Services["production"],
		},
	}, nil
}

// startServices runs every service and the gateway, and waits until all are ready.
func (s *System) startServices(ctx context.Context, prefix string, employeeHash []byte, lns map[string]net.Listener) error {
	envs, err := s.environments(ctx, prefix, employeeHash)
	if err != nil {
		return err
	}
	preparers := map[string]func() (runFunc, error){
		"auth": func() (runFunc, error) {
			return prepare(ctx, envs["auth"], lns["auth"], func(c *auth.Config) *net.Listener { return &c.Listener }, auth.Run)
		},
		"catalog": func() (runFunc, error) {
			return prepare(ctx, envs["catalog"], lns["catalog"], func(c *catalog.Config) *net.Listener { return &c.Listener }, catalog.Run)
		},
		"order": func() (runFunc, error) {
			return prepare(ctx, envs["order"], lns["order"], func(c *order.Config) *net.Listener { return &c.Listener }, order.Run)
		},
		"payment": func() (runFunc, error) {
			return prepare(ctx, envs["payment"], lns["payment"], func(c *payment.Config) *net.Listener { return &c.Listener }, payment.Run)
		},
		"production": func() (runFunc, error) {
			return prepare(ctx, envs["production"], lns["production"], func(c *production.Config) *net.Listener { return &c.Listener }, production.Run)
		},
		"gateway": func() (runFunc, error) {
			return prepare(ctx, envs["gateway"], lns["gateway"], func(c *gateway.Config) *net.Listener { return &c.Listener }, gateway.Run)
		},
	}
	runs := map[string]runFunc{}
	for name, prep := range preparers {
		r, err := prep()
		if err != nil {
			for _, ln := range lns {
				_ = ln.Close()
			}
			return fmt.Errorf("configure %s: %w", name, err)
		}
		runs[name] = r
	}
	return s.run(ctx, runs)
}

// run starts each service in its own goroutine and waits for readiness; a
// service that stops on its own stops the wait with its error.
func (s *System) run(ctx context.Context, runs map[string]runFunc) error {
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.cancel = cancel
	failed := make(chan error, len(runs))
	remaining := len(runs)
	finished := make(chan struct{}, len(runs))
	for name, r := range runs {
		go func() {
			if err := r(runCtx, s.serviceLogger(name)); err != nil {
				failed <- fmt.Errorf("%s stopped: %w", name, err)
			}
			finished <- struct{}{}
		}()
	}
	go func() {
		for range remaining {
			<-finished
		}
		select {
		case err := <-failed:
			s.runErr = err
		default:
		}
		close(s.done)
	}()
	urls := map[string]string{"gateway": s.GatewayURL}
	for _, name := range serviceNames {
		urls[name] = s.Services[name]
	}
	return waitReady(ctx, urls, failed)
}

// waitReady polls every /readyz (the gateway's /healthz) until each is 200.
func waitReady(ctx context.Context, urls map[string]string, failed <-chan error) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	client := &http.Client{Timeout: 2 * time.Second}
	for name, base := range urls {
		path := "/readyz"
		if name == "gateway" {
			path = "/healthz"
		}
		for !answers200(ctx, client, base+path) {
			select {
			case err := <-failed:
				return err
			case <-ctx.Done():
				return fmt.Errorf("%s not ready at %s: %w", name, base+path, ctx.Err())
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
	return nil
}

func answers200(ctx context.Context, client *http.Client, url string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return false
	}
	res, err := client.Do(req)
	if err != nil {
		return false
	}
	_ = res.Body.Close()
	return res.StatusCode == http.StatusOK
}

func (s *System) serviceLogger(name string) *slog.Logger {
	return logging.New(s.logs, logging.Config{Format: s.opts.ServiceLogFormat, Level: s.opts.ServiceLogLevel}).With("service", name)
}
