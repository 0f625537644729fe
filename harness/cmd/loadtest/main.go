// Command loadtest measures Comanda under load, end to end, and reports how
// far it is from what its backing services allow.
//
// It boots the whole system in-process (or drives one already running, with
// -url), has the fake Mercado Pago approve every payment after -approve-after
// and an automated kitchen start and complete every record, then runs, in
// order:
//
//   - floor:      the flow's own I/O done directly on the same PostgreSQL,
//     emulator and fake, with no service in between (in-process only);
//   - latency:    orders at a steady -latency-rate, to measure each stage;
//   - flow:       as many orders as the system takes, -flow-window in flight,
//     for -flow-warmup, then -flow-duration measured: the sustained throughput;
//   - post_order: -post-clients clients placing orders back to back, to
//     measure POST /order alone: with -post-pipeline paused (the default)
//     the payment service is paused meanwhile, so that nothing downstream
//     takes the two cores from the endpoint (deployed, each service has a
//     task of its own); the orders wait in its queue.
//
// With -tracing-cost it runs none of these, but measures what telemetry
// costs: rounds of orders at a steady rate, each on a fresh system, with
// telemetry off and on (every span recorded and exported by OTLP to a
// receiver in this process), and reports the CPU per order of each.
//
// Every stage of every order is timestamped by the services themselves (the
// order's history and its kitchen record), so the numbers do not depend on
// how often the tool looks. It prints a table, writes -out (results.json)
// and a chart of latency over time (-chart, SVG).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"
)

