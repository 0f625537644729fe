package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"sync"
	"time"

	"github.com/comanda/comanda/fakes/mercadopago"
	"github.com/comanda/comanda/harness"
	"github.com/comanda/comanda/harness/apiclient"
	"github.com/comanda/comanda/harness/containers"
)

// soak is one run: the system, the orders driven through it, the faults.
type soak struct {
	cfg     config
	sys     *harness.System
	mp      mercadopago.ControlClient // the fake, driven through its control API
	api     *apiclient.Client
	log     *slog.Logger
	diag    io.Writer
	effects *effects
	logFile *os.File
	staff   string   // an employee's token
	menu    []string // product ids
	faults  *injector
	orders  []*driver
}

// webhookRetries is a Mercado Pago retry ladder long enough to outlast any
// fault the soak makes, and quick enough to settle within seconds.
var webhookRetries = []time.Duration{100 * time.Millisecond, 300 * time.Millisecond, time.Second,
	2 * time.Second, 3 * time.Second, 5 * time.Second, 8 * time.Second}

func newSoak(ctx context.Context, cfg config, log *slog.Logger, diag io.Writer) (*soak, error) {
	s := &soak{cfg: cfg, log: log, diag: diag}
	var sink io.Writer
	if cfg.Logs != "" {
		f, err := os.Create(cfg.Logs)
		if err != nil {
			return nil, err
		}
		s.logFile, sink = f, f
	}
	s.effects = newEffects(sink)
	engine, err := containers.FromEnv(ctx, log)
	if err != nil {
		return nil, errors.Join(err, s.closeLogs())
	}
	sys, err := harness.Start(ctx, harness.Options{Log: log, ServiceLogs: s.effects, WebhookRetrySchedule: webhookRetries,
		ServiceEnv: harness.LoadTestLimits(), Engine: engine})
	if err != nil {
		return nil, errors.Join(err, s.closeLogs())
	}
	s.sys = sys
	s.mp = mercadopago.NewControlClient(sys.FakeURL)
	s.api = apiclient.New(sys.GatewayURL)
	s.api.HTTP.Timeout = 5 * time.Second
	s.faults = newInjector(s, rand.New(rand.NewPCG(uint64(cfg.Seed), 1)))
	if err := s.prepare(ctx); err != nil {
		return nil, errors.Join(err, s.close())
	}
	return s, nil
}

// prepare logs the employee in and reads the menu.
func (s *soak) prepare(ctx context.Context) error {
	var tok apiclient.Token
	err := retry(ctx, func() error {
		res, err := s.api.Do(ctx, "POST", "/auth/token", "", map[string]string{
			"email": s.sys.EmployeeEmail, "password": s.sys.EmployeePassword})
		if err != nil {
			return err
		}
		return res.Expect(200, &tok)
	})
	if err != nil {
		return fmt.Errorf("employee login: %w", err)
	}
	s.staff = tok.AccessToken
	var products []apiclient.Product
	err = retry(ctx, func() error {
		res, err := s.api.Do(ctx, "GET", "/products", "", nil)
		if err != nil {
			return err
		}
		return res.Expect(200, &products)
	})
	if err != nil || len(products) == 0 {
		return fmt.Errorf("menu: %d products, %w", len(products), err)
	}
	for _, p := range products {
		s.menu = append(s.menu, p.ID)
	}
	return nil
}

// drive runs every order to its end while the injector hits the system;
// the faults stop once the last order is placed and driven, or when
// three quarters of the time is spent. Orders not at their end by then
// are driven again, fault-free.
func (s *soak) drive(ctx context.Context) {
	deadline, _ := ctx.Deadline()
	faultCtx, stopFaults := context.WithDeadline(ctx, time.Now().Add(time.Until(deadline)*3/4))
	faultsDone := make(chan struct{})
	go func() { defer close(faultsDone); s.faults.run(faultCtx) }()

	rng := rand.New(rand.NewPCG(uint64(s.cfg.Seed), 2))
	for i := range s.cfg.Orders {
		s.orders = append(s.orders, newDriver(s, i, rng))
	}
	start := time.Now()
	s.each(faultCtx, s.orders, func(ctx context.Context, d *driver) {
		sleep(ctx, time.Until(start.Add(s.cfg.Spread*time.Duration(d.index)/time.Duration(len(s.orders)))))
		d.run(ctx)
	})
	stopFaults()
	<-faultsDone
	s.faults.heal(ctx)

	var unfinished []*driver
	for _, d := range s.orders {
		if !d.finished() {
			unfinished = append(unfinished, d)
		}
	}
	if len(unfinished) > 0 {
		fmt.Fprintf(s.diag, "soak: %d orders not at their end when the faults stopped; driving them on\n", len(unfinished))
		s.each(ctx, unfinished, func(ctx context.Context, d *driver) { d.run(ctx) })
	}
}

// each runs fn for every driver, Concurrency at a time.
func (s *soak) each(ctx context.Context, ds []*driver, fn func(context.Context, *driver)) {
	slots := make(chan struct{}, s.cfg.Concurrency)
	var wg sync.WaitGroup
	for _, d := range ds {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return
		}
		wg.Go(func() {
			defer func() { <-slots }()
			fn(ctx, d)
		})
	}
	wg.Wait()
}

// settle waits until no message is queued or in flight for a second, so
// that no late duplicate goes unseen by the verdict.
func (s *soak) settle(ctx context.Context) {
	quiet := 0
	for quiet < 3 && ctx.Err() == nil {
		n, err := s.sys.QueuedMessages(ctx)
		if err == nil && n == 0 {
			quiet++
		} else {
			quiet = 0
		}
		sleep(ctx, 400*time.Millisecond)
	}
}

func (s *soak) close() error {
	var err error
	if s.sys != nil {
		err = s.sys.Close()
	}
	return errors.Join(err, s.closeLogs())
}

func (s *soak) closeLogs() error {
	if s.logFile == nil {
		return nil
	}
	return s.logFile.Close()
}

// retry calls fn until it succeeds or ctx ends, returning its last error.
func retry(ctx context.Context, fn func() error) error {
	for {
		err := fn()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%w (last: %w)", ctx.Err(), err)
		}
		sleep(ctx, 100*time.Millisecond)
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
