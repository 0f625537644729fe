// Package payment is the payment service: it turns an order's payment request
// into one PIX payment at Mercado Pago, keeps the payment in DynamoDB, takes
// Mercado Pago's webhooks (signature checked, payment re-read from the API)
// and tells the order service when a payment is created, paid or lost.
// One payment per order: the payment id and Mercado Pago's idempotency key
// are both derived from the order id, so no redelivery can charge twice.
package payment
