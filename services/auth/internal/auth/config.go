package auth

import (
	"errors"
	"net"
	"time"

	"github.com/comanda/comanda/services/platform/awsconf"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/telemetry"
	"github.com/comanda/comanda/services/platform/token"
)

// Config is the auth service's configuration, read from the environment.
type Config struct {
	Addr string `env:"ADDR, default=:8080"`
	// Listener, when set (by the harness), is used instead of Addr.
	Listener net.Listener

	Log       logging.Config
	Telemetry telemetry.Config
	AWS       awsconf.Config
	Token     token.Config
	Employee  EmployeeConfig
	RateLimit RateLimitConfig

	CustomersTable   string        `env:"CUSTOMERS_TABLE, default=customers"`
	TokenTTL         time.Duration `env:"TOKEN_TTL, default=1h"`
	EmployeeTokenTTL time.Duration `env:"EMPLOYEE_TOKEN_TTL, default=8h"`
}

// EmployeeConfig is the bootstrap employee. It has no defaults: when the
// email or the hash is empty, no employee can log in.
type EmployeeConfig struct {
	Email        string `env:"BOOTSTRAP_EMPLOYEE_EMAIL"`
	PasswordHash string `env:"BOOTSTRAP_EMPLOYEE_PASSWORD_HASH"` // bcrypt
	Name         string `env:"BOOTSTRAP_EMPLOYEE_NAME, default=Staff"`
}

// validate reports the first setting that makes the service unable to run.
func (c Config) validate() error {
	switch {
	case c.CustomersTable == "":
		return errors.New("CUSTOMERS_TABLE must not be empty")
	case c.Token.SecretID == "":
		return errors.New("PROJECT_SECRET_ID must not be empty")
	case c.Token.Issuer == "" || c.Token.Audience == "":
		return errors.New("JWT_ISSUER and JWT_AUDIENCE must not be empty")
	case c.TokenTTL <= 0:
		return errors.New("TOKEN_TTL must be positive")
	case c.EmployeeTokenTTL <= 0:
		return errors.New("EMPLOYEE_TOKEN_TTL must be positive")
	}
	return c.RateLimit.validate()
}

// LogConfig is how the service logs, for its main.
func (c Config) LogConfig() logging.Config { return c.Log }
