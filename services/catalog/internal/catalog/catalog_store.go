package catalog

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// SQLSTATEs the store turns into domain errors.
const (
	uniqueViolation     = "23505"
	foreignKeyViolation = "23503"
)

// store keeps categories and products in PostgreSQL.
type store struct {
	pool *pgxpool.Pool
}

func newStore(pool *pgxpool.Pool) *store { return &store{pool: pool} }

// productFilter narrows a product listing; zero values mean no filter.
type productFilter struct {
	CategoryID string
	IDs        []string
}

// productSelect reads a product with its category's name; p is the product
// row and c its category.
const productSelect = `p.id, p.name, p.description, p.price_cents, p.image_url,
	p.preparation_time, p.category_id, c.name, p.created_at, p.updated_at`

func scanProduct(row pgx.CollectableRow) (Product, error) {
	var p Product
	err := row.Scan(&p.ID, &p.Name, &p.Description, &p.Price, &p.ImageURL,
		&p.PreparationTime, &p.CategoryID, &p.Category, &p.CreatedAt, &p.UpdatedAt)
	return p, err
}

// Categories lists every category by name.
func (s *store) Categories(ctx context.Context) ([]Category, error) {
	rows, _ := s.pool.Query(ctx, `SELECT id, name, description FROM categories ORDER BY name, id`)
	cats, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Category])
	if err != nil {
		return nil, fmt.Errorf("list categories: %w", err)
	}
	return cats, nil
}

// Products lists the products that pass f, by category name then product
// name, in one query. A category that does not exist is ErrCategoryNotFound.
func (s *store) Products(ctx context.Context, f productFilter) ([]Product, error) {
	where, args := f.sql()
	rows, _ := s.pool.Query(ctx, `SELECT `+productSelect+`
		FROM products p JOIN categories c ON c.id = p.category_id`+where+`
		ORDER BY c.name, lower(p.name), p.id`, args...)
	products, err := pgx.CollectRows(rows, scanProduct)
	if err != nil {
		return nil, fmt.Errorf("list products: %w", err)
	}
	if len(products) == 0 && f.CategoryID != "" {
		if err := s.categoryExists(ctx, f.CategoryID); err != nil {
			return nil, err
		}
	}
	return products, nil
}

// sql renders f as a WHERE clause and its arguments.
func (f productFilter) sql() (string, []any) {
	var conds []string
	var args []any
	if f.CategoryID != "" {
		args = append(args, f.CategoryID)
		conds = append(conds, "p.category_id = $"+strconv.Itoa(len(args)))
	}
	if f.IDs != nil {
		args = append(args, f.IDs)
		conds = append(conds, "p.id = ANY($"+strconv.Itoa(len(args))+"::uuid[])")
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func (s *store) categoryExists(ctx context.Context, id string) error {
	var found bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM categories WHERE id = $1)`, id).Scan(&found)
	if err != nil {
		return fmt.Errorf("look up category %s: %w", id, err)
	}
	if !found {
		return fmt.Errorf("category %s: %w", id, ErrCategoryNotFound)
	}
	return nil
}

// Product returns one product, or ErrProductNotFound.
func (s *store) Product(ctx context.Context, id string) (Product, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+productSelect+`
		FROM products p JOIN categories c ON c.id = p.category_id WHERE p.id = $1`, id)
	return collectProduct(rows, id, "read")
}

// CreateProduct adds a product made of spec (already normalized).
func (s *store) CreateProduct(ctx context.Context, spec ProductSpec) (Product, error) {
	rows, _ := s.pool.Query(ctx, `WITH p AS (
			INSERT INTO products (name, description, price_cents, image_url, preparation_time, category_id)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING *)
		SELECT `+productSelect+` FROM p JOIN categories c ON c.id = p.category_id`,
		spec.Name, spec.Description, int64(spec.Price), spec.ImageURL, spec.PreparationTime, spec.CategoryID)
	return collectProduct(rows, spec.Name, "create")
}

// ReplaceProduct overwrites every field of product id with spec (already
// normalized); an unknown id is ErrProductNotFound.
func (s *store) ReplaceProduct(ctx context.Context, id string, spec ProductSpec) (Product, error) {
	rows, _ := s.pool.Query(ctx, `WITH p AS (
			UPDATE products SET name = $2, description = $3, price_cents = $4, image_url = $5,
				preparation_time = $6, category_id = $7, updated_at = now()
			WHERE id = $1 RETURNING *)
		SELECT `+productSelect+` FROM p JOIN categories c ON c.id = p.category_id`,
		id, spec.Name, spec.Description, int64(spec.Price), spec.ImageURL, spec.PreparationTime, spec.CategoryID)
	return collectProduct(rows, id, "update")
}

// DeleteProduct removes product id; an unknown id is ErrProductNotFound.
func (s *store) DeleteProduct(ctx context.Context, id string) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM products WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("delete product %s: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("product %s: %w", id, ErrProductNotFound)
	}
	return nil
}

// collectProduct reads the one product rows hold, turning a missing row and
// constraint violations into domain errors.
func collectProduct(rows pgx.Rows, key, action string) (Product, error) {
	p, err := pgx.CollectExactlyOneRow(rows, scanProduct)
	var pgErr *pgconn.PgError
	switch {
	case err == nil:
		return p, nil
	case errors.Is(err, pgx.ErrNoRows):
		return Product{}, fmt.Errorf("product %s: %w", key, ErrProductNotFound)
	case errors.As(err, &pgErr) && pgErr.Code == uniqueViolation:
		return Product{}, fmt.Errorf("%s product %s: %w", action, key, ErrProductExists)
	case errors.As(err, &pgErr) && pgErr.Code == foreignKeyViolation:
		return Product{}, fmt.Errorf("%s product %s: %w", action, key, ErrCategoryNotFound)
	default:
		return Product{}, fmt.Errorf("%s product %s: %w", action, key, err)
	}
}
