package order

import (
	"context"
	"sync"
	"time"
)

// maxCachedProducts bounds a CatalogCache: far more than a menu holds, so
// that it is reached only by a flood of ids, and then costs a refetch.
const maxCachedProducts = 10_000

// CatalogCache is a catalog that remembers, for ttl, the products another
// catalog returned, so that placing an order does not cost a catalog call
// (an HTTP exchange and a database query) for a menu that rarely changes.
// Of the ids asked, it serves those fetched within ttl and asks for the rest
// in one call. Only products found are remembered: an id the catalog does not
// know is asked again every time, so a product just added is found at once
// and an unknown one is refused on a fresh answer.
//
// The price of it: a price change or a deletion in the catalog reaches new
// orders only within ttl; until then they may be priced at the old price, or
// accept the deleted product.
//
// It is safe for concurrent use. Concurrent misses for one id each fetch it.
type CatalogCache struct {
	next catalog
	ttl  time.Duration
	max  int
	now  func() time.Time

	mu       sync.Mutex
	products map[string]cachedProduct
}

// cachedProduct is a product and the moment it stops being served.
type cachedProduct struct {
	product Product
	expires time.Time
}

// NewCatalogCache returns a cache, for ttl, of the products next returns.
func NewCatalogCache(next catalog, ttl time.Duration) *CatalogCache {
	return &CatalogCache{next: next, ttl: ttl, max: maxCachedProducts, now: time.Now,
		products: map[string]cachedProduct{}}
}

// Products returns the products with ids, by id, from the cache where fresh
// and otherwise from one call to the catalog; ids unknown to it are absent.
// A failed call is returned as is, and nothing is cached of it.
func (c *CatalogCache) Products(ctx context.Context, ids []string) (map[string]Product, error) {
	// Stamped before asking: the answer is at least this fresh, so no
	// product is served more than ttl after the catalog was asked for it.
	asked := c.now()
	found, missing := c.lookup(ids, asked)
	if len(missing) == 0 {
		return found, nil
	}
	fetched, err := c.next.Products(ctx, missing)
	if err != nil {
		return nil, err
	}
	c.store(fetched, asked.Add(c.ttl))
	for id, p := range fetched {
		found[id] = p
	}
	return found, nil
}

// lookup splits ids into the products still fresh at now and the ids missing.
func (c *CatalogCache) lookup(ids []string, now time.Time) (map[string]Product, []string) {
	found := make(map[string]Product, len(ids))
	var missing []string
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range ids {
		if e, ok := c.products[id]; ok && now.Before(e.expires) {
			found[id] = e.product
			continue
		}
		missing = append(missing, id)
	}
	return found, missing
}

// store remembers products until expires, making room when full.
func (c *CatalogCache) store(products map[string]Product, expires time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for id, p := range products {
		if _, ok := c.products[id]; !ok && len(c.products) >= c.max {
			c.makeRoom()
		}
		c.products[id] = cachedProduct{product: p, expires: expires}
	}
}

// makeRoom drops the expired products and, if that is not enough, all of
// them: a cache full of fresh products is a flood of ids, not a menu, and a
// refetch is cheaper than tracking which to keep. c.mu must be held.
func (c *CatalogCache) makeRoom() {
	now := c.now()
	for id, e := range c.products {
		if !now.Before(e.expires) {
			delete(c.products, id)
		}
	}
	if len(c.products) >= c.max {
		clear(c.products)
	}
}
