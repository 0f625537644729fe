package harness

import (
	"context"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"slices"
	"strings"

	"github.com/comanda/comanda/harness/gateway"
	"github.com/comanda/comanda/services/auth"
	"github.com/comanda/comanda/services/catalog"
	"github.com/comanda/comanda/services/order"
	"github.com/comanda/comanda/services/payment"
	"github.com/comanda/comanda/services/platform/awsconf"
	"github.com/comanda/comanda/services/platform/config"
	"github.com/comanda/comanda/services/platform/telemetry"
	"github.com/comanda/comanda/services/production"
	"github.com/comanda/comanda/services/topology"
)

// The services the harness runs are the ones topology.json lists, in its
// order, and most of what each is given comes from it too (see
// environment). localServices holds the rest: what the topology cannot know.

// ServiceNames are the services behind the gateway, in the order they
// start: the ones topology.json lists. The gateway is not among them.
func (s *System) ServiceNames() []string { return slices.Clone(s.top.Services) }

// localService is what topology.json cannot know of one of its services.
type localService struct {
	run runner
	// env are the settings only the harness gives: the fake Mercado Pago,
	// the bootstrap employee, and timings for a two-core machine and for
	// outages that must resolve in seconds.
	env map[string]string
}

// localServices is the table of every service of the topology, by name.
func localServices(w wiring) map[string]localService {
	return map[string]localService{
		"auth": {
			run: runnerOf(func(c *auth.Config) (*net.Listener, *awsconf.Config, *telemetry.Config) {
				return &c.Listener, &c.AWS, &c.Telemetry
			}, auth.Run),
			env: map[string]string{
				"BOOTSTRAP_EMPLOYEE_EMAIL":         w.opts.EmployeeEmail,
				"BOOTSTRAP_EMPLOYEE_PASSWORD_HASH": string(w.employeeHash),
			},
		},
		"catalog": {
			run: runnerOf(func(c *catalog.Config) (*net.Listener, *awsconf.Config, *telemetry.Config) {
				return &c.Listener, &c.AWS, &c.Telemetry
			}, catalog.Run),
			// The order service caches its answers: few queries reach it.
			env: map[string]string{"DATABASE_MAX_CONNS": "4"},
		},
		"order": {
			run: runnerOf(func(c *order.Config) (*net.Listener, *awsconf.Config, *telemetry.Config) {
				return &c.Listener, &c.AWS, &c.Telemetry
			}, order.Run),
			env: map[string]string{
				// More connections than two cores can keep busy only cost memory.
				"DATABASE_MAX_CONNS": "10",
				// The order outbox's safety-net poll; commits wake the relay at once.
				"OUTBOX_INTERVAL": "250ms",
			},
		},
		"payment": {
			run: runnerOf(func(c *payment.Config) (*net.Listener, *awsconf.Config, *telemetry.Config) {
				return &c.Listener, &c.AWS, &c.Telemetry
			}, payment.Run),
			env: map[string]string{
				"MERCADOPAGO_BASE_URL":       w.fakeURL,
				"MERCADOPAGO_ACCESS_TOKEN":   w.opts.AccessToken,
				"MERCADOPAGO_WEBHOOK_SECRET": w.opts.WebhookSecret,
				"WEBHOOK_URL":                w.urls["gateway"] + "/payment/webhook",
				// Mercado Pago failing for a while must resolve in seconds, not
				// minutes: quick retries of a call, quick redeliveries of the
				// request (SQS counts in whole seconds), well within the five
				// receives before the dead-letter queue.
				"MERCADOPAGO_REQUEST_TIMEOUT": "2s",
				"MERCADOPAGO_MAX_RETRIES":     "2",
				"MERCADOPAGO_RETRY_BASE":      "20ms",
				"CONSUMER_RETRY_BASE":         "1s",
				"CONSUMER_RETRY_MAX":          "1s",
			},
		},
		"production": {
			run: runnerOf(func(c *production.Config) (*net.Listener, *awsconf.Config, *telemetry.Config) {
				return &c.Listener, &c.AWS, &c.Telemetry
			}, production.Run),
			// DynamoDB failing for a while must resolve in seconds: quick
			// redeliveries of an order paid, as for the payment service.
			env: map[string]string{"CONSUMER_RETRY_BASE": "1s", "CONSUMER_RETRY_MAX": "1s"},
		},
	}
}

