package production

import (
	"sync"
	"time"
)

// batcher hands queued items to send in batches of up to size, from one
// goroutine: a batch goes when it is full, or linger after its first item
// was taken, or at once when the batcher closes. It is for work no caller
// waits for, where a short delay buys many items per call.
type batcher[T any] struct {
	size   int
	linger time.Duration
	send   func([]T)
	queue  chan T
	done   sync.WaitGroup

	mu     sync.RWMutex // keeps add from sending on a queue close has closed
	closed bool
}

// newBatcher starts a batcher that holds up to capacity items waiting.
func newBatcher[T any](size int, linger time.Duration, capacity int, send func([]T)) *batcher[T] {
	b := &batcher[T]{size: size, linger: linger, send: send, queue: make(chan T, capacity)}
	b.done.Go(b.run)
	return b
}

// add queues item, without waiting: it reports false if the queue is full
// or closed, and the caller must then leave item to another path.
func (b *batcher[T]) add(item T) bool {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed {
		return false
	}
	select {
	case b.queue <- item:
		return true
	default:
		return false
	}
}

// close sends what is queued, without lingering, then stops; calling it
// again does nothing.
func (b *batcher[T]) close() {
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		close(b.queue)
	}
	b.mu.Unlock()
	b.done.Wait()
}

func (b *batcher[T]) run() {
	for first := range b.queue {
		b.send(b.fill(append(make([]T, 0, b.size), first)))
	}
}

// fill adds to batch what comes within linger, until batch is full or the
// queue closed.
func (b *batcher[T]) fill(batch []T) []T {
	timer := time.NewTimer(b.linger)
	defer timer.Stop()
	for len(batch) < b.size {
		select {
		case item, ok := <-b.queue:
			if !ok {
				return batch
			}
			batch = append(batch, item)
		case <-timer.C:
			return batch
		}
	}
	return batch
}
