package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/fakes/mercadopago"
	"github.com/comanda/comanda/services/events"
)

// injector hits the system with a random fault every so often.
type injector struct {
	s   *soak
	rng *rand.Rand

	mu     sync.Mutex
	counts map[string]int
	poison []string // markers of the poison messages put on queues
}

func newInjector(s *soak, rng *rand.Rand) *injector {
	return &injector{s: s, rng: rng, counts: map[string]int{}}
}

// fault is one kind of trouble, with its weight in the draw.
type fault struct {
	name   string
	weight int
	do     func(ctx context.Context, f *injector) error
}

// The services a crash, a restart or a pause may hit; the order flow goes
// through the last three, so they are drawn more often.
var (
	anyService  = []string{"auth", "catalog", "order", "payment", "production"}
	flowService = []string{"order", "payment", "production"}
)

// faults are the kinds of trouble the soak makes. The SQS ones need the
// in-process system (harness.ErrInProcessOnly): against containers they
// are left out of the draw.
func faults(inProcess bool) []fault {
	all := []fault{
		{"crash", 4, func(ctx context.Context, f *injector) error {
			return f.outage(ctx, f.s.sys.KillService, 100*time.Millisecond, 500*time.Millisecond)
		}},
		{"restart", 1, func(ctx context.Context, f *injector) error {
			return f.s.sys.RestartService(ctx, f.pickService())
		}},
		{"pause", 1, func(ctx context.Context, f *injector) error {
			return f.outage(ctx, f.s.sys.PauseService, 200*time.Millisecond, 800*time.Millisecond)
		}},
		{"sqs-duplicates", 3, func(_ context.Context, f *injector) error {
			return f.s.sys.DuplicateSQSSends(5 + f.rng.IntN(20))
		}},
		{"sqs-failures", 1, func(_ context.Context, f *injector) error {
			return f.s.sys.FailSQSSends(2 + f.rng.IntN(6))
		}},
		{"mercadopago-5xx", 3, func(ctx context.Context, f *injector) error {
			status := []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable}[f.rng.IntN(3)]
			_, err := f.s.mp.FailNext(ctx, 2+f.rng.IntN(4), mercadopago.APIFault{Status: status, Processed: f.rng.IntN(2) == 0})
			return err
		}},
		{"poison", 2, func(ctx context.Context, f *injector) error { return f.injectPoison(ctx) }},
		{"postgres-restart", 1, func(ctx context.Context, f *injector) error {
			return f.s.sys.RestartPostgres(ctx, f.between(200*time.Millisecond, time.Second))
		}},
	}
	if !inProcess {
		all = slices.DeleteFunc(all, func(ft fault) bool { return strings.HasPrefix(ft.name, "sqs-") })
	}
	return all
}

// run draws and applies faults until ctx ends.
func (f *injector) run(ctx context.Context) {
	all := faults(f.s.sys.InProcess())
	total := 0
	for _, ft := range all {
		total += ft.weight
	}
	for {
		sleep(ctx, f.between(f.s.cfg.FaultEvery/2, f.s.cfg.FaultEvery*3/2))
		if ctx.Err() != nil {
			return
		}
		ft, n := all[0], f.rng.IntN(total)
		for _, cand := range all {
			if n < cand.weight {
				ft = cand
				break
			}
			n -= cand.weight
		}
		if err := ft.do(ctx, f); err != nil && ctx.Err() == nil {
			fmt.Fprintf(f.s.diag, "soak: fault %s: %v\n", ft.name, err)
		}
		f.mu.Lock()
		f.counts[ft.name]++
		f.mu.Unlock()
	}
}

// outage takes a random service down with down, and starts it again after
// a moment between lo and hi.
func (f *injector) outage(ctx context.Context, down func(context.Context, string) error, lo, hi time.Duration) error {
	name := f.pickService()
	if err := down(ctx, name); err != nil {
		return err
	}
	sleep(ctx, f.between(lo, hi))
	return f.s.sys.StartService(context.WithoutCancel(ctx), name)
}

// injectPoison puts a message no consumer can ever handle on a random
// queue: bad JSON, or an event nobody knows.
func (f *injector) injectPoison(ctx context.Context) error {
	queues := []string{events.OrderQueue, events.PaymentQueue, events.ProductionQueue}
	queue := queues[f.rng.IntN(len(queues))]
	marker := "soak-poison-" + uuid.NewString()
	body := `{"meta":"` + marker + `", this is not JSON`
	if f.rng.IntN(2) == 0 {
		env, err := events.New("soak-poison-event", events.OrderService, "nobody", marker, map[string]string{"marker": marker})
		if err != nil {
			return err
		}
		raw, err := env.Marshal()
		if err != nil {
			return err
		}
		body = string(raw)
	}
	if err := f.s.sys.SendMessage(ctx, queue, body); err != nil {
		return err
	}
	f.mu.Lock()
	f.poison = append(f.poison, marker)
	f.mu.Unlock()
	return nil
}

// heal lifts every fault still in force and starts any service left down.
func (f *injector) heal(ctx context.Context) {
	f.s.sys.ClearAWSFaults()
	if _, err := f.s.mp.ClearFaults(ctx); err != nil {
		fmt.Fprintf(f.s.diag, "soak: clear Mercado Pago's faults: %v\n", err)
	}
	for _, name := range anyService {
		if !f.s.sys.ServiceRunning(name) {
			if err := f.s.sys.StartService(ctx, name); err != nil {
				fmt.Fprintf(f.s.diag, "soak: start %s: %v\n", name, err)
			}
		}
	}
}

func (f *injector) pickService() string {
	if f.rng.IntN(4) == 0 {
		return anyService[f.rng.IntN(len(anyService))]
	}
	return flowService[f.rng.IntN(len(flowService))]
}

func (f *injector) between(lo, hi time.Duration) time.Duration {
	if hi <= lo {
		return lo
	}
	return lo + time.Duration(f.rng.Int64N(int64(hi-lo)))
}

// injected returns the markers of the poison put on queues.
func (f *injector) injected() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.poison)
}

// summary says how many faults of each kind were made.
func (f *injector) summary() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var parts []string
	for name, n := range f.counts {
		parts = append(parts, fmt.Sprintf("%s %d", name, n))
	}
	sort.Strings(parts)
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}
