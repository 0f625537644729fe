package main

import (
	"io/fs"
	"testing/fstest"

	"github.com/comanda/comanda/services/platform/outbox"
)

// The floor's two databases have the tables the catalog and order services
// keep, column for column and index for index, so that the statements the
// floor makes cost what the services' do. They are the floor's own: when a
// service's schema changes in a way that moves its cost, change them too.

// floorCatalogSchema is the catalog's menu tables, with a menu of the seed
// menu's size (4 categories, 15 products).
const floorCatalogSchema = `
CREATE TABLE categories (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL UNIQUE,
    description text NOT NULL DEFAULT ''
);

CREATE TABLE products (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name             text        NOT NULL,
    description      text        NOT NULL DEFAULT '',
    price_cents      bigint      NOT NULL CHECK (price_cents > 0),
    image_url        text        NOT NULL DEFAULT '',
    preparation_time integer     NOT NULL,
    category_id      uuid        NOT NULL REFERENCES categories (id) ON DELETE RESTRICT,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX products_name_key ON products (lower(name));
CREATE INDEX products_category_id_idx ON products (category_id);

INSERT INTO categories (name, description)
    SELECT 'Categoria ' || i, 'Os pratos da categoria ' || i FROM generate_series(1, 4) AS i;
INSERT INTO products (name, description, price_cents, image_url, preparation_time, category_id)
    SELECT 'Produto ' || lpad(i::text, 2, '0'), 'Pão, hambúrguer bovino de 150 g, queijo e o molho da casa', 990 + 100 * i,
        'https://images.comanda.local/products/produto-' || i || '.jpg', 12,
        (SELECT id FROM categories ORDER BY name OFFSET i % 4 LIMIT 1)
    FROM generate_series(1, 15) AS i;
`

// floorOrderSchema is the order service's tables but its outbox, which
// floorOrderMigrations adds as the outbox package defines it.
const floorOrderSchema = `
CREATE TABLE orders (
    id                  uuid        PRIMARY KEY,
    customer_id         text        NOT NULL,
    customer_name       text        NOT NULL,
    status              text        NOT NULL,
    total_cents         bigint      NOT NULL CHECK (total_cents >= 0),
    payment_id          text,
    payment_status      text,
    qr_code             text,
    qr_code_base64      text,
    ticket_url          text,
    expires_at          timestamptz,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    cancellation_reason text
);

CREATE INDEX orders_customer_created_idx ON orders (customer_id, created_at DESC);
CREATE INDEX orders_status_created_idx ON orders (status, created_at DESC);
CREATE INDEX orders_created_idx ON orders (created_at DESC);
CREATE INDEX orders_open_by_customer_idx ON orders (customer_id)
    WHERE status IN ('RECEIVED', 'AWAITING_PAYMENT');

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

CREATE TABLE processed_events (
    event_id     text        PRIMARY KEY,
    processed_at timestamptz NOT NULL DEFAULT now()
);
`

func floorCatalogMigrations() fs.FS { return floorMigration(floorCatalogSchema) }

func floorOrderMigrations() fs.FS { return floorMigration(floorOrderSchema + "\n" + outbox.TableSQL) }

// floorMigration is sql as the one goose migration of a fresh database.
func floorMigration(sql string) fs.FS {
	return fstest.MapFS{"00001_floor.sql": {Data: []byte("-- +goose Up\n" + sql + "\n")}}
}
