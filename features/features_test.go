package features

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/cucumber/godog"
	"golang.org/x/crypto/bcrypt"

	"github.com/comanda/comanda/harness"
	"github.com/comanda/comanda/harness/containers"
	"github.com/comanda/comanda/services/platform/config"
)

// godogOptions are bound to -godog.* flags, so that
// `go test ./features -godog.tags=@payment` runs one capability. Paths is
// this package's directory, where go test runs it: every .feature below.
var godogOptions = godog.Options{
	Format:      "progress",
	Paths:       []string{"."},
	Strict:      true,
	Randomize:   -1,
	Concurrency: 4,
	NoColors:    true,
}

// bindGodogFlags binds the options on the standard flag set, which go test
// parses, so the flags work with one dash like every test flag.
func bindGodogFlags(o *godog.Options) {
	flag.StringVar(&o.Tags, "godog.tags", o.Tags, "run only scenarios matching this tag expression, e.g. @payment or '~@slow'")
	flag.StringVar(&o.Format, "godog.format", o.Format, "godog formatter: progress, pretty, cucumber, junit…")
	flag.IntVar(&o.Concurrency, "godog.concurrency", o.Concurrency, "scenarios run side by side")
	flag.Int64Var(&o.Randomize, "godog.random", o.Randomize, "scenario order seed; -1 picks one, 0 keeps file order")
	flag.BoolVar(&o.StopOnFailure, "godog.stop-on-failure", o.StopOnFailure, "stop at the first failing scenario")
	flag.Func("godog.paths", "comma-separated features to run, relative to features/, a scenario as file:line", func(s string) error {
		o.Paths = strings.Split(s, ",")
		return nil
	})
}

// suite is what every scenario shares: the running system.
var suite *harness.System

// onContainers says the system runs as containers (COMANDA_BACKEND=containers):
// the scenarios tagged inProcessTag are skipped.
var onContainers bool

func TestMain(m *testing.M) {
	bindGodogFlags(&godogOptions)
	flag.Parse()
	os.Exit(runWithSystem(m))
}

// suiteConfig lets the suite use external backends, as the README describes.
type suiteConfig struct {
	DatabaseURL string `env:"DATABASE_URL"`
	AWSEndpoint string `env:"AWS_ENDPOINT_URL"`
}

func runWithSystem(m *testing.M) int {
	ctx := context.Background()
	var cfg suiteConfig
	if err := config.Load(ctx, &cfg); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	engine, err := containers.FromEnv(ctx, log)
	if err != nil {
		fmt.Fprintln(os.Stderr, "harness:", err)
		return 1
	}
	onContainers = engine != nil
	sys, err := harness.Start(ctx, harness.Options{Log: log, DatabaseURL: cfg.DatabaseURL, AWSEndpoint: cfg.AWSEndpoint, Engine: engine,
		// Scenarios side by side log the employee in at once; how many
		// password checks may run together is the auth tests' business.
		PasswordHashCost: bcrypt.MinCost,
		ServiceEnv:       map[string]map[string]string{"auth": {"AUTH_PASSWORD_CHECKS_AT_ONCE": "64"}},
		// Every span and metric of every service is kept, for the
		// @observability scenarios.
		RecordTelemetry: true,
		// Every exchange of every test through the gateway is checked
		// against api/openapi.yaml, both ways.
		CheckContract: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, "harness:", err)
		return 1
	}
	suite = sys
	code := m.Run()
	if onContainers {
		fmt.Fprintln(os.Stderr, "contract: not checked against containers (the gateway is not in this process to observe); the in-process suite checks it")
	} else {
		fmt.Fprintf(os.Stderr, "contract: %d exchanges through the gateway checked against api/openapi.yaml; operations no test used: %v\n",
			sys.ContractChecked(), sys.UnexercisedOperations())
	}
	if violations := sys.ContractViolations(); len(violations) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: %d exchanges through the gateway broke api/openapi.yaml:\n", len(violations))
		for _, v := range violations {
			fmt.Fprintln(os.Stderr, "  "+v.String())
		}
		code = 1
	}
	if err := sys.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "harness close:", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// serialTag marks the scenarios that disturb the shared fake Mercado Pago
// (its clock, API faults): they run after the others, one at a time.
const serialTag = "@serial"

// TestFeatures runs the scenarios side by side, then the @serial ones one
// at a time, each pass keeping to the -godog.tags the user gave.
func TestFeatures(t *testing.T) {
	tags := godogOptions.Tags
	if onContainers {
		skipped, err := scenariosTagged(".", inProcessTag)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(os.Stderr, "containers: %d scenarios tagged %s skipped (they need the in-process system: its door to AWS, or its recording of telemetry): %s\n",
			len(skipped), inProcessTag, strings.Join(skipped, "; "))
		tags = withTag(tags, "~"+inProcessTag)
	}
	passes := []struct {
		name        string
		tags        string
		concurrency int
	}{
		{"side by side", withTag(tags, "~"+serialTag), godogOptions.Concurrency},
		{"serial", withTag(tags, serialTag), 1},
	}
	for _, pass := range passes {
		passed := t.Run(pass.name, func(t *testing.T) {
			opts := godogOptions
			opts.TestingT = t
			opts.Tags, opts.Concurrency = pass.tags, pass.concurrency
			status := godog.TestSuite{
				Name:                "comanda",
				ScenarioInitializer: initializeScenario,
				Options:             &opts,
			}.Run()
			if status != 0 {
				t.Fatalf("feature suite (%s, tags %q) failed (status %d)", pass.name, pass.tags, status)
			}
		})
		if !passed && godogOptions.StopOnFailure {
			return
		}
	}
}

// withTag narrows a godog tag expression to the scenarios that also match
// tag. godog's expressions have no parentheses: "," is or, "&&" is and,
// "~" is not; so the tag joins every alternative: "a,b" with "~@serial"
// becomes "a && ~@serial,b && ~@serial".
func withTag(expr, tag string) string {
	if strings.TrimSpace(expr) == "" {
		return tag
	}
	alternatives := strings.Split(expr, ",")
	for i, alt := range alternatives {
		alternatives[i] = strings.TrimSpace(alt) + " && " + tag
	}
	return strings.Join(alternatives, ",")
}
