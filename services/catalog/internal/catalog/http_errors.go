package catalog

import (
	"errors"

	"github.com/comanda/comanda/services/platform/web"
)

// httpError is the one place where the catalog's domain errors become HTTP
// answers. Errors it does not know (already *web.Error, or our own faults)
// pass through: web.Handle writes the first as they are and the rest as 500.
func httpError(err error) error {
	var field *FieldError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &field):
		return web.FieldError(field.Field, "%s", field.Reason)
	case errors.Is(err, ErrProductNotFound):
		return web.NotFound("product_not_found", "the product does not exist")
	case errors.Is(err, ErrCategoryNotFound):
		return web.NotFound("category_not_found", "the category does not exist")
	case errors.Is(err, ErrProductExists):
		return web.Conflict("product_exists", "a product with this name already exists")
	default:
		return err
	}
}
