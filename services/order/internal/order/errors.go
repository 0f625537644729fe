package order

import (
	"errors"
	"fmt"
	"strings"
)

// Domain errors; http_errors.go turns them into responses, in one place.
var (
	// ErrOrderNotFound is an order that does not exist or that the caller may not see.
	ErrOrderNotFound = errors.New("order not found")
	// ErrCatalogUnavailable is a catalog that could not price the order.
	ErrCatalogUnavailable = errors.New("catalog unavailable")
	// ErrTooManyOpenOrders is a customer who already holds as many unpaid
	// orders as allowed.
	ErrTooManyOpenOrders = errors.New("too many unpaid orders")
	// errDuplicateEvent is an event whose id was already processed.
	errDuplicateEvent = errors.New("event already processed")
)

// FieldError is bad input; Field names what is wrong, e.g. items[2].quantity.
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

func invalid(field, format string, args ...any) error {
	return &FieldError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// UnknownProductsError names the ordered products the catalog does not have.
type UnknownProductsError struct {
	IDs []string
}

func (e *UnknownProductsError) Error() string {
	return "unknown products: " + strings.Join(e.IDs, ", ")
}

// RejectedEventError is an event that is well formed but cannot be true of
// the order it names; it is set aside, never applied.
type RejectedEventError struct {
	Reason string
}

func (e *RejectedEventError) Error() string { return "event rejected: " + e.Reason }
