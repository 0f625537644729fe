package order

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/comanda/comanda/harness/awsenv/awstest"
	"github.com/comanda/comanda/harness/pgcluster/pgtest"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/money"
	"github.com/comanda/comanda/services/platform/postgres"
)

func TestMain(m *testing.M) { os.Exit(awstest.Run(m, pgtest.Run)) }

// newPool returns a pool on a fresh, migrated database.
func newPool(t *testing.T) *pgxpool.Pool {
	t.Helper()
	migrations, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	pool, err := postgres.Open(t.Context(), postgres.Config{URL: pgtest.NewDatabase(t), MaxConns: 8}, migrations, logging.Discard())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// countingRelay counts Notify calls.
type countingRelay struct{ n atomic.Int64 }

func (r *countingRelay) Notify() { r.n.Add(1) }

// menu is an in-memory catalog.
type menu map[string]Product

func (m menu) Products(_ context.Context, ids []string) (map[string]Product, error) {
	out := map[string]Product{}
	for _, id := range ids {
		if p, ok := m[id]; ok {
			out[id] = p
		}
	}
	return out, nil
}

// newMenu returns a catalog of n products with fresh ids, priced 10.50, 11.50…
func newMenu(n int) (menu, []string) {
	m := menu{}
	ids := make([]string, n)
	for i := range ids {
		ids[i] = uuid.NewString()
		m[ids[i]] = Product{ID: ids[i], Name: "Product " + string(rune('A'+i)), Price: money.Cents(1050 + 100*i)}
	}
	return m, ids
}

// fakeCatalog serves GET /products?ids= from a menu, recording each query.
type fakeCatalog struct {
	*httptest.Server
	mu      sync.Mutex
	queries []string
}

func newFakeCatalog(t *testing.T, m menu) *fakeCatalog {
	t.Helper()
	fc := &fakeCatalog{}
	fc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/products" {
			http.NotFound(w, r)
			return
		}
		ids := r.URL.Query().Get("ids")
		fc.mu.Lock()
		fc.queries = append(fc.queries, ids)
		fc.mu.Unlock()
		out := []map[string]any{}
		for _, id := range strings.Split(ids, ",") {
			if p, ok := m[id]; ok {
				out = append(out, map[string]any{"id": p.ID, "name": p.Name, "price": p.Price, "description": "tasty",
					"category_id": uuid.NewString(), "category": "Lanche", "preparation_time": 5, "image_url": ""})
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(out)
	}))
	t.Cleanup(fc.Close)
	return fc
}

func (fc *fakeCatalog) Queries() []string {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	return append([]string(nil), fc.queries...)
}

// tickingClock is a clock one second further on at each reading, so that
// orders placed one after another have distinct times.
func tickingClock() func() time.Time {
	var mu sync.Mutex
	t := time.Now().UTC().Truncate(time.Second)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
}
