package auth

import (
	"errors"
	"fmt"
)

// Domain errors; http_errors.go turns them into HTTP answers.
var (
	ErrInvalidTaxID       = errors.New("invalid tax_id")
	ErrCustomerExists     = errors.New("a customer with this tax_id already exists")
	ErrCustomerNotFound   = errors.New("no customer has this tax_id")
	ErrInvalidCredentials = errors.New("email or password is wrong")
)

// FieldError is bad input in one field of a request.
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string { return fmt.Sprintf("%s: %s", e.Field, e.Reason) }

func fieldError(field, reason string) error { return &FieldError{Field: field, Reason: reason} }

// taxIDError says why a tax_id is not a CPF; it matches ErrInvalidTaxID.
type taxIDError struct{ reason string }

func (e *taxIDError) Error() string        { return ErrInvalidTaxID.Error() + ": " + e.reason }
func (e *taxIDError) Is(target error) bool { return target == ErrInvalidTaxID }

func invalidTaxID(reason string) error { return &taxIDError{reason: reason} }
