package token

import (
	"context"
	"crypto/rsa"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// After a rotation the old key keeps verifying the tokens it signed for
// RetiredKeyGrace, then it is forgotten.
func TestKeyringRetiresARotatedKeyAfterAGrace(t *testing.T) {
	t.Parallel()
	oldKey, newKey := &rsa.PublicKey{}, &rsa.PublicKey{}
	now := time.Now()
	k := newKeyring(map[string]*rsa.PublicKey{"old": oldKey}, func(context.Context) (map[string]*rsa.PublicKey, error) {
		return map[string]*rsa.PublicKey{"new": newKey}, nil
	})
	k.now = func() time.Time { return now }
	now = now.Add(RefreshInterval)

	if got, ok := k.key("new"); !ok || got != newKey {
		t.Fatal("the rotated-in key was not loaded")
	}
	now = now.Add(RetiredKeyGrace - time.Minute)
	if got, ok := k.key("old"); !ok || got != oldKey {
		t.Fatal("the rotated-out key was dropped before its grace ran out")
	}
	now = now.Add(time.Minute)
	if _, ok := k.key("old"); ok {
		t.Fatal("the rotated-out key is still trusted after its grace")
	}
}

// Requests meeting an unknown kid while a reload is under way wait for it
// rather than being refused or loading again.
func TestKeyringSharesOneReload(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		newKey := &rsa.PublicKey{}
		release := make(chan struct{})
		var loads atomic.Int32
		k := newKeyring(map[string]*rsa.PublicKey{}, func(context.Context) (map[string]*rsa.PublicKey, error) {
			loads.Add(1)
			<-release
			return map[string]*rsa.PublicKey{"new": newKey}, nil
		})
		const callers = 8
		var wg sync.WaitGroup
		found := make(chan bool, callers)
		for range callers {
			wg.Go(func() {
				_, ok := k.key("new")
				found <- ok
			})
		}
		// Every caller is now loading or waiting for the load.
		synctest.Wait()
		close(release)
		wg.Wait()
		close(found)
		for ok := range found {
			if !ok {
				t.Fatal("a caller was refused the key the reload brought")
			}
		}
		if n := loads.Load(); n != 1 {
			t.Fatalf("%d loads; want one shared by every caller", n)
		}
	})
}
