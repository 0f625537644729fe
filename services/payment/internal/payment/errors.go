package payment

import "errors"

// Domain errors; http_errors.go turns them into status codes.
var (
	ErrPaymentNotFound  = errors.New("payment not found")
	ErrPaymentExists    = errors.New("payment already exists")
	ErrInvalidSignature = errors.New("invalid webhook signature")
)
