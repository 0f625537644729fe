package catalog

import (
	"net/http"
	"testing"

	"github.com/comanda/comanda/api/apitest"
	"github.com/comanda/comanda/services/platform/money"
)

// The spec's bounds on products are this service's own, so that changing
// one without the other fails here.
func TestSpecBoundsAreTheService(t *testing.T) {
	t.Parallel()
	doc := apitest.LoadSpec(t)
	tree := apitest.NewTree(t, doc)
	bounds := map[string]float64{}
	for _, schema := range []string{"ProductRequest", "Product"} {
		p := "/components/schemas/" + schema + "/properties/"
		bounds[p+"name/maxLength"] = MaxNameLength
		bounds[p+"description/maxLength"] = MaxDescriptionLength
		bounds[p+"image_url/maxLength"] = MaxImageURLLength
		bounds[p+"preparation_time/minimum"] = MinPreparationTime
		bounds[p+"preparation_time/maximum"] = MaxPreparationTime
		bounds[p+"price/maximum"] = money.Max.Reais()
	}
	for ptr, want := range bounds {
		if got := tree.Number(t, ptr); got != want {
			t.Errorf("%s = %v, want %v", ptr, got, want)
		}
	}
	switch ids := apitest.QueryParam(t, doc, http.MethodGet, "/products", "ids"); {
	case ids.MaxItems == nil:
		t.Errorf("GET /products ?ids: no maxItems, want %d", MaxBatchIDs)
	case *ids.MaxItems != MaxBatchIDs:
		t.Errorf("GET /products ?ids: maxItems %d, want %d", *ids.MaxItems, MaxBatchIDs)
	}
}
