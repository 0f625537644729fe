package gateway

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/telemetry"
	"github.com/comanda/comanda/services/topology"
)

// Config is the gateway's configuration: where each service listens.
type Config struct {
	Addr          string        `env:"ADDR, default=:8080"`
	AuthURL       string        `env:"AUTH_URL, required"`
	CatalogURL    string        `env:"CATALOG_URL, required"`
	OrderURL      string        `env:"ORDER_URL, required"`
	PaymentURL    string        `env:"PAYMENT_URL, required"`
	ProductionURL string        `env:"PRODUCTION_URL, required"`
	HealthTimeout time.Duration `env:"HEALTH_TIMEOUT, default=2s"`

	Log       logging.Config
	Telemetry telemetry.Config

	// Listener, when set (by the harness), is served instead of Addr.
	Listener net.Listener
	// Observe, when set (by the harness), wraps the whole gateway: it sees
	// every request as it arrives and every answer as it leaves.
	Observe func(http.Handler) http.Handler
}

// defaultHealthTimeout bounds each service check when HealthTimeout is unset.
const defaultHealthTimeout = 2 * time.Second

func (c Config) healthTimeout() time.Duration {
	if c.HealthTimeout <= 0 {
		return defaultHealthTimeout
	}
	return c.HealthTimeout
}

// serviceSetting is one service's base URL and the setting it comes from.
type serviceSetting struct {
	env string
	url string
}

func (c Config) settings() map[string]serviceSetting {
	return map[string]serviceSetting{
		"auth":       {"AUTH_URL", c.AuthURL},
		"catalog":    {"CATALOG_URL", c.CatalogURL},
		"order":      {"ORDER_URL", c.OrderURL},
		"payment":    {"PAYMENT_URL", c.PaymentURL},
		"production": {"PRODUCTION_URL", c.ProductionURL},
	}
}

// backends resolves the base URL of every service the topology names, in
// its routes or its service list; one that is missing or not a bare
// http(s)://host[:port] fails naming its setting.
func (c Config) backends(top topology.Topology) (map[string]*url.URL, error) {
	settings := c.settings()
	names := append([]string(nil), top.Services...)
	for _, r := range top.Routes {
		names = append(names, r.Service)
	}
	out := make(map[string]*url.URL, len(names))
	for _, name := range names {
		s, ok := settings[name]
		if !ok {
			return nil, fmt.Errorf("configuration: service %q in topology.json has no URL setting in the gateway", name)
		}
		u, err := parseBase(s.url)
		if err != nil {
			return nil, fmt.Errorf("configuration: %s: %w", s.env, err)
		}
		out[name] = u
	}
	return out, nil
}

// parseBase accepts only scheme and host, so that paths and queries reach
// the service exactly as the client sent them.
func parseBase(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, fmt.Errorf("missing")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%q is not a URL: %w", raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return nil, fmt.Errorf("%q must be http(s)://host[:port] with no path or query", raw)
	}
	u.Path = ""
	return u, nil
}

// LogConfig is how the gateway logs, for its main.
func (c Config) LogConfig() logging.Config { return c.Log }
