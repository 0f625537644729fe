package harness

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"runtime/pprof"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/sync/errgroup"

	"github.com/comanda/comanda/fakes/mercadopago"
	"github.com/comanda/comanda/harness/awsenv"
	"github.com/comanda/comanda/harness/pgcluster"
	"github.com/comanda/comanda/services/topology"
)

// System is the running whole: every URL a client or a test needs, and what
// it takes to stop it all.
type System struct {
	GatewayURL string
	// FakeURL is the fake Mercado Pago, its control API under /_fake/.
	FakeURL string
	// Fake is the in-process fake, for tests that drive it directly.
	Fake *mercadopago.Fake
	// Services maps each service name to its own base URL.
	Services map[string]string
	// Backends says what was chosen for each dependency.
	Backends map[string]string
	// BootTime is how long Start took.
	BootTime time.Duration
	// EmployeeEmail and EmployeePassword log the bootstrap employee in.
	EmployeeEmail    string
	EmployeePassword string
	// WebhookSecret is what the fake signs webhooks with.
	WebhookSecret string
	// AccessToken is the Mercado Pago access token the payment service sends.
	AccessToken string

	opts    Options
	top     topology.Topology // which services run, and what each is given
	logs    *logSink
	pg      *pgcluster.Cluster
	aws     *awsenv.Env
	proxy   *awsProxy       // the services' way to AWS, with faults
	procs   map[string]proc // every service and the gateway
	fakeSrv *http.Server
	// The backing containers, when an Engine runs the system.
	pgCtr, awsCtr, fakeCtr Container
	dead                   deadLetters
	// telemetry keeps the services' spans and metrics
	// (Options.RecordTelemetry); nil when off.
	telemetry *telemetryRecorder
	// contract checks every exchange through the gateway against the spec
	// (Options.CheckContract); nil when off.
	contract *contractCheck
	closeMu  sync.Once
}

// Start boots the backing services, then every service and the gateway, and
// returns once all of them answer /readyz.
func Start(ctx context.Context, opts Options) (_ *System, err error) {
	began := time.Now()
	opts = opts.withDefaults()
	s := &System{
		opts: opts, logs: newLogSink(opts.ServiceLogs), Services: map[string]string{}, Backends: map[string]string{},
		procs: map[string]proc{}, EmployeeEmail: opts.EmployeeEmail, EmployeePassword: opts.EmployeePassword,
		WebhookSecret: opts.WebhookSecret, AccessToken: opts.AccessToken,
	}
	if s.top, err = topology.Load(); err != nil {
		return nil, err
	}
	if opts.RecordTelemetry && opts.Engine == nil {
		s.telemetry = newTelemetryRecorder(opts.SpanLimit)
	}
	if opts.CheckContract && opts.Engine == nil {
		if s.contract, err = newContractCheck(ctx); err != nil {
			return nil, err
		}
	}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	prefix := "c" + randomHex(4) + "-"
	hash, err := s.startBackends(ctx, prefix)
	if err != nil {
		return nil, err
	}
	if opts.Engine != nil {
		err = s.startContainers(ctx, prefix, hash)
	} else {
		err = s.startInProcess(ctx, prefix, hash)
	}
	if err != nil {
		return nil, err
	}
	s.BootTime = time.Since(began)
	opts.Log.Info("comanda is up", "boot_ms", s.BootTime.Milliseconds(), "gateway", s.GatewayURL,
		"postgres", s.Backends["postgres"], "aws", s.Backends["aws"], "mercadopago", s.Backends["mercadopago"])
	return s, nil
}

// startInProcess runs the fake Mercado Pago, every service and the gateway
// in this process, each service's way to AWS through the fault proxy.
func (s *System) startInProcess(ctx context.Context, prefix string, hash []byte) error {
	var err error
	if s.proxy, err = newAWSProxy(s.aws.Handler(), s.aws.Endpoint, s.serviceLogger("aws-faults")); err != nil {
		return err
	}
	s.proxy.crash = func(name string) { _ = s.KillService(context.Background(), name) }
	socks, fakeLn, err := s.listen()
	if err != nil {
		return err
	}
	if err := s.startFake(fakeLn); err != nil {
		return err
	}
	return s.startServices(ctx, prefix, hash, socks)
}

