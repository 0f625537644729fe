// Package harness starts the whole of Comanda on one machine: PostgreSQL, the
// AWS emulator and the fake Mercado Pago as backing services, then the five
// services and the gateway, in-process, running the very code that ships. The
// feature suite, the sandbox and the load tool all start it through Start.
package harness

import (
	"io"
	"log/slog"
	"time"
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
	// WebhookRetrySchedule overrides the fake's delays between webhook attempts.
	WebhookRetrySchedule []time.Duration

	// EmployeeEmail and EmployeePassword are the bootstrap employee.
	EmployeeEmail    string
	EmployeePassword string
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
	return o
}
