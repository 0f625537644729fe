package harness

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The system as containers (Options.Engine): the same parts as in-process,
// wired the same way, except that every one is a container on the host's
// network, configured through its environment alone, and the fault API
// stops, kills, pauses and starts containers.

// startBacking starts a backing container (PostgreSQL's or the emulator's)
// with start on a free port, keeps it in ctr, and returns its URL.
func startBacking(ctx context.Context, what string, start func(context.Context, int) (string, Container, error), ctr *Container) (string, error) {
	port, err := freePort("127.0.0.1:0")
	if err != nil {
		return "", err
	}
	url, c, err := start(ctx, port)
	if err != nil {
		return "", fmt.Errorf("%s container: %w", what, err)
	}
	*ctr = c
	return url, nil
}

// startContainers runs the fake Mercado Pago, every service and the
// gateway as containers, and waits until all are ready.
func (s *System) startContainers(ctx context.Context, prefix string, hash []byte) error {
	if err := s.reserveAddresses(); err != nil {
		return err
	}
	if err := s.startFakeContainer(ctx); err != nil {
		return err
	}
	databases, err := s.createDatabases(ctx, prefix)
	if err != nil {
		return err
	}
	w := wiring{opts: s.opts, prefix: prefix, secretID: s.aws.SecretID, tables: s.aws.Tables, databases: databases,
		urls: s.Services, fakeURL: s.FakeURL, employeeHash: hash}
	envs, err := serviceEnvironments(s.top, w)
	if err != nil {
		return err
	}
	all := append(s.ServiceNames(), "gateway")
	for _, name := range all {
		health := "/readyz"
		if name == "gateway" {
			health = "/healthz"
		}
		env := containerEnvironment(name, envs[name], s.Services[name], s.aws.Endpoint)
		s.procs[name] = &containerService{name: name, url: s.Services[name], health: health, engine: s.opts.Engine,
			spec: ContainerSpec{Component: name, Env: env, Logs: s.logs}}
	}
	return s.startAll(ctx, all)
}

// containerEnvironment is what a service's container is given besides its
// environment in-process: the address it listens on (its URL's), and, for
// the services, the AWS endpoint, which in-process is the harness's door.
func containerEnvironment(name string, env map[string]string, url, awsEndpoint string) map[string]string {
	env = maps.Clone(env)
	env["ADDR"] = strings.TrimPrefix(url, "http://")
	if name != "gateway" {
		env["AWS_ENDPOINT_URL"] = awsEndpoint
	}
	return env
}

// reserveAddresses picks the address of every service, the gateway and the
// fake: the fixed ones in Options, free ports on 127.0.0.1 for the rest.
func (s *System) reserveAddresses() error {
	addrs := map[string]string{"gateway": s.opts.GatewayAddr, "mercadopago": s.opts.FakeAddr}
	for _, name := range s.top.Services {
		addrs[name] = "127.0.0.1:0"
	}
	for name, addr := range addrs {
		port, err := freePort(addr)
		if err != nil {
			return fmt.Errorf("address for %s: %w", name, err)
		}
		url := "http://127.0.0.1:" + strconv.Itoa(port)
		if name == "mercadopago" {
			s.FakeURL = url
			continue
		}
		s.Services[name] = url
	}
	s.GatewayURL = s.Services["gateway"]
	return nil
}

// startFakeContainer runs the fake Mercado Pago's image and waits until it
// answers. What it prints goes to the harness's log, at debug level: not
// among the services' lines, since its first names the secrets it was
// given, as a local tool's may.
func (s *System) startFakeContainer(ctx context.Context) error {
	addr := strings.TrimPrefix(s.FakeURL, "http://")
	cmd := []string{"serve", "--addr", addr, "--access-token", s.opts.AccessToken, "--webhook-secret", s.opts.WebhookSecret}
	delays := make([]string, len(s.opts.WebhookRetrySchedule))
	for i, d := range s.opts.WebhookRetrySchedule {
		delays[i] = d.String()
	}
	cmd = append(cmd, "--webhook-retries", cmp.Or(strings.Join(delays, ","), "none"))
	ctr, err := s.opts.Engine.Run(ctx, ContainerSpec{Component: "fake-mercadopago", Cmd: cmd,
		Logs: debugLines{s.opts.Log.With("container", "fake-mercadopago")}})
	s.fakeCtr = ctr
	if err != nil {
		return fmt.Errorf("fake mercado pago container: %w", err)
	}
	wait, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := waitAnswers(wait, s.FakeURL+"/_fake/payments", ctr); err != nil {
		return fmt.Errorf("fake mercado pago: %w", err)
	}
	s.Backends["mercadopago"] = "container " + ctr.Describe()
	return nil
}

// removeBackingContainers removes the fake's, the emulator's and
// PostgreSQL's containers, once nothing uses them.
func (s *System) removeBackingContainers(which ...Container) error {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var errs []error
	for _, ctr := range which {
		if ctr != nil {
			errs = append(errs, ctr.Remove(ctx))
		}
	}
	return errors.Join(errs...)
}

// freePort returns addr's port, or, for port 0, one that was free a moment
// ago: the container binds it itself.
func freePort(addr string) (int, error) {
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		return 0, err
	}
	if port, _ := strconv.Atoi(p); port != 0 {
		return port, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// waitAnswers polls url until it answers 200, and fails at once if ctr
// exits meanwhile.
func waitAnswers(ctx context.Context, url string, ctr Container) error {
	client := &http.Client{Timeout: 2 * time.Second}
	for !answers200(ctx, client, url) {
		if exited, code, err := ctr.Exited(ctx); err == nil && exited {
			return fmt.Errorf("exited with code %d before it answered at %s", code, url)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("no answer at %s: %w", url, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
	return nil
}

// debugLines writes each line it is given to a log at debug level.
type debugLines struct{ log *slog.Logger }

func (d debugLines) Write(p []byte) (int, error) {
	for line := range strings.Lines(string(p)) {
		d.log.Debug(strings.TrimRight(line, "\n"))
	}
	return len(p), nil
}
