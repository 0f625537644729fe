// Package harness starts the whole of Comanda on one machine: PostgreSQL, the
// AWS emulator and the fake Mercado Pago as backing services, then the five
// services and the gateway, in-process, running the very code that ships;
// or, given an Engine (harness/containers), every part as a container of the
// images that ship. The feature suite, the sandbox, the soak and the load
// tool all start it through Start.
package harness

import (
	"io"
	"log/slog"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/comanda/comanda/fakes/mercadopago"
)

// Options choose the backing services and the fixed addresses, if any.
// The zero value of every field has a sensible default.
type Options struct {
	// Log receives the harness's own messages (what it chose, boot time).
	Log *slog.Logger
	// ServiceLogs receives every service's log lines (JSON); nil keeps them
	// only in memory, for Logs.
	ServiceLogs io.Writer
	// ServiceLogFormat is "json" (default) or "text".
	ServiceLogFormat string
	// ServiceLogLevel is the services' level ("info" by default).
	ServiceLogLevel string

	// DatabaseURL points at an external PostgreSQL (DATABASE_URL); empty
	// starts a throw-away cluster with the machine's initdb.
	DatabaseURL string
	// AWSEndpoint points at an external emulator (AWS_ENDPOINT_URL); empty
	// embeds kumo in-process.
	AWSEndpoint string
	// Region is the AWS region; us-east-1 by default.
	Region string

	// GatewayAddr and FakeAddr are where the gateway and the fake Mercado
	// Pago listen; 127.0.0.1:0 (a free port) by default.
	GatewayAddr string
	FakeAddr    string

	// AccessToken is the Mercado Pago access token the fake accepts and the
	// payment service sends; WebhookSecret signs the fake's webhooks.
	AccessToken   string
	WebhookSecret string
	// WebhookRetrySchedule is the fake's delays between webhook attempts;
	// nil = Mercado Pago's ladder compressed into seconds
	// (mercadopago.QuickRetrySchedule), so that nothing waits for the
	// fake's clock unless it is asked to (PUT /_fake/notifications).
	WebhookRetrySchedule []time.Duration

	// EmployeeEmail and EmployeePassword are the bootstrap employee.
	EmployeeEmail    string
	EmployeePassword string
	// PasswordHashCost is the bcrypt cost of the employee's password hash;
	// bcrypt's default unless set. A test suite that logs in a lot, under
	// the race detector, sets bcrypt.MinCost: the hashing is not what it
	// tests.
	PasswordHashCost int

	// CheckContract validates every request and response through the
	// gateway against api/openapi.yaml (System.ContractViolations). The
	// feature suite sets it; it costs time a load test should not pay.
	CheckContract bool

	// Engine, when set, runs everything as containers (see Engine):
	// DatabaseURL and AWSEndpoint are then ignored, the contract check is
	// not made (the gateway is not in this process to observe), and the
	// AWS faults, which need the in-process door, are not available. The
	// system closes it when it closes.
	Engine Engine

	// RecordTelemetry keeps every span the services and the gateway end,
	// and their metrics, in memory, for Spans and Counter (in-process only).
	RecordTelemetry bool
	// SpanLimit, with RecordTelemetry, keeps only the newest SpanLimit
	// spans (0: every one): a long-running sandbox's window.
	SpanLimit int
	// Telemetry is OpenTelemetry's settings (OTEL_EXPORTER_OTLP_ENDPOINT,
	// OTEL_TRACES_SAMPLER, …) for every service and the gateway, each with
	// its own OTEL_SERVICE_NAME; none exports nothing.
	Telemetry map[string]string

	// ServiceEnv adds settings to the environment of the services it names
	// ("auth", "order", …), over the harness's own: e.g. a load test from
	// one address lifts the abuse limits a crowd of real clients would
	// never reach.
	ServiceEnv map[string]map[string]string
}

func (o Options) withDefaults() Options {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
	}
	def(&o.ServiceLogFormat, "json")
	def(&o.ServiceLogLevel, "info")
	def(&o.Region, "us-east-1")
	def(&o.GatewayAddr, "127.0.0.1:0")
	def(&o.FakeAddr, "127.0.0.1:0")
	def(&o.AccessToken, "TEST-harness-access-token")
	def(&o.WebhookSecret, "harness-webhook-secret")
	def(&o.EmployeeEmail, "staff@comanda.test")
	def(&o.EmployeePassword, "harness-staff-password")
	if o.PasswordHashCost == 0 {
		o.PasswordHashCost = bcrypt.DefaultCost
	}
	if o.WebhookRetrySchedule == nil {
		o.WebhookRetrySchedule = mercadopago.QuickRetrySchedule()
	}
	return o
}

// LoadTestLimits lifts the abuse limits that a load test hits and real
// clients do not: its thousands of anonymous tokens come from one address,
// and its few virtual customers each hold many unpaid orders at once.
func LoadTestLimits() map[string]map[string]string {
	return map[string]map[string]string{
		"auth":  {"AUTH_RATE_LIMIT_ANONYMOUS_TOKENS_PER_IP": "0"},
		"order": {"ORDER_MAX_OPEN_PER_CUSTOMER": "0"},
	}
}
