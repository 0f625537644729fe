package payment

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/comanda/comanda/services/platform/awsconf"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/queue"
	"github.com/comanda/comanda/services/platform/telemetry"
	"github.com/comanda/comanda/services/platform/token"
)

// Config is the payment service's configuration, read from the environment.
type Config struct {
	Addr string `env:"ADDR, default=:8080"`
	// Listener, when set (by the harness), is served instead of Addr.
	Listener net.Listener

	PaymentsTable string `env:"PAYMENTS_TABLE, default=payments"`
	// PaymentTTL is how long a PIX code can be paid.
	PaymentTTL time.Duration `env:"PAYMENT_TTL, default=30m"`
	// RequestDeadline is how long after an order asked for its payment the
	// service keeps trying to create it while Mercado Pago is unavailable;
	// past it the payment is given up and the order cancelled.
	RequestDeadline time.Duration `env:"PAYMENT_REQUEST_DEADLINE, default=15m"`

	MercadoPago MercadoPagoConfig
	Webhook     WebhookConfig
	Log         logging.Config
	Telemetry   telemetry.Config
	AWS         awsconf.Config
	Token       token.Config
	Queues      queue.Names
	Consumer    queue.ConsumerConfig
}

// MercadoPagoConfig says how to reach Mercado Pago and how it reaches us.
// Never log it: it holds the access token and the webhook secret.
type MercadoPagoConfig struct {
	BaseURL       string `env:"MERCADOPAGO_BASE_URL, default=https://api.mercadopago.com"`
	AccessToken   string `env:"MERCADOPAGO_ACCESS_TOKEN, required"`
	WebhookSecret string `env:"MERCADOPAGO_WEBHOOK_SECRET, required"`
	// WebhookURL is the public URL of POST /payment/webhook, sent to Mercado
	// Pago as each payment's notification_url.
	WebhookURL string `env:"WEBHOOK_URL, required"`
	// PayerEmailDomain makes the payer e-mail Mercado Pago requires:
	// <customer_id>@<domain>. Customers give no e-mail to pay by PIX at the
	// totem, and the customer id keeps payments traceable in Mercado Pago.
	PayerEmailDomain string `env:"MERCADOPAGO_PAYER_EMAIL_DOMAIN, default=customers.comanda.local"`
	// RequestTimeout bounds each HTTP attempt; MaxRetries more attempts
	// follow a 5xx, 429 or network error, RetryBase·2^n apart.
	RequestTimeout time.Duration `env:"MERCADOPAGO_REQUEST_TIMEOUT, default=10s"`
	MaxRetries     int           `env:"MERCADOPAGO_MAX_RETRIES, default=3"`
	RetryBase      time.Duration `env:"MERCADOPAGO_RETRY_BASE, default=200ms"`
	// traced, when set (by Run), wraps the requester's transport so that
	// every call to Mercado Pago is a client span carrying the trace.
	traced func(http.RoundTripper) http.RoundTripper
}

// validate fails naming the first setting that is missing or wrong; the
// required tags catch an unset variable, this also catches a Config built
// in code.
func (c Config) validate() error {
	mp := c.MercadoPago
	switch {
	case mp.AccessToken == "":
		return errors.New("configuration: MERCADOPAGO_ACCESS_TOKEN is required")
	case mp.WebhookSecret == "":
		return errors.New("configuration: MERCADOPAGO_WEBHOOK_SECRET is required")
	case !isAbsoluteURL(mp.WebhookURL):
		return fmt.Errorf("configuration: WEBHOOK_URL must be an absolute http(s) URL, got %q", mp.WebhookURL)
	case !isAbsoluteURL(mp.BaseURL):
		return fmt.Errorf("configuration: MERCADOPAGO_BASE_URL must be an absolute http(s) URL, got %q", mp.BaseURL)
	case mp.PayerEmailDomain == "":
		return errors.New("configuration: MERCADOPAGO_PAYER_EMAIL_DOMAIN must not be empty")
	case c.PaymentTTL < time.Minute:
		return fmt.Errorf("configuration: PAYMENT_TTL must be at least 1m, got %s", c.PaymentTTL)
	case mp.RequestTimeout <= 0:
		return errors.New("configuration: MERCADOPAGO_REQUEST_TIMEOUT must be positive")
	case c.PaymentsTable == "":
		return errors.New("configuration: PAYMENTS_TABLE must not be empty")
	}
	return c.Webhook.validate()
}

func isAbsoluteURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// LogConfig is how the service logs, for its main.
func (c Config) LogConfig() logging.Config { return c.Log }
