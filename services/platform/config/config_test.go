package config_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/comanda/comanda/services/platform/config"
	"github.com/comanda/comanda/services/platform/postgres"
	"github.com/comanda/comanda/services/platform/queue"
	"github.com/comanda/comanda/services/platform/token"
)

// settings is how a service composes the platform's configuration.
type settings struct {
	DB       postgres.Config
	Consumer queue.ConsumerConfig
	Token    token.Config
}

func TestLoadFromAppliesDefaults(t *testing.T) {
	t.Parallel()
	var s settings
	if err := config.LoadFrom(t.Context(), map[string]string{"DATABASE_URL": "postgres://db/x"}, &s); err != nil {
		t.Fatalf("LoadFrom = %v", err)
	}
	want := queue.ConsumerConfig{Concurrency: 16, WaitTime: 10 * time.Second, RetryBase: time.Second, RetryMax: 5 * time.Minute,
		HandlerTimeout: 25 * time.Second, TransientWindow: time.Hour}
	if s.Consumer != want {
		t.Errorf("consumer defaults = %+v; want %+v", s.Consumer, want)
	}
	if s.DB.URL != "postgres://db/x" || s.DB.MaxConns != 16 {
		t.Errorf("database = %+v; want the URL given and 16 connections", s.DB)
	}
	if s.Token != (token.Config{SecretID: "comanda/project", Issuer: "comanda", Audience: "comanda-api"}) {
		t.Errorf("token defaults = %+v", s.Token)
	}
}

func TestLoadFromOverrides(t *testing.T) {
	t.Parallel()
	var s settings
	env := map[string]string{"DATABASE_URL": "postgres://db/x", "CONSUMER_RETRY_BASE": "3s", "JWT_AUDIENCE": "other"}
	if err := config.LoadFrom(t.Context(), env, &s); err != nil {
		t.Fatalf("LoadFrom = %v", err)
	}
	if s.Consumer.RetryBase != 3*time.Second || s.Token.Audience != "other" {
		t.Errorf("overrides not applied: %+v %+v", s.Consumer, s.Token)
	}
}

func TestLoadFromNamesAMissingSetting(t *testing.T) {
	t.Parallel()
	err := config.LoadFrom(t.Context(), map[string]string{}, &settings{})
	if err == nil || !strings.Contains(err.Error(), "DATABASE_URL") {
		t.Fatalf("LoadFrom without DATABASE_URL = %v; want an error naming it", err)
	}
}

func TestLoadFromRejectsABadValue(t *testing.T) {
	t.Parallel()
	err := config.LoadFrom(t.Context(), map[string]string{"DATABASE_URL": "x", "CONSUMER_WAIT_TIME": "soon"}, &settings{})
	// go-envconfig names the field, not the variable, in a parse error.
	if err == nil || !strings.Contains(err.Error(), "WaitTime") {
		t.Fatalf("LoadFrom with a bad duration = %v; want an error naming the setting", err)
	}
}

func TestNamesListsEveryTagNestedStructsIncluded(t *testing.T) {
	t.Parallel()
	type inner struct {
		Level string `env:"LEVEL, default=info"`
	}
	type outer struct {
		Addr  string `env:"ADDR, default=:8080"`
		Log   inner
		Count int
	}
	want := []string{"ADDR", "LEVEL"}
	for _, cfg := range []any{outer{}, &outer{}} {
		if got := config.Names(cfg); !slices.Equal(got, want) {
			t.Errorf("Names(%T) = %v; want %v", cfg, got, want)
		}
	}
	if got := config.Names(nil); got != nil {
		t.Errorf("Names(nil) = %v", got)
	}
}
