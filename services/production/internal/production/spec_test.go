package production

import (
	"slices"
	"testing"

	"github.com/comanda/comanda/api/apitest"
)

// The spec's kitchen statuses and the length of the kitchen's list are
// this service's own, so that changing one without the other fails here.
func TestSpecIsTheService(t *testing.T) {
	t.Parallel()
	tree := apitest.NewTree(t, apitest.LoadSpec(t))
	const statuses = "/components/schemas/KitchenStatus/enum"
	want := apitest.StringsOf(StatusReceived, StatusInPreparation, StatusCompleted)
	if got := tree.Strings(t, statuses); !slices.Equal(got, want) {
		t.Errorf("%s = %v, want %v", statuses, got, want)
	}
	const listed = "/paths/~1production/get/responses/200/content/application~1json/schema/maxItems"
	if got := tree.Number(t, listed); got != MaxListed {
		t.Errorf("%s = %v, want %v", listed, got, MaxListed)
	}
}
