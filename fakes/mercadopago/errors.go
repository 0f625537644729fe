package mercadopago

import (
	"errors"
	"fmt"
)

// Sentinel errors returned by the control methods; test them with errors.Is.
var (
	ErrNotFound          = errors.New("payment not found")
	ErrInvalidTransition = errors.New("invalid transition")
	// ErrNoNotificationURL is returned by Resend for a payment created
	// without a notification_url: there is nothing to send again.
	ErrNoNotificationURL = errors.New("payment has no notification_url")
)

// notFoundError names the payment that does not exist.
type notFoundError struct{ id int64 }

func (e *notFoundError) Error() string { return fmt.Sprintf("payment %d not found", e.id) }

func (e *notFoundError) Is(target error) bool { return target == ErrNotFound }

// transitionError says which state refused which verb, in words fakepay
// prints as they are.
type transitionError struct {
	id     int64
	status string
	verb   string
}

func (e *transitionError) Error() string {
	return fmt.Sprintf("payment %d is %s; it cannot %s", e.id, e.status, e.verb)
}

func (e *transitionError) Is(target error) bool { return target == ErrInvalidTransition }
