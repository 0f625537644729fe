package gateway

import (
	"context"
	"strings"
	"testing"

	"github.com/comanda/comanda/services/platform/config"
	"github.com/comanda/comanda/services/platform/logging"
)

func fullEnv() map[string]string {
	return map[string]string{
		"AUTH_URL": "http://127.0.0.1:9001", "CATALOG_URL": "http://127.0.0.1:9002", "ORDER_URL": "http://127.0.0.1:9003",
		"PAYMENT_URL": "http://127.0.0.1:9004", "PRODUCTION_URL": "http://127.0.0.1:9005/",
	}
}

func TestConfigLoad(t *testing.T) {
	t.Parallel()
	var cfg Config
	if err := config.LoadFrom(t.Context(), fullEnv(), &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != ":8080" || cfg.HealthTimeout.Seconds() != 2 || cfg.Listener != nil {
		t.Errorf("defaults = %+v", cfg)
	}
	env := fullEnv()
	delete(env, "PRODUCTION_URL")
	if err := config.LoadFrom(t.Context(), env, &Config{}); err == nil || !strings.Contains(err.Error(), "PRODUCTION_URL") {
		t.Errorf("missing PRODUCTION_URL: err = %v; want one naming it", err)
	}
}

func TestRunRefusesBadURLs(t *testing.T) {
	t.Parallel()
	for setting, value := range map[string]string{
		"ORDER_URL":   "",
		"AUTH_URL":    "ftp://127.0.0.1:9001",
		"CATALOG_URL": "http://127.0.0.1:9002/catalog",
		"PAYMENT_URL": "127.0.0.1:9004",
	} {
		env := fullEnv()
		env[setting] = value
		var cfg Config
		if err := config.LoadFrom(t.Context(), env, &cfg); err != nil && value != "" {
			t.Fatal(err)
		}
		cfg.AuthURL, cfg.CatalogURL, cfg.OrderURL, cfg.PaymentURL = env["AUTH_URL"], env["CATALOG_URL"], env["ORDER_URL"], env["PAYMENT_URL"]
		cfg.ProductionURL = env["PRODUCTION_URL"]
		cfg.Addr = "127.0.0.1:0" // should validation pass wrongly, Run stops at once
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		err := Run(ctx, cfg, logging.Discard())
		if err == nil || !strings.Contains(err.Error(), setting) {
			t.Errorf("%s=%q: Run err = %v; want one naming %s", setting, value, err, setting)
		}
	}
}
