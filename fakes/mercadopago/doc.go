// Package mercadopago is an in-memory fake of the Mercado Pago Payments API,
// faithful enough that the official Go SDK works against it unchanged but for
// the host it sends to. It creates PIX payments, answers reads and searches,
// dedupes creations by X-Idempotency-Key, and sends signed webhooks, with
// retries, whenever a payment changes state.
//
// Tests and the fakepay CLI drive the state changes through a control API
// (approve, reject, expire, refund, resend), so every webhook the fake sends is
// backed by a real state change. The fake's clock can be moved, and pending
// payments expire lazily once it passes their date_of_expiration.
package mercadopago
