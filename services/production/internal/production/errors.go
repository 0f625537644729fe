package production

import "errors"

// Domain errors; http_errors.go maps them to status codes, in one place.
var (
	ErrNotFound          = errors.New("kitchen record not found")
	ErrInvalidTransition = errors.New("invalid transition")
	ErrUnknownStatus     = errors.New("unknown status")
)
