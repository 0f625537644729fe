package catalog

import (
	"errors"
	"fmt"
)

// Domain errors, turned into HTTP answers in http_errors.go.
var (
	ErrProductNotFound  = errors.New("product not found")
	ErrCategoryNotFound = errors.New("category not found")
	ErrProductExists    = errors.New("a product with this name already exists")
)

// FieldError is a field of a product that breaks a rule.
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

func invalid(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Reason: fmt.Sprintf(format, args...)}
}
