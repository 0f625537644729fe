package catalog

import (
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/comanda/comanda/harness/pgcluster/pgtest"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/postgres"
)

func newTestStore(t *testing.T) *store {
	t.Helper()
	pool, err := postgres.Open(t.Context(), postgres.Config{URL: pgtest.NewDatabase(t), MaxConns: 4}, Migrations(), logging.Discard())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return newStore(pool)
}

func testSpec(t *testing.T, name string) ProductSpec {
	t.Helper()
	spec := validSpec()
	spec.Name = name
	spec, err := spec.Normalize()
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

func TestStoreProductRoundTrip(t *testing.T) {
	t.Parallel()
	st := newTestStore(t)
	ctx := t.Context()

	created, err := st.CreateProduct(ctx, testSpec(t, uniqueName("X-Egg")))
	if err != nil {
		t.Fatal(err)
	}
	if created.CreatedAt.IsZero() || !created.UpdatedAt.Equal(created.CreatedAt) || created.Category != "Lanche" {
		t.Fatalf("created %+v", created)
	}
	spec := testSpec(t, uniqueName("X-Egg Bacon"))
	spec.Price, spec.CategoryID = 3100, bebidaID
	replaced, err := st.ReplaceProduct(ctx, created.ID, spec)
	if err != nil {
		t.Fatal(err)
	}
	if replaced.Price != 3100 || replaced.Category != "Bebida" || !replaced.CreatedAt.Equal(created.CreatedAt) ||
		replaced.UpdatedAt.Before(created.UpdatedAt) {
		t.Fatalf("replaced %+v after %+v", replaced, created)
	}
	got, err := st.Product(ctx, created.ID)
	if err != nil || got != replaced {
		t.Fatalf("Product() = %+v, %v; want %+v", got, err, replaced)
	}
	if err := st.DeleteProduct(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Product(ctx, created.ID); !errors.Is(err, ErrProductNotFound) {
		t.Fatalf("Product() after delete = %v; want ErrProductNotFound", err)
	}
}

func TestStoreDomainErrors(t *testing.T) {
	t.Parallel()
	st := newTestStore(t)
	ctx := t.Context()
	taken := testSpec(t, "X-Burguer")
	orphan := testSpec(t, uniqueName("X-Orfao"))
	orphan.CategoryID = uuid.NewString()

	_, errDup := st.CreateProduct(ctx, taken)
	_, errCat := st.CreateProduct(ctx, orphan)
	_, errReplaceDup := st.ReplaceProduct(ctx, batataID, taken)
	_, errReplaceCat := st.ReplaceProduct(ctx, batataID, orphan)
	_, errReplaceMissing := st.ReplaceProduct(ctx, uuid.NewString(), orphan)
	_, errFilter := st.Products(ctx, productFilter{CategoryID: uuid.NewString()})
	errDelete := st.DeleteProduct(ctx, uuid.NewString())

	cases := []struct {
		name      string
		err, want error
	}{
		{"create duplicate", errDup, ErrProductExists},
		{"create in unknown category", errCat, ErrCategoryNotFound},
		{"rename onto another", errReplaceDup, ErrProductExists},
		{"move to unknown category", errReplaceCat, ErrCategoryNotFound},
		{"replace unknown", errReplaceMissing, ErrProductNotFound},
		{"list unknown category", errFilter, ErrCategoryNotFound},
		{"delete unknown", errDelete, ErrProductNotFound},
	}
	for _, c := range cases {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: %v; want %v", c.name, c.err, c.want)
		}
	}
}

func TestStoreEmptyCategoryListsNothing(t *testing.T) {
	t.Parallel()
	st := newTestStore(t)
	ctx := t.Context()
	id := uuid.NewString()
	if _, err := st.pool.Exec(ctx, `INSERT INTO categories (id, name) VALUES ($1, $2)`, id, uniqueName("Combo")); err != nil {
		t.Fatal(err)
	}
	got, err := st.Products(ctx, productFilter{CategoryID: id})
	if err != nil || got == nil || len(got) != 0 {
		t.Fatalf("Products(empty category) = %v, %v; want [], nil", got, err)
	}
}
