package awsenv

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/comanda/comanda/services/platform/awsconf"
	"github.com/comanda/comanda/services/topology"
)

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

func startEnv(t *testing.T, opts Options) *Env {
	t.Helper()
	opts.Logger = testLogger(t)
	if opts.Prefix == "" {
		opts.Prefix = NewPrefix()
	}
	began := time.Now()
	env, err := Start(t.Context(), opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Logf("%s provisioned in %v", env.Backend(), time.Since(began).Round(time.Millisecond))
	t.Cleanup(env.Close)
	return env
}

// eventually calls fn until it returns true or timeout passes.
func eventually(t *testing.T, timeout time.Duration, what string, fn func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !fn() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestStartProvisionsTheTopology(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	top := topology.MustLoad()

	if want := "embedded kumo v" + kumoVersion + " at http://127.0.0.1:"; !strings.HasPrefix(env.Backend(), want) {
		t.Errorf("Backend() = %q, want it to start with %q", env.Backend(), want)
	}
	if env.Config.Endpoint != env.Endpoint || env.Config.Region != "us-east-1" {
		t.Errorf("Config = %+v, want endpoint %s and region us-east-1", env.Config, env.Endpoint)
	}
	for _, q := range top.Queues.Names {
		if env.Queues[q] == "" || env.DeadLetterQueues[q] == "" {
			t.Errorf("queue %s: url %q, dead-letter url %q", q, env.Queues[q], env.DeadLetterQueues[q])
		}
	}
	for _, tb := range top.Tables {
		if env.Tables[tb.Name] != env.Prefix+tb.Name {
			t.Errorf("table %s is named %q, want %q", tb.Name, env.Tables[tb.Name], env.Prefix+tb.Name)
		}
	}
	if env.SecretID != env.Prefix+top.Secret || env.KeyID == "" {
		t.Errorf("SecretID = %q, KeyID = %q; want %q and a key", env.SecretID, env.KeyID, env.Prefix+top.Secret)
	}
}

func TestProvisionIsIdempotent(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	again, err := Provision(t.Context(), env.Clients, topology.MustLoad(), env.Prefix)
	if err != nil {
		t.Fatalf("second Provision: %v", err)
	}
	if len(again.created) != 0 {
		t.Errorf("second Provision made %v, want nothing new", again.created)
	}
	for q, url := range env.Queues {
		if again.Queues[q] != url || again.DeadLetterQueues[q] != env.DeadLetterQueues[q] {
			t.Errorf("queue %s moved: %s → %s", q, url, again.Queues[q])
		}
	}
	if again.KeyID != env.KeyID || again.SecretID != env.SecretID || again.PublicKeyPEM != env.PublicKeyPEM {
		t.Errorf("second Provision changed the key or secret: %s/%s → %s/%s", env.KeyID, env.SecretID, again.KeyID, again.SecretID)
	}
}

func TestNewPrefix(t *testing.T) {
	t.Parallel()
	a, b := NewPrefix(), NewPrefix()
	if a == b || len(a) != 8 || !strings.HasSuffix(a, "-") || strings.ToLower(a) != a {
		t.Errorf("NewPrefix() = %q, %q; want two distinct lower-case 8-character prefixes ending in -", a, b)
	}
}

func TestProvisionRejectsUnfitPrefix(t *testing.T) {
	t.Parallel()
	if _, err := Provision(t.Context(), awsconf.Clients{}, topology.MustLoad(), "bad prefix/"); err == nil {
		t.Error("Provision accepted a prefix with a space and a slash")
	}
}
