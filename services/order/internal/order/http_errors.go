package order

import (
	"errors"
	"net/http"
	"strings"

	"github.com/comanda/comanda/services/platform/web"
)

// httpError turns a domain error into the response a client sees; this is
// the one place where that mapping lives. Errors it does not know stay as
// they are (a *web.Error passes through, anything else is a 500).
func httpError(err error) error {
	var invalid *FieldError
	var unknown *UnknownProductsError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &invalid):
		return web.FieldError(invalid.Field, "%s", invalid.Reason)
	case errors.As(err, &unknown):
		return web.NewError(http.StatusUnprocessableEntity, "unknown_product",
			"unknown products: %s", strings.Join(unknown.IDs, ", "))
	case errors.Is(err, ErrOrderNotFound):
		return web.NotFound("order_not_found", "order not found")
	case errors.Is(err, ErrTooManyOpenOrders):
		return web.NewError(http.StatusTooManyRequests, "too_many_open_orders",
			"you already have as many unpaid orders as allowed; pay or let one expire first")
	case errors.Is(err, ErrInvalidTransition):
		return web.Conflict("invalid_transition", "%s", err.Error())
	case errors.Is(err, ErrCatalogUnavailable):
		return errors.Join(web.NewError(http.StatusServiceUnavailable, "catalog_unavailable",
			"the catalog cannot be reached; try again shortly"), err)
	default:
		return err
	}
}
