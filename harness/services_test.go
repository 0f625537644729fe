package harness

import (
	"maps"
	"slices"
	"strconv"
	"testing"

	"github.com/comanda/comanda/services/topology"
)

// testWiring is a run's wiring with a value for everything the topology
// names, none of it started.
func testWiring(top topology.Topology) wiring {
	w := wiring{opts: Options{}.withDefaults(), prefix: "c0000-", secretID: "comanda/project", fakeURL: "http://127.0.0.1:2",
		tables: map[string]string{}, databases: map[string]string{}, urls: map[string]string{"gateway": "http://127.0.0.1:1"},
		employeeHash: []byte("hash")}
	for _, t := range top.Tables {
		w.tables[t.Name] = "c0000-" + t.Name
	}
	for _, db := range top.Databases {
		w.databases[db.Name] = "postgres://127.0.0.1/" + db.Name
	}
	for i, name := range top.Services {
		w.urls[name] = "http://127.0.0.1:" + strconv.Itoa(3000+i)
	}
	return w
}

// The harness runs exactly the services topology.json lists: a new one
// needs its Run in localServices, and one gone from the topology leaves it.
func TestLocalServicesAreTheTopologys(t *testing.T) {
	t.Parallel()
	top := topology.MustLoad()
	local := slices.Sorted(maps.Keys(localServices(testWiring(top))))
	if want := slices.Sorted(slices.Values(top.Services)); !slices.Equal(local, want) {
		t.Errorf("localServices has %v; topology.json lists %v", local, want)
	}
}

// Every setting the harness gives a service, from the topology or its own
// table, is one the service's Config reads: a misspelt or stale name
// would otherwise be silently ignored.
func TestEveryServiceReadsWhatItIsGiven(t *testing.T) {
	t.Parallel()
	top := topology.MustLoad()
	w := testWiring(top)
	envs, err := serviceEnvironments(top, w)
	if err != nil {
		t.Fatal(err)
	}
	runners := runners(top, w, nil)
	for name, env := range envs {
		// As a container, a service is also given its address and the
		// emulator's endpoint.
		env = containerEnvironment(name, env, w.urls[name], "http://127.0.0.1:4566")
		for setting, value := range env {
			if !slices.Contains(runners[name].reads, setting) {
				t.Errorf("%s is given %s, which its Config does not read", name, setting)
			}
			if value == "" {
				t.Errorf("%s is given an empty %s", name, setting)
			}
		}
	}
}

// What the topology says a service owns or calls reaches it: its tables,
// its database, the base URL of each service it calls; and the gateway
// has the base URL of every service.
func TestServicesAreGivenWhatTheTopologySays(t *testing.T) {
	t.Parallel()
	top := topology.MustLoad()
	w := testWiring(top)
	envs, err := serviceEnvironments(top, w)
	if err != nil {
		t.Fatal(err)
	}
	want := func(service, setting, value string) {
		t.Helper()
		if got := envs[service][setting]; got != value {
			t.Errorf("%s has %s=%q; want %q", service, setting, got, value)
		}
	}
	for _, tb := range top.Tables {
		want(tb.Service, tb.Env, w.tables[tb.Name])
	}
	for _, db := range top.Databases {
		want(db.Service, "DATABASE_URL", w.databases[db.Name])
	}
	for _, name := range top.Services {
		for _, callee := range top.Access[name].Calls {
			want(name, urlSetting(callee), w.urls[callee])
		}
		want("gateway", urlSetting(name), w.urls[name])
	}
}
