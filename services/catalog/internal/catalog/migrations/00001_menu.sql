-- +goose Up
CREATE TABLE categories (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL UNIQUE,
    description text NOT NULL DEFAULT ''
);

CREATE TABLE products (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name             text        NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
    description      text        NOT NULL DEFAULT '' CHECK (length(description) <= 1000),
    price_cents      bigint      NOT NULL CHECK (price_cents > 0),
    image_url        text        NOT NULL DEFAULT '',
    preparation_time integer     NOT NULL CHECK (preparation_time BETWEEN 1 AND 240),
    category_id      uuid        NOT NULL REFERENCES categories (id) ON DELETE RESTRICT,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Names are unique whatever their case: "x-burguer" is the same dish as "X-Burguer".
CREATE UNIQUE INDEX products_name_key ON products (lower(name));
CREATE INDEX products_category_id_idx ON products (category_id);

-- +goose Down
DROP TABLE products;
DROP TABLE categories;
