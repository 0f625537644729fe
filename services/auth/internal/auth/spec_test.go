package auth

import (
	"testing"

	"github.com/comanda/comanda/api/apitest"
)

// The spec's bounds on names, e-mails and passwords are this service's own,
// so that changing one without the other fails here.
func TestSpecBoundsAreTheService(t *testing.T) {
	t.Parallel()
	tree := apitest.NewTree(t, apitest.LoadSpec(t))
	const s = "/components/schemas/"
	bounds := map[string]float64{
		s + "PersonName/maxLength":                               MaxNameLength,
		s + "Customer/properties/name/maxLength":                 MaxNameLength,
		s + "RegisterCustomerRequest/properties/email/maxLength": MaxEmailLength,
		s + "Customer/properties/email/maxLength":                MaxEmailLength,
		s + "EmployeeTokenRequest/properties/email/maxLength":    MaxEmailLength,
		s + "EmployeeTokenRequest/properties/password/maxLength": MaxPasswordBytes,
	}
	for ptr, want := range bounds {
		if got := tree.Number(t, ptr); got != want {
			t.Errorf("%s = %v, want %v", ptr, got, want)
		}
	}
}
