package harness

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"slices"

	"github.com/comanda/comanda/harness/gateway"
	"github.com/comanda/comanda/services/auth"
	"github.com/comanda/comanda/services/catalog"
	"github.com/comanda/comanda/services/order"
	"github.com/comanda/comanda/services/payment"
	"github.com/comanda/comanda/services/platform/awsconf"
	"github.com/comanda/comanda/services/platform/config"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/production"
)

// serviceNames are the services behind the gateway, in start order.
var serviceNames = []string{"auth", "catalog", "order", "payment", "production"}

type runFunc func(ctx context.Context, log *slog.Logger) error

// builder configures a service's run from env, as its main would from the
// process environment, with the run's own door to AWS and listener; parts
// points at the two in a configuration (no AWS for the gateway).
func builder[C any](env map[string]string, parts func(*C) (*net.Listener, *awsconf.Config),
	run func(context.Context, C, *slog.Logger) error) buildFunc {
	return func(ctx context.Context, door *awsDoor, ln net.Listener) (runFunc, error) {
		env := maps.Clone(env)
		if door != nil {
			env["AWS_ENDPOINT_URL"] = door.url
		}
		var cfg C
		if err := config.LoadFrom(ctx, env, &cfg); err != nil {
			return nil, err
		}
		listener, aws := parts(&cfg)
		*listener = ln
		if door != nil {
			aws.HTTPClient = door
		}
		return func(ctx context.Context, log *slog.Logger) error { return run(ctx, cfg, log) }, nil
	}
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
			"PROJECT_SECRET_ID":  s.aws.SecretID,
			"QUEUE_PREFIX":       prefix,
			"LOG_FORMAT":         s.opts.ServiceLogFormat,
			"LOG_LEVEL":          s.opts.ServiceLogLevel,
			"CONSUMER_WAIT_TIME": "1s",
			// A service killed mid-handler has its message back this soon.
			"CONSUMER_VISIBILITY_TIMEOUT": "3s",
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
		"catalog": common(map[string]string{"DATABASE_URL": catalogDB,
			// The order service caches its answers: few queries reach it.
			"DATABASE_MAX_CONNS": "4"}),
		"order": common(map[string]string{"DATABASE_URL": ordersDB, "CATALOG_URL": s.Services["catalog"],
			// More connections than two cores can keep busy only cost memory.
			"DATABASE_MAX_CONNS": "10",
			// The order outbox's safety-net poll; commits wake the relay at once.
			"OUTBOX_INTERVAL": "250ms"}),
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
			"CONSUMER_RETRY_MAX":          "1s",
		}),
		"production": common(map[string]string{"KITCHEN_TABLE": s.aws.Tables["kitchen-orders"],
			// DynamoDB failing for a while must resolve in seconds: quick
			// redeliveries of an order paid, as for the payment service.
			"CONSUMER_RETRY_BASE": "1s",
			"CONSUMER_RETRY_MAX":  "1s",
		}),
		"gateway": {
			"LOG_FORMAT": s.opts.ServiceLogFormat, "LOG_LEVEL": s.opts.ServiceLogLevel,
			"AUTH_URL": s.Services["auth"], "CATALOG_URL": s.Services["catalog"], "ORDER_URL": s.Services["order"],
			"PAYMENT_URL": s.Services["payment"], "PRODUCTION_URL": s.Services["production"],
		},
	}, nil
}

// startServices runs every service and the gateway, each on its socket,
// and waits until all are ready.
func (s *System) startServices(ctx context.Context, prefix string, employeeHash []byte, socks map[string]*socket) error {
	envs, err := s.environments(ctx, prefix, employeeHash)
	if err != nil {
		for _, sock := range socks {
			sock.close()
		}
		return err
	}
	for name, extra := range s.opts.ServiceEnv {
		if envs[name] == nil {
			for _, sock := range socks {
				sock.close()
			}
			return fmt.Errorf("ServiceEnv names %q, which is no service", name)
		}
		maps.Copy(envs[name], extra)
	}
	builds := map[string]buildFunc{
		"auth":       builder(envs["auth"], func(c *auth.Config) (*net.Listener, *awsconf.Config) { return &c.Listener, &c.AWS }, auth.Run),
		"catalog":    builder(envs["catalog"], func(c *catalog.Config) (*net.Listener, *awsconf.Config) { return &c.Listener, &c.AWS }, catalog.Run),
		"order":      builder(envs["order"], func(c *order.Config) (*net.Listener, *awsconf.Config) { return &c.Listener, &c.AWS }, order.Run),
		"payment":    builder(envs["payment"], func(c *payment.Config) (*net.Listener, *awsconf.Config) { return &c.Listener, &c.AWS }, payment.Run),
		"production": builder(envs["production"], func(c *production.Config) (*net.Listener, *awsconf.Config) { return &c.Listener, &c.AWS }, production.Run),
		"gateway": builder(envs["gateway"], func(c *gateway.Config) (*net.Listener, *awsconf.Config) {
			c.Observe = s.observeGateway()
			return &c.Listener, nil
		}, gateway.Run),
	}
	all := append(slices.Clone(serviceNames), "gateway")
	for _, name := range all {
		sv := &service{name: name, sock: socks[name], build: builds[name], log: s.serviceLogger(name),
			proxy: s.proxy, health: "/readyz", failed: make(chan error, 1)}
		if name == "gateway" {
			sv.proxy, sv.health = nil, "/healthz"
		}
		s.procs[name] = sv // from here on, Close releases its socket
	}
	for _, name := range all {
		if err := s.procs[name].start(ctx); err != nil {
			return err
		}
	}
	for _, name := range all {
		if err := s.procs[name].waitReady(ctx); err != nil {
			return err
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
