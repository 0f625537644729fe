-- +goose Up
CREATE TABLE orders (
    id             uuid        PRIMARY KEY,
    customer_id    text        NOT NULL,
    customer_name  text        NOT NULL,
    status         text        NOT NULL,
    total_cents    bigint      NOT NULL CHECK (total_cents >= 0),
    payment_id     text,
    payment_status text,
    qr_code        text,
    qr_code_base64 text,
    ticket_url     text,
    expires_at     timestamptz,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);

CREATE INDEX orders_customer_created_idx ON orders (customer_id, created_at DESC);
CREATE INDEX orders_status_created_idx ON orders (status, created_at DESC);
CREATE INDEX orders_created_idx ON orders (created_at DESC);

CREATE TABLE order_items (
    order_id         uuid    NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_no          integer NOT NULL,
    product_id       uuid    NOT NULL,
    name             text    NOT NULL,
    unit_price_cents bigint  NOT NULL CHECK (unit_price_cents >= 0),
    quantity         integer NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, line_no)
);

CREATE TABLE order_history (
    order_id uuid        NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    status   text        NOT NULL,
    at       timestamptz NOT NULL,
    UNIQUE (order_id, status)
);

CREATE TABLE outbox (
    id         bigserial   PRIMARY KEY,
    queue      text        NOT NULL,
    body       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE processed_events (
    event_id     text        PRIMARY KEY,
    processed_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE processed_events;
DROP TABLE outbox;
DROP TABLE order_history;
DROP TABLE order_items;
DROP TABLE orders;
