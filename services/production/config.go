package production

import (
	"net"

	"github.com/comanda/comanda/services/platform/awsconf"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/queue"
	"github.com/comanda/comanda/services/platform/token"
)

// Config is the production service's configuration, read from the environment.
type Config struct {
	Addr         string `env:"ADDR, default=:8080"`
	KitchenTable string `env:"KITCHEN_TABLE, default=kitchen-orders"`

	AWS      awsconf.Config
	Token    token.Config
	Log      logging.Config
	Queues   queue.Names
	Consumer queue.ConsumerConfig

	// Listener, when set (by the harness), is served instead of Addr.
	Listener net.Listener
}
