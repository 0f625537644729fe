package api_test

import (
	"slices"
	"testing"

	"github.com/comanda/comanda/api/apitest"
	"github.com/comanda/comanda/services/topology"
)

// The gateway's health report names every service of topology.json. The
// services check their own bounds and enums against the spec, each in its
// internal package's spec_test.go, where their constants are visible.
func TestHealthNamesEveryService(t *testing.T) {
	t.Parallel()
	top, err := topology.Load()
	if err != nil {
		t.Fatal(err)
	}
	const ptr = "/components/schemas/Health/properties/services/required"
	if got := apitest.NewTree(t, apitest.LoadSpec(t)).Strings(t, ptr); !slices.Equal(got, top.Services) {
		t.Errorf("%s = %v, want %v", ptr, got, top.Services)
	}
}
