package payment

import (
	"strconv"
	"testing"
	"time"
)

func TestReplayGuardRemembersForItsWindow(t *testing.T) {
	t.Parallel()
	now := time.Now()
	g := newReplayGuard(10*time.Minute, 100)
	g.now = func() time.Time { return now }
	a, b := newReplayKey("req-1", "ts=1,v1=aa"), newReplayKey("req-1", "ts=1,v1=bb")
	if g.seen(a) {
		t.Fatal("a fresh guard has seen a delivery")
	}
	g.remember(a)
	if !g.seen(a) || g.seen(b) {
		t.Fatal("the guard must know the delivery it remembered, and only that one (same id, other signature)")
	}
	now = now.Add(10*time.Minute - time.Second)
	if !g.seen(a) {
		t.Fatal("forgotten before the window ended")
	}
	now = now.Add(time.Second)
	if g.seen(a) || g.size() != 0 {
		t.Fatalf("still remembered after the window (%d entries)", g.size())
	}
}

// However many deliveries come, the guard holds at most its maximum,
// forgetting the oldest first.
func TestReplayGuardIsBounded(t *testing.T) {
	t.Parallel()
	g := newReplayGuard(time.Hour, 50)
	key := func(i int) replayKey { return newReplayKey("req-"+strconv.Itoa(i), "sig") }
	for i := range 1000 {
		g.remember(key(i))
	}
	if n := g.size(); n != 50 {
		t.Fatalf("%d entries; want at most 50", n)
	}
	if g.seen(key(949)) || !g.seen(key(950)) || !g.seen(key(999)) {
		t.Fatal("the guard must keep the newest deliveries and forget the oldest")
	}
	if len(g.order) > 50 {
		t.Fatalf("the expiry queue holds %d entries", len(g.order))
	}
}

func TestReplayGuardOff(t *testing.T) {
	t.Parallel()
	for _, g := range []*replayGuard{newReplayGuard(0, 10), newReplayGuard(time.Minute, 0)} {
		k := newReplayKey("r", "s")
		g.remember(k)
		if g.seen(k) {
			t.Fatal("a guard turned off remembered a delivery")
		}
	}
}