// runner is how the harness runs one service in-process: its Run, with the
// configuration its main would read, and the settings that configuration
// reads.
type runner struct {
	build func(env map[string]string) buildFunc
	reads []string
}

// runnerOf is the runner of a service configured by a C. parts points at
// the things in a C the harness fills itself: the listener, the way to AWS
// (nil for the gateway), and the telemetry, whose spans and metrics rec
// keeps when set.
func runnerOf[C any](parts func(*C) (*net.Listener, *awsconf.Config, *telemetry.Config), run func(context.Context, C, *slog.Logger) error) runner {
	var zero C
	return runner{reads: config.Names(zero), build: func(env map[string]string) buildFunc {
		return func(ctx context.Context, door *awsDoor, ln net.Listener, rec recording) (runFunc, error) {
			env := maps.Clone(env)
			if door != nil {
				env["AWS_ENDPOINT_URL"] = door.url
			}
			var cfg C
			if err := config.LoadFrom(ctx, env, &cfg); err != nil {
				return nil, err
			}
			listener, aws, tel := parts(&cfg)
			*listener = ln
			if door != nil {
				aws.HTTPClient = door
			}
			tel.Record, tel.Metrics = rec.spans, rec.metrics
			return func(ctx context.Context, log *slog.Logger) error { return run(ctx, cfg, log) }, nil
		}
	}}
}

// gatewayRunner runs the gateway, every exchange through it seen by observe.
func gatewayRunner(observe func(http.Handler) http.Handler) runner {
	return runnerOf(func(c *gateway.Config) (*net.Listener, *awsconf.Config, *telemetry.Config) {
		c.Observe = observe
		return &c.Listener, nil, &c.Telemetry
	}, gateway.Run)
}

type runFunc func(ctx context.Context, log *slog.Logger) error

// wiring is where, in this run, is everything the services are given.
type wiring struct {
	opts      Options
	prefix    string            // of every queue and table of this run
	secretID  string            // the project secret
	tables    map[string]string // topology table name → its name in the emulator
	databases map[string]string // topology database name → its URL
	urls      map[string]string // service name, the gateway's too → its base URL
	fakeURL   string
	// employeeHash is the bootstrap employee's password hash.
	employeeHash []byte
}

// environment is what the topology says service name is given, as
// Terraform derives each ECS task's environment from the same file: the
// region, the project secret and the log settings; the queue prefix to
// those that use queues, the consumer's timings to those that consume; the
// tables it owns, each in the setting the topology names; its database; the
// base URL of every service it calls.
func environment(top topology.Topology, name string, w wiring) map[string]string {
	env := map[string]string{
		"AWS_REGION":        w.opts.Region,
		"PROJECT_SECRET_ID": w.secretID,
		"LOG_FORMAT":        w.opts.ServiceLogFormat,
		"LOG_LEVEL":         w.opts.ServiceLogLevel,
	}
	access := top.Access[name]
	if len(access.Consumes)+len(access.Publishes) > 0 {
		env["QUEUE_PREFIX"] = w.prefix
	}
	if len(access.Consumes) > 0 {
		env["CONSUMER_WAIT_TIME"] = "1s"
		// A service killed mid-handler has its message back this soon.
		env["CONSUMER_VISIBILITY_TIMEOUT"] = "3s"
	}
	for _, t := range top.Tables {
		if t.Service == name {
			env[t.Env] = w.tables[t.Name]
		}
	}
	for _, db := range top.Databases {
		if db.Service == name {
			env["DATABASE_URL"] = w.databases[db.Name]
		}
	}
	for _, callee := range access.Calls {
		env[urlSetting(callee)] = w.urls[callee]
	}
	return env
}

// gatewayEnvironment gives the gateway the base URL of every service of
// the topology, and the log settings.
func gatewayEnvironment(top topology.Topology, w wiring) map[string]string {
	env := map[string]string{"LOG_FORMAT": w.opts.ServiceLogFormat, "LOG_LEVEL": w.opts.ServiceLogLevel}
	for _, name := range top.Services {
		env[urlSetting(name)] = w.urls[name]
	}
	return env
}

// urlSetting is the setting that holds service's base URL, in the gateway
// and in the services that call it: CATALOG_URL for catalog, as Terraform
// names it for a callee.
func urlSetting(service string) string { return strings.ToUpper(service) + "_URL" }
