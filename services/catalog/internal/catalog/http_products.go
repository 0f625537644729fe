package catalog

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/comanda/comanda/services/platform/money"
	"github.com/comanda/comanda/services/platform/web"
)

// MaxBatchIDs bounds GET /products?ids=…, the order service's batch lookup.
const MaxBatchIDs = 50

func (a *httpAPI) listCategories(w http.ResponseWriter, r *http.Request) error {
	cats, err := a.store.Categories(r.Context())
	if err != nil {
		return err
	}
	web.Respond(w, http.StatusOK, cats)
	return nil
}

// listProducts serves GET /products, ?category=<id> and ?ids=<id>,<id>,…;
// unknown ids are simply absent from the answer.
func (a *httpAPI) listProducts(w http.ResponseWriter, r *http.Request) error {
	var f productFilter
	var err error
	if f.CategoryID, err = web.QueryID(r, "category"); err != nil {
		return err
	}
	if f.IDs, err = batchIDs(r); err != nil {
		return err
	}
	products, err := a.store.Products(r.Context(), f)
	if err != nil {
		return err
	}
	web.Respond(w, http.StatusOK, products)
	return nil
}

// batchIDs reads ?ids= (comma-separated, possibly repeated): nil when absent,
// 400 when empty, malformed or longer than MaxBatchIDs. Duplicates collapse.
func batchIDs(r *http.Request) ([]string, error) {
	values, present := r.URL.Query()["ids"]
	if !present {
		return nil, nil
	}
	raw := strings.Split(strings.Join(values, ","), ",")
	if len(raw) > MaxBatchIDs {
		return nil, web.InvalidRequest("query parameter ids must list at most %d product ids", MaxBatchIDs)
	}
	ids := make([]string, 0, len(raw))
	seen := make(map[string]bool, len(raw))
	for _, s := range raw {
		id, ok := parseUUID(strings.TrimSpace(s))
		if !ok {
			return nil, web.InvalidRequest("query parameter ids must be a comma-separated list of UUIDs")
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids, nil
}

func (a *httpAPI) getProduct(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "product_not_found")
	if err != nil {
		return err
	}
	p, err := a.store.Product(r.Context(), id)
	if err != nil {
		return err
	}
	web.Respond(w, http.StatusOK, p)
	return nil
}

func (a *httpAPI) createProduct(w http.ResponseWriter, r *http.Request) error {
	spec, err := decodeProductSpec(r)
	if err != nil {
		return err
	}
	p, err := a.store.CreateProduct(r.Context(), spec)
	if err != nil {
		return err
	}
	a.log.InfoContext(r.Context(), "product created", "product_id", p.ID, "name", p.Name)
	web.Respond(w, http.StatusCreated, p)
	return nil
}

func (a *httpAPI) replaceProduct(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "product_not_found")
	if err != nil {
		return err
	}
	spec, err := decodeProductSpec(r)
	if err != nil {
		return err
	}
	p, err := a.store.ReplaceProduct(r.Context(), id, spec)
	if err != nil {
		return err
	}
	a.log.InfoContext(r.Context(), "product replaced", "product_id", p.ID)
	web.Respond(w, http.StatusOK, p)
	return nil
}

func (a *httpAPI) deleteProduct(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "product_not_found")
	if err != nil {
		return err
	}
	if err := a.store.DeleteProduct(r.Context(), id); err != nil {
		return err
	}
	a.log.InfoContext(r.Context(), "product deleted", "product_id", id)
	web.NoContent(w)
	return nil
}

// productRequest is the body of POST and PUT /products. The price stays raw
// so that a bad one is reported by name, with the money package's rules.
type productRequest struct {
	Name            string          `json:"name"`
	Description     string          `json:"description"`
	Price           json.RawMessage `json:"price"`
	ImageURL        string          `json:"image_url"`
	PreparationTime int             `json:"preparation_time"`
	CategoryID      string          `json:"category_id"`
}

// decodeProductSpec reads the body strictly and returns a normalized spec.
func decodeProductSpec(r *http.Request) (ProductSpec, error) {
	var req productRequest
	if err := web.Decode(r, &req); err != nil {
		return ProductSpec{}, err
	}
	price, err := parsePrice(req.Price)
	if err != nil {
		return ProductSpec{}, err
	}
	return ProductSpec{
		Name:            req.Name,
		Description:     req.Description,
		Price:           price,
		ImageURL:        req.ImageURL,
		PreparationTime: req.PreparationTime,
		CategoryID:      req.CategoryID,
	}.Normalize()
}

func parsePrice(raw json.RawMessage) (money.Cents, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, invalid("price", "is required")
	}
	var c money.Cents
	if err := c.UnmarshalJSON(raw); err != nil {
		return 0, invalid("price", "must be a number in reais with at most two decimals")
	}
	return c, nil
}
