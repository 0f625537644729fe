package production

import (
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// The batcher's timing is its own clock's, so these tests run it in a
// synctest bubble: time moves only when every goroutine waits.

// What comes within the linger shares one send, which goes when the first
// item has waited the linger, without any further item or a close.
func TestBatcherLingersForCompany(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		const linger = 100 * time.Millisecond
		var sends sendLog[int]
		b := newBatcher(25, linger, 16, sends.send)
		defer b.close()
		start := time.Now()
		for i := range 3 {
			if !b.add(i) {
				t.Fatalf("add(%d) refused", i)
			}
			time.Sleep(linger / 4)
		}
		synctest.Wait()
		if got := sends.all(); len(got) != 0 {
			t.Fatalf("sends = %v before the linger ran out; want none", got)
		}
		time.Sleep(linger)
		want := []sent[int]{{at: start.Add(linger), items: []int{0, 1, 2}}}
		if got := sends.all(); !slices.EqualFunc(got, want, sent[int].equal) {
			t.Fatalf("sends = %v; want %v", got, want)
		}
	})
}

// A full batch goes at once, and a close sends what waits without
// lingering; nothing is taken after the close.
func TestBatcherSendsAFullBatchAndClosesAtOnce(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var sends sendLog[int]
		b := newBatcher(2, time.Hour, 16, sends.send)
		start := time.Now()
		for i := range 3 {
			b.add(i)
		}
		synctest.Wait()
		b.close()
		want := []sent[int]{{at: start, items: []int{0, 1}}, {at: start, items: []int{2}}}
		if got := sends.all(); !slices.EqualFunc(got, want, sent[int].equal) {
			t.Fatalf("sends = %v; want %v", got, want)
		}
		if b.add(3) {
			t.Error("add after close accepted")
		}
		b.close() // again: nothing happens
	})
}

func TestBatcherRefusesWhenFull(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		b := newBatcher(1, time.Hour, 1, func([]int) { <-release })
		if !b.add(1) {
			t.Fatal("add(1) refused")
		}
		synctest.Wait() // taken by the send, which blocks
		if !b.add(2) {
			t.Fatal("add(2) refused; the one place in the queue is free")
		}
		if b.add(3) {
			t.Error("add(3) accepted beyond the capacity")
		}
		close(release)
		b.close()
	})
}

// sendLog is a batcher's send that notes each batch and when it came.
type sendLog[T comparable] struct {
	mu    sync.Mutex
	sends []sent[T]
}

type sent[T comparable] struct {
	at    time.Time
	items []T
}

func (s sent[T]) equal(o sent[T]) bool { return s.at.Equal(o.at) && slices.Equal(s.items, o.items) }

func (l *sendLog[T]) send(batch []T) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sends = append(l.sends, sent[T]{at: time.Now(), items: batch})
}

func (l *sendLog[T]) all() []sent[T] {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.sends)
}
