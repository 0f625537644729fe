package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"
)

// What tracing may cost: CPU per order with every span recorded and
// exported, against none, at most this much more.
const tracingGoal = 0.15

// Telemetry in a round of the tracing cost.
const (
	telemetryOff = "off"
	telemetryOn  = "on"
)

// costRound is one side of a round of the tracing cost: a fresh system,
// with telemetry off or on, taking orders at a steady rate.
type costRound struct {
	Telemetry     string  `json:"telemetry"`
	Orders        int     `json:"orders"`
	Unfinished    int     `json:"unfinished"`
	Errors        int     `json:"errors"`
	CPUSeconds    float64 `json:"cpu_seconds"`
	CPUPerOrderMS float64 `json:"cpu_per_order_ms"`
	SpansPerOrder float64 `json:"spans_per_order"`
	KBPerOrder    float64 `json:"exported_kb_per_order"`
}

// costResults is what -tracing-cost writes to -tracing-out.
type costResults struct {
	RatePerS  float64     `json:"rate_per_s"`
	Duration  string      `json:"duration"`
	Rounds    []costRound `json:"rounds"`
	OffMS     float64     `json:"cpu_per_order_off_ms"`
	OnMS      float64     `json:"cpu_per_order_on_ms"`
	Overhead  float64     `json:"overhead"` // on / off − 1
	Goal      float64     `json:"goal"`
	Met       bool        `json:"met"`
	Telemetry string      `json:"telemetry_on"`
}

