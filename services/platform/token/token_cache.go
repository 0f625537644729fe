package token

import (
	"crypto/rsa"
	"crypto/sha256"
	"slices"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// maxCachedTokens bounds the verified-token cache: with claims of a few
// hundred bytes, about 5 MB at most.
const maxCachedTokens = 10_000

// tokenCache remembers the tokens that passed Verify, so that a client
// sending the same bearer token with every request costs one RSA
// verification per token rather than one per request. It is keyed by the
// SHA-256 of the whole token, so only that exact string, signature included,
// finds an entry; failures are never kept. When full it drops an arbitrary
// entry: map iteration starts at random, and a hit costs a verification.
type tokenCache struct {
	mu      sync.Mutex
	entries map[[sha256.Size]byte]cachedToken
}

// cachedToken is a verified token's claims and what they still depend on.
type cachedToken struct {
	claims Claims
	until  time.Time      // exp plus Leeway: when the parser would refuse it
	kid    string         // the key that checked the signature, which must
	key    *rsa.PublicKey // still be trusted for the entry to be used
}

func newTokenCache() *tokenCache {
	return &tokenCache{entries: make(map[[sha256.Size]byte]cachedToken)}
}

// get returns the entry for sum unless there is none or it expired at now.
func (c *tokenCache) get(sum [sha256.Size]byte, now time.Time) (cachedToken, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[sum]
	if !ok {
		return cachedToken{}, false
	}
	if !now.Before(e.until) {
		delete(c.entries, sum)
		return cachedToken{}, false
	}
	return e, true
}

// put keeps e for sum, making room if the cache is full.
func (c *tokenCache) put(sum [sha256.Size]byte, e cachedToken) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[sum]; !ok && len(c.entries) >= maxCachedTokens {
		for k := range c.entries {
			delete(c.entries, k)
			break
		}
	}
	c.entries[sum] = e
}

// drop forgets sum.
func (c *tokenCache) drop(sum [sha256.Size]byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, sum)
}

// clone copies what claims point to, so that no caller can change what
// the cache holds or what another caller was given.
func (c Claims) clone() Claims {
	c.Audience = slices.Clone(c.Audience)
	c.ExpiresAt = cloneDate(c.ExpiresAt)
	c.NotBefore = cloneDate(c.NotBefore)
	c.IssuedAt = cloneDate(c.IssuedAt)
	return c
}

func cloneDate(d *jwt.NumericDate) *jwt.NumericDate {
	if d == nil {
		return nil
	}
	copied := *d
	return &copied
}
