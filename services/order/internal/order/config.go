package order

import (
	"net"
	"time"

	"github.com/comanda/comanda/services/platform/awsconf"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/postgres"
	"github.com/comanda/comanda/services/platform/queue"
	"github.com/comanda/comanda/services/platform/telemetry"
	"github.com/comanda/comanda/services/platform/token"
)

// Config is the order service's configuration, read from the environment.
type Config struct {
	Addr            string        `env:"ADDR, default=:8080"`
	CatalogURL      string        `env:"CATALOG_URL, required"`
	CatalogTimeout  time.Duration `env:"CATALOG_TIMEOUT, default=3s"`
	CatalogCacheTTL time.Duration `env:"CATALOG_CACHE_TTL, default=2s"`
	OutboxInterval  time.Duration `env:"OUTBOX_INTERVAL, default=500ms"`
	// MaxOpenOrders is how many unpaid orders (RECEIVED or AWAITING_PAYMENT)
	// a customer may hold, each a PIX charge at Mercado Pago; 0 is no limit.
	MaxOpenOrders int `env:"ORDER_MAX_OPEN_PER_CUSTOMER, default=5"`

	Log       logging.Config
	Telemetry telemetry.Config
	DB        postgres.Config
	AWS       awsconf.Config
	Token     token.Config
	Queues    queue.Names
	Consumer  queue.ConsumerConfig

	// Listener, when set (by the harness), is served instead of Addr.
	Listener net.Listener
}

// LogConfig is how the service logs, for its main.
func (c Config) LogConfig() logging.Config { return c.Log }
