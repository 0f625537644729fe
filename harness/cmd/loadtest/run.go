package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"time"
)

// The phases, in the order they run.
const (
	phaseFloor   = "floor"
	phaseLatency = "latency"
	phaseFlow    = "flow"
	phasePost    = "post_order"
)

var allPhases = []string{phaseFloor, phaseLatency, phaseFlow, phasePost}

func parsePhases(s string) ([]string, error) {
	var out []string
	for p := range strings.SplitSeq(s, ",") {
		p = strings.TrimSpace(p)
		if !slices.Contains(allPhases, p) {
			return nil, fmt.Errorf("unknown phase %q (have %s)", p, strings.Join(allPhases, ", "))
		}
		out = append(out, p)
	}
	return out, nil
}

// bench is one run of the tool.
type bench struct {
	cfg     config
	log     *slog.Logger
	target  *target
	book    *book
	placer  *placer
	kitchen *kitchen
	sampler *sampler
	began   time.Time
	results results
	bands   []chartPhase
}

// run boots (or reaches) the system, runs the phases, and reports.
func run(ctx context.Context, cfg config, out io.Writer, log *slog.Logger) error {
	phases, _ := parsePhases(cfg.Phases)
	b := &bench{cfg: cfg, log: log, book: newBook(), sampler: startSampler(250 * time.Millisecond)}
	defer b.sampler.stop()
	t, err := startTarget(ctx, cfg, log, nil)
	if err != nil {
		return err
	}
	defer t.close()
	b.target = t
	b.results = newResults(cfg, t)
	fl, err := t.openFloor(ctx, cfg, b.book)
	if err != nil {
		return err
	}
	defer fl.stop()
	b.placer, b.kitchen = fl.placer, fl.kitchen

	if cfg.PprofAddr != "" {
		stopPprof, err := servePprof(cfg.PprofAddr, log)
		if err != nil {
			return err
		}
		defer stopPprof()
	}
	if cfg.Profile != "" {
		stopProfile, err := startProfile(cfg.Profile)
		if err != nil {
			return err
		}
		defer stopProfile()
	}
	b.sampler.mark()
	b.began = time.Now()
	for _, p := range phases {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err := b.phase(ctx, p); err != nil {
			return fmt.Errorf("phase %s: %w", p, err)
		}
	}
	if err := b.sampler.err(); err != nil {
		log.Warn("the CPU and memory figures miss what could not be read", "err", err)
	}
	b.results.finish(b.kitchen.errors.Load())
	return b.report(out)
}

// phase runs one phase and keeps its results.
func (b *bench) phase(ctx context.Context, name string) error {
	b.log.Info("phase", "name", name)
	start := time.Since(b.began)
	defer func() { b.bands = append(b.bands, chartPhase{Name: name, Start: start, End: time.Since(b.began)}) }()
	switch name {
	case phaseFloor:
		return b.floor(ctx)
	case phaseLatency:
		began, calls := time.Now(), b.awsCalls()
		b.placer.steady(ctx, name, b.cfg.LatencyRate, b.cfg.LatencyDuration)
		b.settle(ctx, name, began, b.cfg.LatencyDuration)
		b.results.addAWSCalls(name, calls, b.awsCalls())
	case phaseFlow:
		began := time.Now()
		b.placer.windowed(ctx, name, b.cfg.FlowClients, b.cfg.FlowWindow, b.cfg.FlowWarmup+b.cfg.FlowDuration)
		b.settle(ctx, name, began.Add(b.cfg.FlowWarmup), b.cfg.FlowDuration)
	case phasePost:
		pipeline, err := b.holdPipeline(ctx)
		if err != nil {
			return err
		}
		began := time.Now()
		b.placer.closed(ctx, name, b.cfg.PostClients, b.cfg.PostDuration)
		elapsed := time.Since(began)
		b.results.addPost(b.book.snapshot(name), b.book.failures(name), elapsed, b.sampler.mark(), pipeline)
		if pipeline == pipelinePaused {
			return b.target.sys.ResumeService(ctx, "payment")
		}
	}
	return nil
}

// holdPipeline pauses the payment service for the post_order phase, as
// -post-pipeline asks, when the system runs in-process, and says what it
// did: pipelinePaused (the orders placed wait in its queue, nothing
// downstream runs) or pipelineRunning.
func (b *bench) holdPipeline(ctx context.Context) (string, error) {
	if b.cfg.PostPipeline != pipelinePaused {
		return pipelineRunning, nil
	}
	if b.target.sys == nil {
		b.log.Warn("the pipeline cannot be paused with -url: POST /order is measured with it running")
		return pipelineRunning, nil
	}
	if err := b.target.sys.PauseService(ctx, "payment"); err != nil {
		return "", fmt.Errorf("pause the payment service: %w", err)
	}
	return pipelinePaused, nil
}

// What the payment service does during the post_order phase.
const (
	pipelinePaused  = "paused"
	pipelineRunning = "running"
)

// settle waits for a phase's orders to get through the kitchen, reads
// them back, and keeps the phase's numbers.
func (b *bench) settle(ctx context.Context, name string, began time.Time, d time.Duration) {
	use := b.sampler.mark() // the load itself, not the reading back
	if left := drain(ctx, b.book, name, b.cfg.DrainMax); left > 0 {
		b.log.Warn("orders the kitchen never saw through", "phase", name, "orders", left)
	}
	collect(ctx, b.target.api, b.target.staff, b.book.orders(name), b.cfg.DrainMax)
	orders := b.book.snapshot(name)
	b.results.addPhase(name, orders, b.book.failures(name), began, d, use)
	b.sampler.mark()
}

// awsCalls counts the AWS calls the services made so far (none known with -url).
func (b *bench) awsCalls() map[string]int {
	if b.target.sys == nil {
		return nil
	}
	return b.target.sys.AWSCalls()
}

// floor runs the flow's I/O directly on the backing services.
func (b *bench) floor(ctx context.Context) error {
	if b.target.sys == nil {
		b.log.Warn("no floor run against -url: the backing services are not reachable from here")
		return nil
	}
	res, err := runFloor(ctx, b.target.sys.Backing(), floorConfig{Workers: b.cfg.FloorWorkers, Duration: b.cfg.FloorDuration})
	if err != nil {
		return err
	}
	b.results.addFloor(res, b.sampler.mark())
	return nil
}

func startProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); _ = f.Close() }, nil
}
