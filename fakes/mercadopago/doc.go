// Package mercadopago is a fake of the Mercado Pago Payments API, faithful
// enough that the official Go SDK works against it unchanged but for the
// host it sends to. It creates PIX payments, answers reads, searches and
// cancellations, refunds them in whole or in part, dedupes creations and
// refunds by X-Idempotency-Key, and sends signed webhooks, with retries,
// whenever a payment changes state.
//
// Tests and the fakepay CLI drive it through a control API under /_fake/:
// state changes (approve, reject, expire, cancel, refund), webhook faults
// (duplicates, a wrong signature, a delay, out-of-order delivery), API
// faults (fail the next N calls, an outage), its clock, an auto-approve
// mode, payload drift (answers with Mercado Pago's liberties), a reset.
// The fake never sends a payload its state does not back:
// a webhook fault only repeats, reorders or mis-signs notifications that
// real state changes produced. State lives in memory, optionally kept in a
// JSON file (Options.PersistPath).
package mercadopago
