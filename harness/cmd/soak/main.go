// Command soak drives many orders through the whole system, each to an end
// (paid, cooked and handed over, or rejected and cancelled), while faults
// hit it at random: services killed and started again, restarted, paused,
// SQS sends failed or delivered twice, Mercado Pago answering 5xx, poison
// messages on the queues. Then it waits for the system to settle and checks
// every order through the public API, Mercado Pago's payments and the
// dead-letter queues, and prints one line:
//
//	soak: <N> orders, <T> terminal, <L> lost, <D> duplicated, <Q> dead-lettered (<I> injected)
//
// An order is terminal when it is DELIVERED (payment approved, one Mercado
// Pago payment, its kitchen record completed, its history each step once)
// or CANCELLED (payment rejected, never in the kitchen); lost when it cannot
// be found or is stuck short of that; duplicated when any effect happened
// twice (a second Mercado Pago payment, a status entered twice, a payment
// settled or a kitchen record made twice). It exits 0 only if every order
// is terminal, none lost or duplicated, and the dead-letter queues hold
// exactly the poison it injected.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// config is the soak's command line.
type config struct {
	Orders      int
	Concurrency int
	Seed        int64
	RejectShare float64
	Spread      time.Duration
	FaultEvery  time.Duration
	Timeout     time.Duration
	Logs        string
}

func parseFlags(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("soak", flag.ContinueOnError)
	fs.IntVar(&c.Orders, "orders", 200, "how many orders to drive")
	fs.IntVar(&c.Concurrency, "concurrency", 20, "orders driven side by side")
	fs.Int64Var(&c.Seed, "seed", 0, "random seed for the faults and the choices; 0 picks one")
	fs.Float64Var(&c.RejectShare, "reject", 0.15, "share of payments Mercado Pago rejects")
	fs.DurationVar(&c.Spread, "spread", 40*time.Second, "the orders arrive evenly over this time, so that faults meet them at every stage")
	fs.DurationVar(&c.FaultEvery, "fault-every", time.Second, "mean time between faults")
	fs.DurationVar(&c.Timeout, "timeout", 150*time.Second, "the whole run, boot to verdict")
	fs.StringVar(&c.Logs, "logs", "", "write every service log line to this file")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if c.Orders < 1 || c.Concurrency < 1 {
		return c, fmt.Errorf("-orders and -concurrency must be at least 1")
	}
	if c.Seed == 0 {
		c.Seed = time.Now().UnixNano()
	}
	return c, nil
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		os.Exit(2)
	}
	ok, err := run(ctx, cfg, os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(2)
	}
	if !ok {
		os.Exit(1)
	}
}

// run boots the system, drives and checks the orders, and prints the
// verdict line on out; ok says whether it holds.
func run(ctx context.Context, cfg config, out, diag io.Writer) (ok bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	log := slog.New(slog.NewTextHandler(diag, &slog.HandlerOptions{Level: slog.LevelWarn}))
	s, err := newSoak(ctx, cfg, log, diag)
	if err != nil {
		return false, err
	}
	defer func() {
		if cerr := s.close(); cerr != nil {
			fmt.Fprintln(diag, "soak: close:", cerr)
		}
	}()
	began := time.Now()
	s.drive(ctx)
	drove := time.Since(began)
	s.settle(ctx)
	// The checks get time of their own: a run out of time still says why.
	checkCtx, cancelChecks := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancelChecks()
	v, err := s.verdict(checkCtx)
	if err != nil {
		return false, err
	}
	fmt.Fprintf(diag, "soak: seed %d, driven in %s, settled and checked in %s; faults: %s\n",
		cfg.Seed, drove.Round(time.Millisecond), (time.Since(began) - drove).Round(time.Millisecond), s.faults.summary())
	fmt.Fprintln(out, v.line())
	return v.ok(), nil
}