// startBackends starts PostgreSQL and the AWS emulator side by side (as
// containers when an Engine runs the system), connects to them and
// provisions them, and hashes the bootstrap employee's password meanwhile.
func (s *System) startBackends(ctx context.Context, prefix string) ([]byte, error) {
	var hash []byte
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		url := s.opts.DatabaseURL
		if s.opts.Engine != nil {
			var err error
			if url, err = startBacking(gctx, "postgres", s.opts.Engine.Postgres, &s.pgCtr); err != nil {
				return err
			}
		}
		pg, err := pgcluster.Start(gctx, pgcluster.Options{Logger: s.opts.Log, ExternalURL: url})
		s.pg = pg
		return err
	})
	g.Go(func() error {
		endpoint := s.opts.AWSEndpoint
		if s.opts.Engine != nil {
			var err error
			if endpoint, err = startBacking(gctx, "aws emulator", s.opts.Engine.AWS, &s.awsCtr); err != nil {
				return err
			}
		}
		env, err := awsenv.Start(gctx, awsenv.Options{Logger: s.opts.Log, ExternalEndpoint: endpoint, Region: s.opts.Region, Prefix: prefix})
		s.aws = env
		return err
	})
	g.Go(func() (err error) {
		hash, err = bcrypt.GenerateFromPassword([]byte(s.opts.EmployeePassword), s.opts.PasswordHashCost)
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("start backing services: %w", err)
	}
	s.Backends["postgres"] = s.pg.Backend()
	s.Backends["aws"] = s.aws.Backend()
	if s.pgCtr != nil {
		s.Backends["postgres"] = "container " + s.pgCtr.Describe()
		s.Backends["aws"] = "container " + s.awsCtr.Describe()
	}
	return hash, nil
}

// listen binds every address first, so that each service can be told the
// others' URLs before any of them starts. The services' addresses are
// sockets the harness holds (see socket), the fake's a plain listener.
func (s *System) listen() (map[string]*socket, net.Listener, error) {
	fake, err := net.Listen("tcp", s.opts.FakeAddr)
	if err != nil {
		return nil, nil, fmt.Errorf("listen for mercadopago on %s: %w", s.opts.FakeAddr, err)
	}
	addrs := map[string]string{"gateway": s.opts.GatewayAddr}
	for _, name := range s.top.Services {
		addrs[name] = "127.0.0.1:0"
	}
	socks := map[string]*socket{}
	for name, addr := range addrs {
		sock, err := bindSocket(addr)
		if err != nil {
			_ = fake.Close()
			for _, sk := range socks {
				sk.close()
			}
			return nil, nil, fmt.Errorf("listen for %s on %s: %w", name, addr, err)
		}
		socks[name] = sock
		s.Services[name] = "http://" + sock.addr
	}
	s.GatewayURL = s.Services["gateway"]
	s.FakeURL = "http://" + fake.Addr().String()
	return socks, fake, nil
}

func (s *System) startFake(ln net.Listener) error {
	fake, err := mercadopago.New(mercadopago.Options{
		AccessToken:   s.opts.AccessToken,
		WebhookSecret: s.opts.WebhookSecret,
		Logger:        s.serviceLogger("mercadopago-fake"),
		RetrySchedule: s.opts.WebhookRetrySchedule,
	})
	if err != nil {
		_ = ln.Close()
		return fmt.Errorf("fake mercado pago: %w", err)
	}
	s.Fake = fake
	s.fakeSrv = &http.Server{Handler: fake.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go pprof.Do(context.Background(), pprof.Labels("component", "mercadopago-fake"), func(context.Context) { _ = s.fakeSrv.Serve(ln) })
	s.Backends["mercadopago"] = "embedded fake at " + s.FakeURL
	return nil
}

// Logs returns the services' log lines that contain every one of needles.
func (s *System) Logs(needles ...string) string {
	return strings.Join(s.logs.matching(needles...), "\n")
}

// LogLines returns every service log line kept so far (the newest 20,000),
// for tests that scan them all, e.g. for secrets.
func (s *System) LogLines() []string { return s.logs.all() }

// Close stops the services (gracefully, within a deadline), then the fake,
// the emulator and PostgreSQL, leaving no process, port or directory behind.
func (s *System) Close() error {
	var errs []error
	s.closeMu.Do(func() {
		errs = append(errs, s.stopAll())
		if s.proxy != nil {
			s.proxy.close()
		}
		if s.fakeSrv != nil {
			_ = s.fakeSrv.Close()
		}
		if s.Fake != nil {
			s.Fake.Close()
		}
		if s.aws != nil {
			s.aws.Close()
		}
		if s.pg != nil {
			if err := s.pg.Stop(); err != nil {
				errs = append(errs, err)
			}
		}
		errs = append(errs, s.removeBackingContainers(s.fakeCtr, s.awsCtr, s.pgCtr))
		if s.opts.Engine != nil {
			errs = append(errs, s.opts.Engine.Close())
		}
	})
	return errors.Join(errs...)
}

// stopAll stops every service gracefully, side by side, and reports any
// that stopped on its own with an error or did not stop in time.
func (s *System) stopAll() error {
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	for _, sv := range s.procs {
		wg.Go(func() {
			err := sv.finish()
			mu.Lock()
			errs = append(errs, err)
			mu.Unlock()
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
