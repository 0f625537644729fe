package token

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// A cached token is answered without verifying again, and no longer once
// it has expired by the verifier's clock.
func TestCachedTokenFailsOnceExpired(t *testing.T) {
	t.Parallel()
	key := cacheTestKey(t, 0)
	v, clock := fakeClockVerifier(map[string]*rsa.PublicKey{"k": &key.PublicKey}, nil)
	start := clock.now()
	raw := signFor(t, key, "k", start, time.Hour)

	if _, err := v.Verify(raw); err != nil {
		t.Fatal(err)
	}
	if _, err := refusingAll(v).Verify(raw); err != nil {
		t.Fatalf("the second Verify was not answered from the cache: %v", err)
	}
	clock.set(start.Add(time.Hour + Leeway - time.Second))
	if _, err := v.Verify(raw); err != nil {
		t.Fatalf("Verify within the leeway after exp = %v", err)
	}
	clock.set(start.Add(time.Hour + Leeway))
	if _, err := v.Verify(raw); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Verify of an expired, cached token = %v; want ErrInvalid", err)
	}
}

// A token verified under a key that has since been retired past its grace
// is refused, though it has not expired.
func TestCachedTokenFailsOnceItsKeyIsRetired(t *testing.T) {
	t.Parallel()
	oldKey, newKey := cacheTestKey(t, 0), cacheTestKey(t, 1)
	v, clock := fakeClockVerifier(map[string]*rsa.PublicKey{"old": &oldKey.PublicKey},
		func(context.Context) (map[string]*rsa.PublicKey, error) {
			return map[string]*rsa.PublicKey{"new": &newKey.PublicKey}, nil
		})
	start := clock.now()
	raw := signFor(t, oldKey, "old", start, 3*RetiredKeyGrace)
	if _, err := v.Verify(raw); err != nil {
		t.Fatal(err)
	}

	clock.set(start.Add(RefreshInterval))
	if _, err := v.Verify(signFor(t, newKey, "new", clock.now(), time.Hour)); err != nil {
		t.Fatalf("the rotated-in key was not loaded: %v", err)
	}
	clock.set(clock.now().Add(RetiredKeyGrace - time.Minute))
	if _, err := v.Verify(raw); err != nil {
		t.Fatalf("Verify within the retired key's grace = %v", err)
	}
	clock.set(clock.now().Add(time.Minute))
	if _, err := v.Verify(raw); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Verify after the key's grace = %v; want ErrInvalid", err)
	}
}

// When a reload makes a kid name another key, tokens cached under the old
// one are verified again, and fail.
func TestCachedTokenFailsWhenItsKidNamesAnotherKey(t *testing.T) {
	t.Parallel()
	oldKey, newKey := cacheTestKey(t, 0), cacheTestKey(t, 1)
	v, clock := fakeClockVerifier(map[string]*rsa.PublicKey{"k": &oldKey.PublicKey},
		func(context.Context) (map[string]*rsa.PublicKey, error) {
			return map[string]*rsa.PublicKey{"k": &newKey.PublicKey, "other": &newKey.PublicKey}, nil
		})
	raw := signFor(t, oldKey, "k", clock.now(), time.Hour)
	if _, err := v.Verify(raw); err != nil {
		t.Fatal(err)
	}
	clock.set(clock.now().Add(RefreshInterval))
	if _, err := v.Verify(signFor(t, newKey, "other", clock.now(), time.Hour)); err != nil {
		t.Fatalf("the reloaded keys were not used: %v", err)
	}
	if _, err := v.Verify(raw); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Verify of a token whose kid now names another key = %v; want ErrInvalid", err)
	}
}

// What Verify returns is the caller's own: changing it changes no later answer.
func TestCachedClaimsAreCopies(t *testing.T) {
	t.Parallel()
	key := cacheTestKey(t, 0)
	v, clock := fakeClockVerifier(map[string]*rsa.PublicKey{"k": &key.PublicKey}, nil)
	raw := signFor(t, key, "k", clock.now(), time.Hour)
	for range 3 { // a miss, then hits
		c, err := v.Verify(raw)
		if err != nil {
			t.Fatal(err)
		}
		if c.Audience[0] != "comanda-api" || !c.ExpiresAt.After(clock.now()) {
			t.Fatalf("claims = %+v; an earlier caller's change leaked in", c)
		}
		c.Audience[0] = "changed"
		c.ExpiresAt.Time = time.Time{}
	}
}

// The cache never holds more than maxCachedTokens, and forgets what expired.
func TestTokenCacheIsBounded(t *testing.T) {
	t.Parallel()
	c := newTokenCache()
	now := time.Now()
	for i := range maxCachedTokens + 10 {
		c.put(sumOf(i), cachedToken{until: now.Add(time.Minute)})
	}
	if n := len(c.entries); n != maxCachedTokens {
		t.Fatalf("%d entries; want %d", n, maxCachedTokens)
	}
	last := sumOf(maxCachedTokens + 9)
	if _, ok := c.get(last, now); !ok {
		t.Fatal("the newest entry was evicted to make room for itself")
	}
	if _, ok := c.get(last, now.Add(time.Minute)); ok {
		t.Fatal("an expired entry was returned")
	}
	if _, ok := c.entries[last]; ok {
		t.Fatal("an expired entry was kept after a lookup")
	}
}

func sumOf(i int) [sha256.Size]byte {
	return sha256.Sum256([]byte(strconv.Itoa(i)))
}

// cacheTestKeys are two RSA keys shared by the tests: making one is slow.
var cacheTestKeys = sync.OnceValues(func() ([2]*rsa.PrivateKey, error) {
	var keys [2]*rsa.PrivateKey
	for i := range keys {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return keys, err
		}
		keys[i] = k
	}
	return keys, nil
})

func cacheTestKey(t *testing.T, i int) *rsa.PrivateKey {
	t.Helper()
	keys, err := cacheTestKeys()
	if err != nil {
		t.Fatal(err)
	}
	return keys[i]
}

// fakeClock is the time a test sets, for a verifier and its keyring.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// fakeClockVerifier is a verifier whose clock is the returned one; it
// starts at a whole second, as token times are.
func fakeClockVerifier(keys map[string]*rsa.PublicKey, load KeyLoader) (*Verifier, *fakeClock) {
	clock := &fakeClock{t: time.Now().Truncate(time.Second)}
	v := newVerifier(Config{Issuer: "comanda", Audience: "comanda-api"}, newKeyring(keys, load))
	v.now = clock.now
	v.keys.now = clock.now
	return v, clock
}

// refusingAll is v with a parser that accepts nothing: whatever it still
// accepts came from the cache.
func refusingAll(v *Verifier) *Verifier {
	refusing := *v
	refusing.parser = jwt.NewParser(jwt.WithValidMethods([]string{"none-at-all"}))
	return &refusing
}

// signFor signs a customer token issued at iat that lives for ttl.
func signFor(t *testing.T, key *rsa.PrivateKey, kid string, iat time.Time, ttl time.Duration) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, Claims{Role: RoleCustomer, Name: "Ana", RegisteredClaims: jwt.RegisteredClaims{
		Issuer: "comanda", Audience: jwt.ClaimStrings{"comanda-api"}, Subject: "c1",
		IssuedAt: jwt.NewNumericDate(iat), ExpiresAt: jwt.NewNumericDate(iat.Add(ttl)),
	}})
	tok.Header["kid"] = kid
	raw, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
