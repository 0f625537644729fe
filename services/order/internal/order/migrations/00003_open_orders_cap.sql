-- +goose Up
-- The unpaid orders of a customer, counted at every new order.
CREATE INDEX orders_open_by_customer_idx ON orders (customer_id)
    WHERE status IN ('RECEIVED', 'AWAITING_PAYMENT');

-- +goose StatementBegin
-- check_open_orders refuses a new order for a customer who already holds
-- max_open unpaid ones. It runs first in the transaction that inserts the
-- order and holds a per-customer lock until that transaction ends, so
-- orders placed at once by one customer are counted one after the other.
CREATE FUNCTION check_open_orders(customer text, max_open integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('open-orders:' || customer, 0));
    IF (SELECT count(*) FROM orders
        WHERE customer_id = customer AND status IN ('RECEIVED', 'AWAITING_PAYMENT')) >= max_open THEN
        RAISE EXCEPTION 'customer % holds % unpaid orders', customer, max_open
            USING ERRCODE = 'CM429';
    END IF;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION check_open_orders(text, integer);
DROP INDEX orders_open_by_customer_idx;
