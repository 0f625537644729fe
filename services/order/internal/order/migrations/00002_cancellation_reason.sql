-- +goose Up
-- Why an order was cancelled, as the payment service reported it: Mercado
-- Pago's status detail, or why the payment could never be created.
ALTER TABLE orders ADD COLUMN cancellation_reason text;

-- +goose Down
ALTER TABLE orders DROP COLUMN cancellation_reason;
