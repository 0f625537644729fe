package command

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/comanda/comanda/services/platform/config"
	"github.com/comanda/comanda/services/platform/logging"
)

type testConfig struct {
	Greeting string `env:"GREETING, required"`
	Log      logging.Config
}

func (c testConfig) LogConfig() logging.Config { return c.Log }

func from(env map[string]string) func(*testConfig) error {
	return func(cfg *testConfig) error { return config.LoadFrom(context.Background(), env, cfg) }
}

func TestRunStartsTheServiceWithItsConfiguration(t *testing.T) {
	t.Parallel()
	var stderr bytes.Buffer
	var got string
	run := func(_ context.Context, cfg testConfig, log *slog.Logger) error {
		got = cfg.Greeting
		log.Info("started")
		return nil
	}
	code := runWith(t.Context(), "kitchen", run, &stderr, from(map[string]string{"GREETING": "olá", "LOG_FORMAT": "json"}))
	if code != ExitOK || got != "olá" {
		t.Fatalf("exit %d, greeting %q; want 0 and the configured one", code, got)
	}
	var line map[string]any
	if err := json.Unmarshal(stderr.Bytes(), &line); err != nil || line["service"] != "kitchen" || line["msg"] != "started" {
		t.Errorf("log line %q: want JSON naming the service (%v)", stderr.String(), err)
	}
}

func TestRunRefusesAMissingSettingBeforeStarting(t *testing.T) {
	t.Parallel()
	var stderr bytes.Buffer
	started := false
	run := func(context.Context, testConfig, *slog.Logger) error { started = true; return nil }
	code := runWith(t.Context(), "kitchen", run, &stderr, from(map[string]string{}))
	if code != ExitBadConfig || started {
		t.Fatalf("exit %d, started %v; want %d and not started", code, started, ExitBadConfig)
	}
	if msg := stderr.String(); !strings.HasPrefix(msg, "kitchen: ") || !strings.Contains(msg, "GREETING") {
		t.Errorf("stderr %q: want the service and the missing setting named", msg)
	}
}

func TestRunLogsTheErrorThatStoppedTheService(t *testing.T) {
	t.Parallel()
	var stderr bytes.Buffer
	run := func(context.Context, testConfig, *slog.Logger) error { return errors.New("database unreachable") }
	code := runWith(t.Context(), "kitchen", run, &stderr, from(map[string]string{"GREETING": "oi", "LOG_FORMAT": "json"}))
	if code != ExitFailed {
		t.Fatalf("exit %d, want %d", code, ExitFailed)
	}
	if !strings.Contains(stderr.String(), "database unreachable") || !strings.Contains(stderr.String(), `"service":"kitchen"`) {
		t.Errorf("stderr %q: want the error logged with the service", stderr.String())
	}
}
