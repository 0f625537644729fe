// Package config parses a service's configuration from the environment, once,
// into its Config struct (env tags with defaults, as go-envconfig reads them).
package config

import (
	"context"
	"fmt"

	"github.com/sethvargo/go-envconfig"
)

// Load fills cfg (a pointer to a struct with env tags) from the process
// environment. A missing required setting fails with a message naming it.
func Load(ctx context.Context, cfg any) error {
	if err := envconfig.Process(ctx, cfg); err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	return nil
}

// LoadFrom is Load from an explicit map, for tests and the harness.
func LoadFrom(ctx context.Context, env map[string]string, cfg any) error {
	if err := envconfig.ProcessWith(ctx, &envconfig.Config{
		Target:   cfg,
		Lookuper: envconfig.MapLookuper(env),
	}); err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	return nil
}
