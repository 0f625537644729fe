// Package batch gathers items into batches for calls that take many at
// once (SendMessageBatch, DeleteMessageBatch, BatchWriteItem): a batch goes
// when it is full, or when its oldest item has waited a linger, or at once
// when the batcher closes. It is the one implementation of that rule; what
// an item is, and what becomes of a sent batch, is the caller's.
package batch

import (
	"slices"
	"sync"
	"time"
)

// Limits is the size of an item, or the most a batch holds: entries (a
// request's items) and bytes.
type Limits struct {
	Items int
	Bytes int // as a limit, 0 is no limit
}

// Config says when a batch is full and how long it waits for company.
type Config[T any] struct {
	// Max is the most one batch holds; Max.Items is at least 1. An item
	// larger than Max on its own goes alone.
	Max Limits
	// Size measures an item; nil counts each as one entry of no bytes.
	// An item is never split across batches.
	Size func(T) Limits
	// Linger is how long a batch that is not full waits for company,
	// counted from when its oldest item was added.
	Linger time.Duration
	// Quiet, when positive, spares a quiet stream the linger: a batch
	// lingers only while the previous one left less than Quiet ago, so a
	// lone item goes at once and only a busy stream waits for company.
	Quiet time.Duration
	// Senders bounds the batches being sent at once (at least 1). One more
	// sender starts only when a full batch waits and none is starting, so
	// a slow send does not hold up everything behind it.
	Senders int
	// Capacity bounds the entries waiting; 0 is no bound.
	Capacity int
}

// Batcher hands the items added to it to send, in batches, in the order
// they were added, from goroutines it starts when items wait and that end
// when none does. With one sender, batches are sent one after the other.
type Batcher[T any] struct {
	cfg  Config[T]
	send func([]T)

	mu        sync.Mutex
	room      *sync.Cond // signalled when entries are taken or the batcher closes
	waiting   []waitingItem[T]
	backlog   Limits    // the sizes of waiting, summed
	senders   int       // sending goroutines running
	launching int       // of those, the ones that have not taken a batch yet
	lastSent  time.Time // when the latest batch was taken
	closed    bool

	full    chan struct{} // tells a lingering sender that a full batch waits
	closing chan struct{} // closed by Close
	done    sync.WaitGroup
}

type waitingItem[T any] struct {
	item  T
	size  Limits
	added time.Time
}

// New returns a batcher that calls send with each batch. send runs on the
// batcher's goroutines, up to cfg.Senders at once; a batch is never empty.
func New[T any](cfg Config[T], send func([]T)) *Batcher[T] {
	cfg.Max.Items = max(cfg.Max.Items, 1)
	cfg.Senders = max(cfg.Senders, 1)
	b := &Batcher[T]{cfg: cfg, send: send, full: make(chan struct{}, 1), closing: make(chan struct{})}
	b.room = sync.NewCond(&b.mu)
	return b
}

// Add adds item, waiting while the batcher is at capacity; it reports
// false, and drops item, once the batcher is closed.
func (b *Batcher[T]) Add(item T) bool { return b.add(item, true) }

// TryAdd adds item unless the batcher is at capacity or closed, without
// waiting; when it reports false the caller keeps item.
func (b *Batcher[T]) TryAdd(item T) bool { return b.add(item, false) }

// Waiting is how many entries wait to be taken into a batch.
func (b *Batcher[T]) Waiting() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.backlog.Items
}

// Close stops taking items, sends what waits without lingering, and
// returns when every send has returned. Calling it again does the same.
func (b *Batcher[T]) Close() {
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		close(b.closing)
		b.room.Broadcast()
	}
	b.mu.Unlock()
	b.done.Wait()
}

func (b *Batcher[T]) add(item T, wait bool) bool {
	size := Limits{Items: 1}
	if b.cfg.Size != nil {
		size = b.cfg.Size(item)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for wait && !b.closed && b.atCapacity(size) {
		b.room.Wait()
	}
	if b.closed || b.atCapacity(size) {
		return false
	}
	b.waiting = append(b.waiting, waitingItem[T]{item: item, size: size, added: time.Now()})
	b.backlog.Items += size.Items
	b.backlog.Bytes += size.Bytes
	switch {
	case b.senders == 0 || (b.senders < b.cfg.Senders && b.launching == 0 && b.isFull()):
		b.senders++
		b.launching++
		b.done.Add(1)
		go b.run()
	case b.isFull():
		select {
		case b.full <- struct{}{}:
		default:
		}
	}
	return true
}

// atCapacity reports whether size would not fit in the capacity left; an
// item always fits an empty batcher. The caller holds the lock.
func (b *Batcher[T]) atCapacity(size Limits) bool {
	return b.cfg.Capacity > 0 && b.backlog.Items > 0 && b.backlog.Items+size.Items > b.cfg.Capacity
}

// isFull reports whether a full batch waits. The caller holds the lock.
func (b *Batcher[T]) isFull() bool {
	return b.backlog.Items >= b.cfg.Max.Items || (b.cfg.Max.Bytes > 0 && b.backlog.Bytes >= b.cfg.Max.Bytes)
}

// run sends batches until none waits. It takes each batch under the lock
// it checked for one under, so that an item added is always either taken
// by a running sender or finds none running and starts one.
func (b *Batcher[T]) run() {
	defer b.done.Done()
	b.mu.Lock()
	b.launching--
	for {
		b.linger()
		batch := b.take()
		if len(batch) == 0 {
			b.senders--
			b.mu.Unlock()
			return
		}
		b.lastSent = time.Now()
		b.room.Broadcast()
		b.mu.Unlock()
		b.send(batch)
		b.mu.Lock()
	}
}

// linger waits, releasing the lock, while the next batch should wait for
// company: it is not full, the batcher is open, the stream is busy (see
// Config.Quiet) and its oldest item has waited less than Config.Linger.
// The caller holds the lock.
func (b *Batcher[T]) linger() {
	for !b.closed && len(b.waiting) > 0 && !b.isFull() &&
		(b.cfg.Quiet <= 0 || time.Since(b.lastSent) < b.cfg.Quiet) {
		wait := b.cfg.Linger - time.Since(b.waiting[0].added)
		if wait <= 0 {
			return
		}
		b.mu.Unlock()
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-b.full:
		case <-b.closing:
		}
		t.Stop()
		b.mu.Lock()
	}
}

// take removes the next batch from the waiting items: the oldest, as many
// as fit in Config.Max. The caller holds the lock.
func (b *Batcher[T]) take() []T {
	var size Limits
	n := 0
	for ; n < len(b.waiting); n++ {
		s := b.waiting[n].size
		over := size.Items+s.Items > b.cfg.Max.Items || (b.cfg.Max.Bytes > 0 && size.Bytes+s.Bytes > b.cfg.Max.Bytes)
		if n > 0 && over {
			break
		}
		size.Items += s.Items
		size.Bytes += s.Bytes
	}
	batch := make([]T, n)
	for i := range batch {
		batch[i] = b.waiting[i].item
	}
	b.waiting = slices.Delete(b.waiting, 0, n)
	b.backlog.Items -= size.Items
	b.backlog.Bytes -= size.Bytes
	return batch
}
