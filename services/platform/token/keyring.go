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

// keyring holds the trusted keys. A token naming a kid it does not know (the
// signing key was rotated since this service started) triggers one reload.
type keyring struct {
	mu       sync.Mutex
	keys     map[string]*rsa.PublicKey
	load     KeyLoader // nil: the keys never change
	lastLoad time.Time
}

func (k *keyring) key(kid string) (*rsa.PublicKey, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if key, ok := k.keys[kid]; ok {
		return key, true
	}
	if k.load == nil || time.Since(k.lastLoad) < RefreshInterval {
		return nil, false
	}
	k.lastLoad = time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if keys, err := k.load(ctx); err == nil {
		k.keys = keys
	}
	key, ok := k.keys[kid]
	return key, ok
}
