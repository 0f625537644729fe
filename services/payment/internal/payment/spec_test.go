package payment

import (
	"slices"
	"testing"

	"github.com/comanda/comanda/api/apitest"
)

// The spec's payment statuses and provider are this service's own. The
// order service holds the payment statuses it knows to the same enum, so
// the two services agree.
func TestSpecEnumsAreTheService(t *testing.T) {
	t.Parallel()
	tree := apitest.NewTree(t, apitest.LoadSpec(t))
	const s = "/components/schemas/"
	enums := map[string][]string{
		s + "PaymentStatus/enum":               apitest.StringsOf(StatusPending, StatusApproved, StatusRejected, StatusCancelled),
		s + "Payment/properties/provider/enum": {ProviderName},
	}
	for ptr, want := range enums {
		if got := tree.Strings(t, ptr); !slices.Equal(got, want) {
			t.Errorf("%s = %v, want %v", ptr, got, want)
		}
	}
}
