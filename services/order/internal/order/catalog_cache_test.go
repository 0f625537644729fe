package order

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/services/platform/config"
	"github.com/comanda/comanda/services/platform/telemetry"
)

const testCacheTTL = 2 * time.Second

// manualClock is a clock that moves only when told.
type manualClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newCachedCatalog returns a cache over a fake catalog serving m, and its clock.
func newCachedCatalog(t *testing.T, m menu) (*CatalogCache, *fakeCatalog, *manualClock) {
	t.Helper()
	fc := newFakeCatalog(t, m)
	clock := &manualClock{t: time.Now()}
	cache := NewCatalogCache(NewCatalogClient(fc.URL, 2*time.Second), testCacheTTL)
	cache.now = clock.Now
	return cache, fc, clock
}

// wantProducts asks c for ids and checks that exactly want came back, as m has them.
func wantProducts(t *testing.T, c catalog, m menu, ids []string, want ...string) {
	t.Helper()
	got, err := c.Products(t.Context(), ids)
	if err != nil {
		t.Fatalf("Products(%v) = %v", ids, err)
	}
	if len(got) != len(want) {
		t.Errorf("Products(%v) = %v; want %v", ids, got, want)
	}
	for _, id := range want {
		if got[id] != m[id] {
			t.Errorf("Products(%v)[%s] = %+v; want %+v", ids, id, got[id], m[id])
		}
	}
}

func wantQueries(t *testing.T, fc *fakeCatalog, want ...string) {
	t.Helper()
	if got := fc.Queries(); !slices.Equal(got, want) {
		t.Errorf("catalog queries = %q; want %q", got, want)
	}
}

func TestCatalogCacheServesWithinTTL(t *testing.T) {
	t.Parallel()
	m, ids := newMenu(2)
	cache, fc, clock := newCachedCatalog(t, m)

	wantProducts(t, cache, m, ids, ids...)
	clock.Advance(testCacheTTL - time.Nanosecond)
	wantProducts(t, cache, m, ids, ids...)
	wantQueries(t, fc, ids[0]+","+ids[1])

	clock.Advance(time.Nanosecond)
	wantProducts(t, cache, m, ids, ids...)
	wantQueries(t, fc, ids[0]+","+ids[1], ids[0]+","+ids[1])
}

func TestCatalogCacheFetchesOnlyMissingIDs(t *testing.T) {
	t.Parallel()
	m, ids := newMenu(3)
	cache, fc, _ := newCachedCatalog(t, m)

	wantProducts(t, cache, m, ids[1:2], ids[1])
	wantProducts(t, cache, m, ids, ids...)
	wantQueries(t, fc, ids[1], ids[0]+","+ids[2])
}

func TestCatalogCacheAsksForUnknownIDsEveryTime(t *testing.T) {
	t.Parallel()
	m, ids := newMenu(1)
	cache, fc, _ := newCachedCatalog(t, m)
	unknown := uuid.NewString()

	wantProducts(t, cache, m, []string{ids[0], unknown}, ids[0])
	wantProducts(t, cache, m, []string{ids[0], unknown}, ids[0])
	wantQueries(t, fc, ids[0]+","+unknown, unknown)
}

// stubCatalog is a catalog whose answers the test sets.
type stubCatalog struct {
	mu    sync.Mutex
	menu  menu
	err   error
	calls int
}

func (s *stubCatalog) Products(ctx context.Context, ids []string) (map[string]Product, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if s.err != nil {
		return nil, s.err
	}
	return s.menu.Products(ctx, ids)
}

func (s *stubCatalog) set(m menu, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.menu, s.err = m, err
}

func TestCatalogCacheFindsAProductJustAdded(t *testing.T) {
	t.Parallel()
	m, ids := newMenu(1)
	stub := &stubCatalog{menu: menu{}}
	cache := NewCatalogCache(stub, testCacheTTL)

	wantProducts(t, cache, m, ids)
	stub.set(m, nil)
	wantProducts(t, cache, m, ids, ids[0])
}

