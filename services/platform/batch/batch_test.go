package batch_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/comanda/comanda/services/platform/batch"
)

// Every test runs in a synctest bubble: time moves only when every
// goroutine of the bubble waits, so a linger runs out exactly when it
// should, however busy the machine is, and no test sleeps for real.

// What comes within the linger shares one send, which goes when the first
// item has waited the linger, without any further item or a close.
func TestLingersForCompany(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		const linger = 100 * time.Millisecond
		var log sendLog[int]
		b := batch.New(batch.Config[int]{Max: batch.Limits{Items: 25}, Linger: linger}, log.send)
		defer b.Close()
		start := time.Now()
		for i := range 3 {
			b.Add(i)
			time.Sleep(linger / 4)
		}
		synctest.Wait()
		if got := log.all(); len(got) != 0 {
			t.Fatalf("sends = %v before the linger ran out; want none", got)
		}
		time.Sleep(linger)
		want := []sent[int]{{at: start.Add(linger), items: []int{0, 1, 2}}}
		if got := log.all(); !slices.EqualFunc(got, want, sent[int].equal) {
			t.Fatalf("sends = %v; want %v", got, want)
		}
	})
}

// A full batch goes at once, even while an earlier item lingers; a close
// sends what waits without lingering, and nothing is taken after it.
func TestAFullBatchAndACloseGoAtOnce(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var log sendLog[int]
		b := batch.New(batch.Config[int]{Max: batch.Limits{Items: 2}, Linger: time.Hour}, log.send)
		start := time.Now()
		b.Add(0)
		synctest.Wait() // 0 lingers
		for i := 1; i < 3; i++ {
			b.Add(i)
		}
		synctest.Wait()
		b.Close()
		want := []sent[int]{{at: start, items: []int{0, 1}}, {at: start, items: []int{2}}}
		if got := log.all(); !slices.EqualFunc(got, want, sent[int].equal) {
			t.Fatalf("sends = %v; want %v", got, want)
		}
		if b.Add(3) || b.TryAdd(3) {
			t.Error("an item was taken after the close")
		}
		b.Close() // again: nothing happens
	})
}

// A quiet stream's item goes at once; while the stream is busy (the last
// batch left less than Quiet ago) items linger for company.
func TestQuietStreamsDoNotLinger(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		const linger, quiet = 3 * time.Millisecond, 10 * time.Millisecond
		var log sendLog[string]
		b := batch.New(batch.Config[string]{Max: batch.Limits{Items: 10}, Linger: linger, Quiet: quiet}, log.send)
		defer b.Close()
		start := time.Now()
		b.Add("alone")
		synctest.Wait()
		b.Add("busy-1")
		time.Sleep(linger / 3)
		b.Add("busy-2")
		time.Sleep(quiet + linger)
		b.Add("quiet again")
		synctest.Wait()
		want := []sent[string]{
			{at: start, items: []string{"alone"}},
			{at: start.Add(linger), items: []string{"busy-1", "busy-2"}},
			{at: start.Add(quiet + linger + linger/3), items: []string{"quiet again"}},
		}
		if got := log.all(); !slices.EqualFunc(got, want, sent[string].equal) {
			t.Fatalf("sends = %v; want %v", got, want)
		}
	})
}

// Batches respect both limits, keep the order items came in, and never
// split an item; an item over the limits on its own goes alone.
func TestBatchesStayWithinTheirLimits(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var log sendLog[string]
		size := func(s string) batch.Limits { return batch.Limits{Items: len(s), Bytes: 10 * len(s)} }
		b := batch.New(batch.Config[string]{Max: batch.Limits{Items: 4, Bytes: 30}, Size: size, Linger: time.Hour}, log.send)
		for _, s := range []string{"a", "bb", "c", "dddddd", "e", "f", "g", "h"} {
			b.Add(s)
		}
		b.Close()
		var got [][]string
		for _, s := range log.all() {
			got = append(got, s.items)
		}
		want := [][]string{{"a", "bb"}, {"c"}, {"dddddd"}, {"e", "f", "g"}, {"h"}}
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("batches = %q; want %q", got, want)
		}
	})
}

// With several senders, a full batch waiting behind a slow send goes in a
// send of its own, up to Senders at once; a batch that is not full waits
// for a sender to come free.
func TestAFullBatchStartsAnotherSender(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		var mu sync.Mutex
		inFlight, most := 0, 0
		var batches [][]int
		send := func(items []int) {
			mu.Lock()
			inFlight++
			most = max(most, inFlight)
			batches = append(batches, items)
			mu.Unlock()
			<-release
			mu.Lock()
			inFlight--
			mu.Unlock()
		}
		b := batch.New(batch.Config[int]{Max: batch.Limits{Items: 2}, Senders: 2}, send)
		b.Add(0) // sent alone: the stream was quiet
		synctest.Wait()
		for i := 1; i < 6; i++ {
			b.Add(i)
		}
		synctest.Wait()
		mu.Lock()
		if most != 2 || len(batches) != 2 || !slices.Equal(batches[1], []int{1, 2}) {
			t.Errorf("in flight at most %d, batches %v; want two at once: [0], then [1 2]", most, batches)
		}
		mu.Unlock()
		close(release)
		b.Close()
		if most != 2 || len(batches) != 4 {
			t.Errorf("in flight at most %d, batches %v; want 2 and four batches", most, batches)
		}
	})
}

// TryAdd refuses an item beyond the capacity; Add waits for room, which a
// send makes, and gives up when the batcher closes.
func TestCapacity(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		var log sendLog[int]
		b := batch.New(batch.Config[int]{Max: batch.Limits{Items: 1}, Capacity: 1}, func(items []int) {
			<-release
			log.send(items)
		})
		b.Add(1)
		synctest.Wait() // taken by the send, which blocks
		if !b.TryAdd(2) {
			t.Fatal("TryAdd(2) refused; the one place is free")
		}
		if b.TryAdd(3) {
			t.Fatal("TryAdd(3) accepted beyond the capacity")
		}
		added := make(chan bool)
		go func() { added <- b.Add(3) }()
		synctest.Wait()
		select {
		case <-added:
			t.Fatal("Add(3) did not wait for room")
		default:
		}
		release <- struct{}{} // 1 is sent, 2 taken: room for 3
		if !<-added {
			t.Fatal("Add(3) refused once there was room")
		}
		go func() { added <- b.Add(4) }()
		synctest.Wait()
		close(release)
		b.Close()
		if <-added {
			t.Error("Add(4), waiting at the close, reported its item taken")
		}
		var got []int
		for _, s := range log.all() {
			got = append(got, s.items...)
		}
		if !slices.Equal(got, []int{1, 2, 3}) {
			t.Errorf("sent %v; want [1 2 3]", got)
		}
	})
}

// sendLog is a send that notes each batch and when it came.
type sendLog[T comparable] struct {
	mu    sync.Mutex
	sends []sent[T]
}

type sent[T comparable] struct {
	at    time.Time
	items []T
}

func (s sent[T]) equal(o sent[T]) bool { return s.at.Equal(o.at) && slices.Equal(s.items, o.items) }

func (s sent[T]) String() string { return fmt.Sprintf("%s %v", s.at.Format("15:04:05.000"), s.items) }

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
