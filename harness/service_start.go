package harness

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net/http"

	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/topology"
)

// startServices runs every service and the gateway, each on its socket,
// and waits until all are ready.
func (s *System) startServices(ctx context.Context, prefix string, employeeHash []byte, socks map[string]*socket) error {
	builds, err := s.builds(ctx, prefix, employeeHash)
	if err != nil {
		for _, sock := range socks {
			sock.close()
		}
		return err
	}
	all := append(s.ServiceNames(), "gateway")
	for _, name := range all {
		sv := &service{name: name, sock: socks[name], build: builds[name], log: s.serviceLogger(name),
			proxy: s.proxy, health: "/readyz", failed: make(chan error, 1), record: s.recording}
		if name == "gateway" {
			sv.proxy, sv.health = nil, "/healthz"
		}
		s.procs[name] = sv // from here on, Close releases its socket
	}
	return s.startAll(ctx, all)
}

// startAll starts the services named, all of them, then waits until each
// is ready.
func (s *System) startAll(ctx context.Context, names []string) error {
	for _, name := range names {
		if err := s.procs[name].start(ctx); err != nil {
			return err
		}
	}
	for _, name := range names {
		if err := s.procs[name].waitReady(ctx); err != nil {
			return err
		}
	}
	return nil
}

// builds configures every service and the gateway to run in-process.
func (s *System) builds(ctx context.Context, prefix string, employeeHash []byte) (map[string]buildFunc, error) {
	databases, err := s.createDatabases(ctx, prefix)
	if err != nil {
		return nil, err
	}
	w := wiring{opts: s.opts, prefix: prefix, secretID: s.aws.SecretID, tables: s.aws.Tables, databases: databases,
		urls: s.Services, fakeURL: s.FakeURL, employeeHash: employeeHash}
	envs, err := serviceEnvironments(s.top, w)
	if err != nil {
		return nil, err
	}
	builds := map[string]buildFunc{}
	for name, r := range runners(s.top, w, s.observeGateway()) {
		builds[name] = r.build(envs[name])
	}
	return builds, nil
}

// createDatabases makes each database of the topology on the system's
// PostgreSQL, named for this run, and returns their URLs by topology name.
func (s *System) createDatabases(ctx context.Context, prefix string) (map[string]string, error) {
	run := prefix[1 : len(prefix)-1] // "c1a2b3c4-" is run 1a2b3c4
	urls := map[string]string{}
	for _, db := range s.top.Databases {
		url, err := s.pg.CreateDatabase(ctx, db.Name+"_"+run)
		if err != nil {
			return nil, err
		}
		urls[db.Name] = url
	}
	return urls, nil
}

// serviceEnvironments is the environment of every service of the
// topology and of the gateway: what the topology and the harness give each,
// and Options.ServiceEnv over it.
func serviceEnvironments(top topology.Topology, w wiring) (map[string]map[string]string, error) {
	local := localServices(w)
	envs := map[string]map[string]string{"gateway": gatewayEnvironment(top, w)}
	for _, name := range top.Services {
		ls, ok := local[name]
		if !ok {
			return nil, fmt.Errorf("topology.json lists the service %q, which localServices cannot run", name)
		}
		envs[name] = environment(top, name, w)
		maps.Copy(envs[name], ls.env)
	}
	if err := telemetryEnvironment(envs, w.opts.Telemetry); err != nil {
		return nil, err
	}
	for name, extra := range w.opts.ServiceEnv {
		if envs[name] == nil {
			return nil, fmt.Errorf("ServiceEnv names %q, which is no service", name)
		}
		maps.Copy(envs[name], extra)
	}
	return envs, nil
}

// runners pairs each service of the topology, and the gateway, with how it
// runs in-process. (serviceEnvironments has checked that each has one.)
func runners(top topology.Topology, w wiring, observe func(http.Handler) http.Handler) map[string]runner {
	local := localServices(w)
	all := map[string]runner{"gateway": gatewayRunner(observe)}
	for _, name := range top.Services {
		all[name] = local[name].run
	}
	return all
}

func answers200(ctx context.Context, client *http.Client, url string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return false
	}
	res, err := client.Do(req)
	if err != nil {
		return false
	}
	_ = res.Body.Close()
	return res.StatusCode == http.StatusOK
}

func (s *System) serviceLogger(name string) *slog.Logger {
	return logging.New(s.logs, logging.Config{Format: s.opts.ServiceLogFormat, Level: s.opts.ServiceLogLevel}).With("service", name)
}