func TestCatalogCacheKeepsNothingOfAFailure(t *testing.T) {
	t.Parallel()
	m, ids := newMenu(1)
	stub := &stubCatalog{err: ErrCatalogUnavailable}
	cache := NewCatalogCache(stub, testCacheTTL)

	if _, err := cache.Products(t.Context(), ids); !errors.Is(err, ErrCatalogUnavailable) {
		t.Fatalf("Products with the catalog down = %v; want ErrCatalogUnavailable", err)
	}
	stub.set(m, nil)
	wantProducts(t, cache, m, ids, ids[0])
	wantProducts(t, cache, m, ids, ids[0])
	if stub.calls != 2 {
		t.Errorf("catalog calls = %d; want 2: the failure, then one fetch", stub.calls)
	}
}

func TestCatalogCacheMakesRoomWhenFull(t *testing.T) {
	t.Parallel()
	m, ids := newMenu(4)
	cache, fc, clock := newCachedCatalog(t, m)
	cache.max = 2

	wantProducts(t, cache, m, ids[0:1], ids[0])
	clock.Advance(testCacheTTL / 2)
	wantProducts(t, cache, m, ids[1:2], ids[1])
	clock.Advance(testCacheTTL / 2)
	// Full: ids[0] has expired and makes room; ids[1] stays.
	wantProducts(t, cache, m, ids[1:3], ids[1], ids[2])
	// Full of fresh products: all are dropped for ids[3].
	wantProducts(t, cache, m, ids[3:4], ids[3])
	wantProducts(t, cache, m, ids[1:4], ids[1], ids[2], ids[3])
	wantQueries(t, fc, ids[0], ids[1], ids[2], ids[3], ids[1]+","+ids[2])
}

func TestCatalogCacheConcurrentUse(t *testing.T) {
	t.Parallel()
	m, ids := newMenu(3)
	cache := NewCatalogCache(&stubCatalog{menu: m}, testCacheTTL)
	cache.max = 2
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 50 {
				id := ids[(i+j)%3]
				if got, err := cache.Products(t.Context(), []string{id}); err != nil || got[id] != m[id] {
					t.Errorf("Products(%s) = %v, %v; want %+v", id, got, err, m[id])
				}
			}
		})
	}
	wg.Wait()
}

func TestCatalogCacheTTLConfig(t *testing.T) {
	t.Parallel()
	env := map[string]string{"DATABASE_URL": "postgres://x", "CATALOG_URL": "http://catalog"}
	var cfg Config
	if err := config.LoadFrom(t.Context(), env, &cfg); err != nil || cfg.CatalogCacheTTL != 2*time.Second {
		t.Fatalf("LoadFrom = %v, CatalogCacheTTL %v; want the 2s default", err, cfg.CatalogCacheTTL)
	}
	tel, err := telemetry.New(t.Context(), telemetry.Config{}, "order", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := newCatalog(cfg, tel).(*CatalogCache); !ok {
		t.Errorf("newCatalog with a TTL = %T; want a *CatalogCache", c)
	}
	env["CATALOG_CACHE_TTL"] = "0"
	cfg = Config{}
	if err := config.LoadFrom(t.Context(), env, &cfg); err != nil || cfg.CatalogCacheTTL != 0 {
		t.Fatalf("LoadFrom = %v, CatalogCacheTTL %v; want 0", err, cfg.CatalogCacheTTL)
	}
	if c, ok := newCatalog(cfg, tel).(*CatalogClient); !ok {
		t.Errorf("newCatalog with TTL 0 = %T; want the bare *CatalogClient", c)
	}
}

func TestCatalogWithoutCacheAsksEveryTime(t *testing.T) {
	t.Parallel()
	m, ids := newMenu(1)
	fc := newFakeCatalog(t, m)
	tel, err := telemetry.New(t.Context(), telemetry.Config{}, "order", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	c := newCatalog(Config{CatalogURL: fc.URL, CatalogTimeout: 2 * time.Second}, tel)

	wantProducts(t, c, m, ids, ids[0])
	wantProducts(t, c, m, ids, ids[0])
	wantQueries(t, fc, ids[0], ids[0])
}
