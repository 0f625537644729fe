// Package conformance is one suite of the Payments API, run through the
// official Go SDK (github.com/mercadopago/sdk-go) against two targets: the
// fake (fakes/mercadopago), started in the test's own process for every
// case, and Mercado Pago itself (api.mercadopago.com) when MP_ACCESS_TOKEN
// holds test credentials. Each case runs as a subtest per target, "fake"
// and "mercadopago", and expects the same answers from both, so that a
// difference between the fake and the real API fails here first.
//
// Without MP_ACCESS_TOKEN no call leaves 127.0.0.1, and the real target is
// skipped with one line saying so. What only the fake can do (move its
// clock, approve a PIX payment, send notifications) is skipped on the real
// target, each case saying why. MP_PAYER_EMAIL, optional, is the payer's
// e-mail on the real target: Mercado Pago refuses a payer who is the
// seller. The package holds no code outside its tests: `make conformance`.
package conformance
