package topology_test

import (
	"slices"
	"testing"

	"github.com/comanda/comanda/services/auth"
	"github.com/comanda/comanda/services/catalog"
	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/order"
	"github.com/comanda/comanda/services/payment"
	"github.com/comanda/comanda/services/platform/config"
	"github.com/comanda/comanda/services/platform/web"
	"github.com/comanda/comanda/services/production"
	"github.com/comanda/comanda/services/topology"
)

// The queues Terraform and the harness make are the ones the services
// publish to and consume from.
func TestQueuesAreTheEventContracts(t *testing.T) {
	t.Parallel()
	got := slices.Sorted(slices.Values(topology.MustLoad().Queues.Names))
	want := slices.Sorted(slices.Values([]string{events.PaymentQueue, events.OrderQueue, events.ProductionQueue}))
	if !slices.Equal(got, want) {
		t.Errorf("topology queues = %v; services/events names %v", got, want)
	}
}

// Every setting Terraform derives from topology.json (a table's name, a
// database's DATABASE_URL) is one its service reads.
func TestOwnersReadTheSettingsTerraformSets(t *testing.T) {
	t.Parallel()
	configs := map[string]any{
		"auth": auth.Config{}, "catalog": catalog.Config{}, "order": order.Config{},
		"payment": payment.Config{}, "production": production.Config{},
	}
	top := topology.MustLoad()
	for _, s := range top.Services {
		if _, ok := configs[s]; !ok {
			t.Errorf("service %q has no Config in this test", s)
		}
	}
	for _, tb := range top.Tables {
		if !slices.Contains(config.Names(configs[tb.Service]), tb.Env) {
			t.Errorf("table %s: %s does not read %s", tb.Name, tb.Service, tb.Env)
		}
	}
	for _, db := range top.Databases {
		if !slices.Contains(config.Names(configs[db.Service]), "DATABASE_URL") {
			t.Errorf("database %s: %s does not read DATABASE_URL", db.Name, db.Service)
		}
	}
}

// API Gateway sets the client's address in the header the services read.
func TestTheEdgeSetsTheClientAddressHeaderTheServicesRead(t *testing.T) {
	t.Parallel()
	if got := topology.MustLoad().ClientIPHeader; got != web.ClientIPHeader {
		t.Errorf("topology.json client_ip_header = %q; the services read %q", got, web.ClientIPHeader)
	}
}
