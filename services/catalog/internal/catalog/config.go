package catalog

import (
	"errors"
	"net"

	"github.com/comanda/comanda/services/platform/awsconf"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/postgres"
	"github.com/comanda/comanda/services/platform/telemetry"
	"github.com/comanda/comanda/services/platform/token"
)

// Config is the catalog service's configuration, read from the environment.
type Config struct {
	Addr      string `env:"ADDR, default=:8080"`
	Log       logging.Config
	Telemetry telemetry.Config
	AWS       awsconf.Config // Secrets Manager, for the token verification key
	Token     token.Config
	DB        postgres.Config

	// Listener, when set (by the harness), is served instead of Addr.
	Listener net.Listener
}

// check reports a setting Run cannot start without, naming it.
func (c Config) check() error {
	var errs []error
	if c.DB.URL == "" {
		errs = append(errs, errors.New("DATABASE_URL is required"))
	}
	if c.Token.SecretID == "" {
		errs = append(errs, errors.New("PROJECT_SECRET_ID is required"))
	}
	if c.Listener == nil && c.Addr == "" {
		errs = append(errs, errors.New("ADDR is required"))
	}
	return errors.Join(errs...)
}

// LogConfig is how the service logs, for its main.
func (c Config) LogConfig() logging.Config { return c.Log }