// config is the command line.
type config struct {
	URL        string
	FakeURL    string
	StaffEmail string
	StaffPass  string

	Customers    int
	ApproveAfter time.Duration
	CookTime     time.Duration
	Cooks        int
	KitchenPoll  time.Duration

	FloorWorkers  int
	FloorDuration time.Duration

	LatencyRate     float64
	LatencyDuration time.Duration

	FlowWindow   int
	FlowClients  int
	FlowDuration time.Duration
	FlowWarmup   time.Duration

	PostClients  int
	PostPipeline string
	PostDuration time.Duration

	FeatureSuiteS float64

	MemoryLimitMB int

	TracingCost     bool
	TracingRound    string // off or on: one side of a round, run by -tracing-cost
	TracingRate     float64
	TracingDuration time.Duration
	TracingRounds   int
	TracingOut      string

	Phases    string
	Out       string
	Chart     string
	OrdersCSV string
	Profile   string
	PprofAddr string
	Logs      string
	DrainMax  time.Duration

	// Flags is every flag's value as given or defaulted, for the report.
	Flags map[string]string
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.URL, "url", "", "drive the system behind this gateway URL instead of booting one in-process (no floor run then)")
	fs.StringVar(&c.FakeURL, "fake-url", "http://127.0.0.1:8090", "with -url: the fake Mercado Pago, to turn auto-approve on")
	fs.StringVar(&c.StaffEmail, "staff-email", "staff@comanda.local", "with -url: the employee the automated kitchen logs in as")
	fs.StringVar(&c.StaffPass, "staff-password", "sandbox-staff-password", "with -url: that employee's password")
	fs.IntVar(&c.Customers, "customers", 200, "virtual customers (half registered by CPF, half anonymous)")
	fs.DurationVar(&c.ApproveAfter, "approve-after", 20*time.Millisecond, "the fake approves every payment this long after creating it")
	fs.DurationVar(&c.CookTime, "cook-time", 0, "how long the automated kitchen takes between start and complete")
	fs.IntVar(&c.Cooks, "cooks", 32, "records the automated kitchen works on at once")
	fs.DurationVar(&c.KitchenPoll, "kitchen-poll", 100*time.Millisecond, "how often the automated kitchen lists the records waiting")
	fs.IntVar(&c.FloorWorkers, "floor-workers", 8, "orders the floor run does at once")
	fs.DurationVar(&c.FloorDuration, "floor-duration", 10*time.Second, "how long the floor run lasts")
	fs.Float64Var(&c.LatencyRate, "latency-rate", 100, "orders per second in the latency phase")
	fs.DurationVar(&c.LatencyDuration, "latency-duration", 20*time.Second, "how long the latency phase lasts")
	fs.IntVar(&c.FlowWindow, "flow-window", 500, "orders in flight (placed, not yet done in the kitchen) in the flow phase")
	fs.IntVar(&c.FlowClients, "flow-clients", 64, "clients placing orders in the flow phase")
	fs.DurationVar(&c.FlowDuration, "flow-duration", 30*time.Second, "how long the flow phase is measured")
	fs.DurationVar(&c.FlowWarmup, "flow-warmup", 5*time.Second, "how long the flow phase runs before it is measured (the pipeline filling up)")
	fs.IntVar(&c.PostClients, "post-clients", 32, "clients placing orders back to back in the post_order phase")
	fs.DurationVar(&c.PostDuration, "post-duration", 5*time.Second, "how long the post_order phase lasts (paused, the payment queue grows by every order placed)")
	fs.StringVar(&c.PostPipeline, "post-pipeline", pipelinePaused, "in the post_order phase, the payment service (and so all downstream of it) is: paused, or running (in-process only)")
	fs.Float64Var(&c.FeatureSuiteS, "feature-suite-seconds", 0, "how long the feature suite took, measured by make bench, to report with the rest")
	fs.IntVar(&c.MemoryLimitMB, "memory-limit-mb", 360, "GOMEMLIMIT for this process (the services, emulator, fake and tool), unless GOMEMLIMIT is set; 0: none")
	fs.BoolVar(&c.TracingCost, "tracing-cost", false, "instead of the phases, measure what telemetry costs: CPU per order of two fresh systems side by side, one with telemetry off, one on, -tracing-rounds times")
	fs.StringVar(&c.TracingRound, "tracing-round", "", "one side of a -tracing-cost round, as -tracing-cost runs it: off or on")
	fs.Float64Var(&c.TracingRate, "tracing-rate", 40, "with -tracing-cost: orders per second to each system")
	fs.DurationVar(&c.TracingDuration, "tracing-duration", 15*time.Second, "with -tracing-cost: how long each round places orders")
	fs.IntVar(&c.TracingRounds, "tracing-rounds", 2, "with -tracing-cost: rounds, each with telemetry off and on side by side")
	fs.StringVar(&c.TracingOut, "tracing-out", "bench/tracing.json", "with -tracing-cost: where to write its results")
	fs.StringVar(&c.Phases, "phases", "floor,latency,flow,post_order", "the phases to run, in this order")
	fs.StringVar(&c.Out, "out", "bench/results.json", "where to write the results")
	fs.StringVar(&c.Chart, "chart", "bench/latency.svg", "where to write the latency-over-time chart")
	fs.StringVar(&c.OrdersCSV, "orders-csv", "", "also write every order's stage times to this CSV file, to look at one run closely")
	fs.StringVar(&c.Profile, "cpuprofile", "", "write a CPU profile of the load phases (the in-process services, the emulator and the tool) to this file; with -tracing-cost, one per side, to this file .off and .on")
	fs.StringVar(&c.PprofAddr, "pprof-addr", "", "serve net/http/pprof on this address (e.g. 127.0.0.1:6060) while the tool runs, to look inside a run")
	fs.StringVar(&c.Logs, "logs", "", "write every service log line to this file")
	fs.DurationVar(&c.DrainMax, "drain-max", 60*time.Second, "how long to wait, after a phase, for its orders to be READY")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	c.Flags = map[string]string{}
	fs.VisitAll(func(f *flag.Flag) { c.Flags[f.Name] = f.Value.String() })
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if c.TracingRound != "" && c.TracingRound != telemetryOff && c.TracingRound != telemetryOn {
		return c, fmt.Errorf("-tracing-round is %s or %s", telemetryOff, telemetryOn)
	}
	if (c.TracingCost || c.TracingRound != "") && (c.TracingRate <= 0 || c.TracingDuration <= 0 || c.TracingRounds < 1) {
		return c, fmt.Errorf("-tracing-rate, -tracing-duration and -tracing-rounds must be positive")
	}
	if c.Customers < 1 || c.Cooks < 1 || c.KitchenPoll <= 0 || c.FlowWindow < 1 || c.FlowClients < 1 || c.PostClients < 1 || c.FloorWorkers < 1 || c.LatencyRate <= 0 {
		return c, fmt.Errorf("-customers, -cooks, -kitchen-poll, -flow-window, -flow-clients, -post-clients, -floor-workers and -latency-rate must be positive")
	}
	if c.PostPipeline != pipelinePaused && c.PostPipeline != pipelineRunning {
		return c, fmt.Errorf("-post-pipeline is %q or %q", pipelinePaused, pipelineRunning)
	}
	if _, err := parsePhases(c.Phases); err != nil {
		return c, err
	}
	return c, nil
}

// setMemoryLimit gives the process a soft memory limit, as a service's
// container would (GOMEMLIMIT): the whole system runs in this process, its
// live heap grows with every order the emulator and the fake keep, and
// with Go's default alone the heap may reach twice that. Near the limit it
// collects more often instead. GOMEMLIMIT in the environment wins.
func setMemoryLimit(limitMB int, log *slog.Logger) {
	if limitMB <= 0 || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(int64(limitMB) << 20)
	log.Info("memory limit", "GOMEMLIMIT_MiB", limitMB)
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg, err := parseFlags(os.Args[1:], os.Stderr)
	if err != nil {
		if err != flag.ErrHelp {
			fmt.Fprintln(os.Stderr, "loadtest:", err)
		}
		os.Exit(2)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	setMemoryLimit(cfg.MemoryLimitMB, log)
	measure := run
	switch {
	case cfg.TracingRound != "":
		measure = func(ctx context.Context, cfg config, out io.Writer, log *slog.Logger) error {
			return costRun(ctx, cfg, cfg.TracingRound, os.Stdin, out, log)
		}
	case cfg.TracingCost:
		measure = tracingCost
	}
	if err := measure(ctx, cfg, os.Stdout, log); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}
