package production

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// What comes within the linger shares one send, and a send follows the
// linger without any further item or a close.
func TestBatcherLingersForCompany(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var sends [][]int
	b := newBatcher(25, 100*time.Millisecond, 16, func(batch []int) {
		mu.Lock()
		defer mu.Unlock()
		sends = append(sends, batch)
	})
	defer b.close()
	for i := range 3 {
		if !b.add(i) {
			t.Fatalf("add(%d) refused", i)
		}
	}
	eventually(t, 5*time.Second, func() error {
		mu.Lock()
		defer mu.Unlock()
		if len(sends) != 1 || !slices.Equal(sends[0], []int{0, 1, 2}) {
			return fmt.Errorf("sends = %v; want [[0 1 2]]", sends)
		}
		return nil
	})
}

func TestBatcherRefusesWhenFull(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	b := newBatcher(1, time.Hour, 1, func([]int) { <-release })
	if !b.add(1) { // taken by the send, which blocks
		t.Fatal("add(1) refused")
	}
	eventually(t, 5*time.Second, func() error {
		if !b.add(2) { // the one place in the queue
			return fmt.Errorf("add(2) refused")
		}
		return nil
	})
	if b.add(3) {
		t.Error("add(3) accepted beyond the capacity")
	}
	close(release)
	b.close()
}
