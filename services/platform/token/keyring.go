package token

import (
	"context"
	"crypto/rsa"
	"sync"
	"time"
)

// KeyLoader fetches the trusted public keys by kid, e.g. from the project secret.
type KeyLoader func(ctx context.Context) (map[string]*rsa.PublicKey, error)

// RefreshInterval is the least time between two reloads caused by unknown
// kids, so that tokens with made-up kids cannot hammer Secrets Manager.
const RefreshInterval = 10 * time.Second

// RetiredKeyGrace is how long a key that a reload no longer finds is still
// trusted: tokens it signed before a rotation keep working until they expire
// (8 h at most with the default TTLs) instead of failing at once. A
// restarted service trusts only the secret's current key, which is how a
// compromised key is cut off without waiting.
const RetiredKeyGrace = 24 * time.Hour

// loadTimeout bounds one reload of the keys.
const loadTimeout = 5 * time.Second

// keyring holds the trusted keys. A token naming a kid it does not know (the
// signing key was rotated since this service started) triggers one reload;
// requests that meet an unknown kid meanwhile wait for that reload instead of
// starting their own, and nobody else waits at all.
type keyring struct {
	mu        sync.Mutex
	keys      map[string]*rsa.PublicKey
	retired   map[string]retiredKey
	load      KeyLoader // nil: the keys never change
	lastLoad  time.Time
	reloading chan struct{} // closed when the reload under way ends
	now       func() time.Time
}

type retiredKey struct {
	key   *rsa.PublicKey
	until time.Time
}

func newKeyring(keys map[string]*rsa.PublicKey, load KeyLoader) *keyring {
	return &keyring{keys: keys, retired: map[string]retiredKey{}, load: load, now: time.Now}
}

// key returns the key known as kid, reloading once if it is unknown.
func (k *keyring) key(kid string) (*rsa.PublicKey, bool) {
	k.mu.Lock()
	if key, ok := k.find(kid); ok {
		k.mu.Unlock()
		return key, true
	}
	wait := k.reloading
	if wait == nil {
		if k.load == nil || k.now().Sub(k.lastLoad) < RefreshInterval {
			k.mu.Unlock()
			return nil, false
		}
		k.lastLoad = k.now()
		k.reloading = make(chan struct{})
		k.mu.Unlock()
		k.reload()
	} else {
		k.mu.Unlock()
		<-wait
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.find(kid)
}

// trusts reports whether kid still names key, without reloading: a token
// verified earlier may be taken on trust only while its key is.
func (k *keyring) trusts(kid string, key *rsa.PublicKey) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	current, ok := k.find(kid)
	return ok && (current == key || current.Equal(key))
}

// reload fetches the keys without holding the lock; a failed load keeps
// the keys there are.
func (k *keyring) reload() {
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	keys, err := k.load(ctx)
	k.mu.Lock()
	defer k.mu.Unlock()
	if err == nil {
		k.replace(keys)
	}
	close(k.reloading)
	k.reloading = nil
}

// replace makes keys the current set; keys that left it are retired.
func (k *keyring) replace(keys map[string]*rsa.PublicKey) {
	now := k.now()
	for kid, key := range k.keys {
		if _, kept := keys[kid]; !kept {
			k.retired[kid] = retiredKey{key: key, until: now.Add(RetiredKeyGrace)}
		}
	}
	for kid, r := range k.retired {
		if _, back := keys[kid]; back || !now.Before(r.until) {
			delete(k.retired, kid)
		}
	}
	k.keys = keys
}

// find looks kid up among the current and the retired keys; the caller
// holds the lock.
func (k *keyring) find(kid string) (*rsa.PublicKey, bool) {
	if key, ok := k.keys[kid]; ok {
		return key, true
	}
	if r, ok := k.retired[kid]; ok && k.now().Before(r.until) {
		return r.key, true
	}
	return nil, false
}