// tracingCost measures what telemetry costs: rounds in which two systems
// take the same steady rate of orders side by side, each booted fresh in a
// process of its own (this command again, -tracing-round), one with
// telemetry off, the other on — every span recorded (sampled, always on)
// and exported by OTLP, and the metrics measured — to a receiver in its
// process that counts what it gets. Each reports the CPU per order of its
// process and its PostgreSQL. Side by side, whatever else the machine does
// meanwhile weighs on both alike.
func tracingCost(ctx context.Context, cfg config, out io.Writer, log *slog.Logger) error {
	if cfg.URL != "" {
		return fmt.Errorf("-tracing-cost boots its own systems: it cannot use -url")
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	res := costResults{RatePerS: cfg.TracingRate, Duration: cfg.TracingDuration.String(), Goal: tracingGoal,
		Telemetry: "OTEL_EXPORTER_OTLP_ENDPOINT set: every span sampled and exported; metrics measured, exported every minute"}
	for i := range cfg.TracingRounds {
		log.Info("tracing cost", "round", i+1, "of", cfg.TracingRounds)
		rounds, err := costSideBySide(ctx, self, cfg)
		if err != nil {
			return fmt.Errorf("round %d: %w", i+1, err)
		}
		res.Rounds = append(res.Rounds, rounds...)
	}
	res.OffMS, res.OnMS = perOrder(res.Rounds, telemetryOff), perOrder(res.Rounds, telemetryOn)
	if res.OffMS > 0 {
		res.Overhead = res.OnMS/res.OffMS - 1
	}
	res.Met = res.OffMS > 0 && res.Overhead < tracingGoal
	if err := writeJSON(cfg.TracingOut, res); err != nil {
		return err
	}
	reportCost(out, res)
	return nil
}

// costSideBySide runs one round: a process per telemetry mode, started
// together once both are ready.
func costSideBySide(ctx context.Context, self string, cfg config) ([]costRound, error) {
	var children []*costChild
	defer func() {
		for _, c := range children {
			c.kill()
		}
	}()
	for _, mode := range []string{telemetryOff, telemetryOn} {
		c, err := startCostChild(ctx, self, cfg, mode)
		if err != nil {
			return nil, err
		}
		children = append(children, c)
	}
	for _, c := range children {
		if err := c.ready(); err != nil {
			return nil, err
		}
	}
	for _, c := range children {
		if err := c.start(); err != nil {
			return nil, err
		}
	}
	var out []costRound
	for _, c := range children {
		r, err := c.result()
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// costRun is a -tracing-round process: boot with telemetry mode, sign the
// customers in, say "ready" on out, wait for a line on in, then place
// orders at cfg.TracingRate for cfg.TracingDuration, wait until the
// kitchen has them all READY, and write the round's figures on out as
// JSON: the CPU from the first order to the last. With -cpuprofile, it
// profiles the process from the first order to its end.
func costRun(ctx context.Context, cfg config, mode string, in io.Reader, out io.Writer, log *slog.Logger) error {
	sink, err := startSink()
	if err != nil {
		return err
	}
	defer sink.close()
	samp := startSampler(250 * time.Millisecond)
	defer samp.stop()
	var telemetry map[string]string
	if mode == telemetryOn {
		telemetry = map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": sink.url, "OTEL_TRACES_SAMPLER": "always_on"}
	}
	t, err := startTarget(ctx, cfg, log, telemetry)
	if err != nil {
		return err
	}
	defer t.close()
	bk := newBook()
	fl, err := t.openFloor(ctx, cfg, bk)
	if err != nil {
		return err
	}
	defer fl.stop()

	fmt.Fprintln(out, "ready")
	if _, err := bufio.NewReader(in).ReadString('\n'); err != nil {
		return fmt.Errorf("waiting for the start: %w", err)
	}
	if cfg.Profile != "" {
		stopProfile, err := startProfile(cfg.Profile)
		if err != nil {
			return err
		}
		defer stopProfile()
	}
	const phase = "tracing"
	samp.mark()
	before := sink.counts()
	fl.placer.steady(ctx, phase, cfg.TracingRate, cfg.TracingDuration)
	left := drain(ctx, bk, phase, cfg.DrainMax)
	use := samp.mark()
	fl.stop()
	t.close() // the services flush what they still hold
	after := sink.counts()

	r := costRound{Telemetry: mode, Orders: len(bk.orders(phase)), Unfinished: left, Errors: bk.failures(phase) + int(fl.kitchen.errors.Load()),
		CPUSeconds: use.CPUSeconds}
	if done := r.Orders - r.Unfinished; done > 0 {
		r.CPUPerOrderMS = use.CPUSeconds * 1000 / float64(done)
		r.SpansPerOrder = float64(after.spans-before.spans) / float64(done)
		r.KBPerOrder = float64(after.bytes-before.bytes) / 1024 / float64(done)
	}
	if r.Unfinished > 0 || r.Errors > 0 {
		return fmt.Errorf("%d orders unfinished, %d errors: the figures would not be comparable", r.Unfinished, r.Errors)
	}
	return json.NewEncoder(out).Encode(r)
}

// perOrder is the CPU per order of the rounds with telemetry mode: their
// CPU over their orders.
func perOrder(rounds []costRound, mode string) float64 {
	var cpu float64
	var orders int
	for _, r := range rounds {
		if r.Telemetry == mode {
			cpu += r.CPUSeconds
			orders += r.Orders - r.Unfinished
		}
	}
	if orders == 0 {
		return 0
	}
	return cpu * 1000 / float64(orders)
}

func reportCost(out io.Writer, res costResults) {
	fmt.Fprintf(out, "\ntracing cost: per round, two fresh systems side by side, %.0f orders/s each for %s\n", res.RatePerS, res.Duration)
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "round\ttelemetry\torders\tCPU s\tCPU/order ms\tspans/order\texported KB/order\t")
	for i, r := range res.Rounds {
		fmt.Fprintf(w, "%d\t%s\t%d\t%.2f\t%.2f\t%.1f\t%.1f\t\n", i/2+1, r.Telemetry, r.Orders, r.CPUSeconds, r.CPUPerOrderMS, r.SpansPerOrder, r.KBPerOrder)
	}
	_ = w.Flush()
	verdict := "met"
	if !res.Met {
		verdict = "NOT met"
	}
	fmt.Fprintf(out, "CPU per order: off %.2f ms, on %.2f ms: %+.1f %% (goal: under %+.0f %%): %s\n",
		res.OffMS, res.OnMS, res.Overhead*100, res.Goal*100, verdict)
}

func writeJSON(path string, v any) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	raw, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(raw, '\n'), 0o644)
}
