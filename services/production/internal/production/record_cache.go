package production

import "sync"

// recordCache remembers the records this service created, read or moved
// lately, so that moving one does not read it first. Only what never changes
// is trusted from it: a record's id, order, customer, items and creation
// time. Its status may be stale (another replica may have moved it), so a
// move from the cache is still the conditional write that checks the status
// in DynamoDB; when it fails, the store reads the record to say why.
type recordCache struct {
	mu   sync.Mutex
	byID map[string]Record
	ring []string // ids, oldest overwritten first
	next int
}

// recordCacheSize covers the records a kitchen works on at once: at 300
// orders a second, those created in the last ten seconds or so.
const recordCacheSize = 4096

func newRecordCache(size int) *recordCache {
	return &recordCache{byID: make(map[string]Record, size), ring: make([]string, size)}
}

func (c *recordCache) get(id string) (Record, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	rec, ok := c.byID[id]
	return rec, ok
}

// put remembers rec, forgetting the oldest record remembered if full.
func (c *recordCache) put(rec Record) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, known := c.byID[rec.ID]; !known {
		if old := c.ring[c.next]; old != "" {
			delete(c.byID, old)
		}
		c.ring[c.next] = rec.ID
		c.next = (c.next + 1) % len(c.ring)
	}
	c.byID[rec.ID] = rec
}
