package production

import (
	"net"
	"time"

	"github.com/comanda/comanda/services/platform/awsconf"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/queue"
	"github.com/comanda/comanda/services/platform/telemetry"
	"github.com/comanda/comanda/services/platform/token"
)

// Config is the production service's configuration, read from the environment.
type Config struct {
	Addr         string `env:"ADDR, default=:8080"`
	KitchenTable string `env:"KITCHEN_TABLE, default=kitchen-orders"`
	// OutboxInterval is how often the announcements a failed publish or a
	// crash left in the kitchen outbox are relayed (those older than
	// outbox.PublishTimeout, 5s). Each pass is one Query of the status
	// index; a period shorter than about a second buys little recovery
	// time for what it costs.
	OutboxInterval time.Duration `env:"OUTBOX_INTERVAL, default=1s"`

	AWS       awsconf.Config
	Token     token.Config
	Log       logging.Config
	Telemetry telemetry.Config
	Queues    queue.Names
	Consumer  queue.ConsumerConfig

	// Listener, when set (by the harness), is served instead of Addr.
	Listener net.Listener
}

// LogConfig is how the service logs, for its main.
func (c Config) LogConfig() logging.Config { return c.Log }
