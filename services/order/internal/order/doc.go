// Package order is the order service: customers place orders priced from the
// catalog, the order follows its payment and the kitchen through a status
// machine, and employees hand it over at the counter. Orders live in the
// service's own PostgreSQL database; the events it publishes go through a
// transactional outbox, and the events it consumes are deduplicated by event
// id in the same transaction as their effect.
package order
