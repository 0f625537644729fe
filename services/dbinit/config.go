package dbinit

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/sethvargo/go-envconfig"

	"github.com/comanda/comanda/services/platform/logging"
)

// Config is what the init needs, read from the environment once by LoadConfig.
type Config struct {
	// URL reaches the server's maintenance database (postgres) as the
	// master user. Its password comes apart, as PGPASSWORD, which pgx
	// reads when the URL has none.
	URL string `env:"DATABASE_URL, required"`
	// Owners maps each service database to the role that owns it:
	// "catalog:catalog,orders:order".
	Owners map[string]string `env:"DBINIT_OWNERS, required"`
	Log    logging.Config

	// Passwords maps each owner role to its password, from the variable
	// PasswordVariable names (one per role, so that ECS can inject each
	// from the role's own secret).
	Passwords map[string]string
}

// PasswordVariable is the environment variable that holds role's password.
func PasswordVariable(role string) string {
	return "DBINIT_PASSWORD_" + strings.ToUpper(role)
}

// identifier is what a database or role name may be here: a lower-case
// PostgreSQL identifier, which also makes a valid variable name.
var identifier = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// LoadConfig reads the configuration through lookup (os.LookupEnv in
// production). A missing or malformed setting fails, naming it.
func LoadConfig(ctx context.Context, lookup func(string) (string, bool)) (Config, error) {
	var c Config
	if err := envconfig.ProcessWith(ctx, &envconfig.Config{Target: &c, Lookuper: envconfig.LookuperFunc(lookup)}); err != nil {
		return Config{}, fmt.Errorf("configuration: %w", err)
	}
	var errs []error
	c.Passwords = make(map[string]string, len(c.Owners))
	for _, db := range slices.Sorted(maps.Keys(c.Owners)) {
		role := c.Owners[db]
		if !identifier.MatchString(db) || !identifier.MatchString(role) {
			errs = append(errs, fmt.Errorf("DBINIT_OWNERS: %q:%q: database and role must be lower-case identifiers", db, role))
			continue
		}
		if _, dup := c.Passwords[role]; dup {
			errs = append(errs, fmt.Errorf("DBINIT_OWNERS: role %s owns two databases; each service has its own", role))
			continue
		}
		pw, ok := lookup(PasswordVariable(role))
		if !ok || pw == "" {
			errs = append(errs, fmt.Errorf("%s is required (the %s role's password)", PasswordVariable(role), role))
		}
		c.Passwords[role] = pw
	}
	if err := errors.Join(errs...); err != nil {
		return Config{}, fmt.Errorf("configuration: %w", err)
	}
	return c, nil
}
