package auth

import (
	"errors"
	"net/http"

	"github.com/comanda/comanda/services/platform/web"
)

// httpError is the one place domain errors become HTTP answers; anything
// it does not know stays a 500 that reveals nothing.
func httpError(err error) error {
	var (
		field   *FieldError
		taxID   *taxIDError
		limited *RateLimitedError
	)
	switch {
	case errors.As(err, &field):
		return web.FieldError(field.Field, "%s", field.Reason)
	case errors.As(err, &taxID):
		return web.NewError(http.StatusBadRequest, "invalid_tax_id", "tax_id is not a valid CPF: %s", taxID.reason)
	case errors.Is(err, ErrCustomerExists):
		return web.Conflict("customer_exists", "a customer with this tax_id is already registered")
	case errors.Is(err, ErrCustomerNotFound):
		return web.NotFound("customer_not_found", "no customer is registered with this tax_id")
	case errors.Is(err, ErrInvalidCredentials):
		return web.NewError(http.StatusUnauthorized, "invalid_credentials", "email or password is wrong")
	case errors.As(err, &limited):
		return web.NewError(http.StatusTooManyRequests, "rate_limited", "%s", limited.Error())
	}
	return err
}
