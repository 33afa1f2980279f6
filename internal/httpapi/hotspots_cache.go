package httpapi

import (
	"container/list"
	"sync"
)

// hotspotCache keeps recent hotspot results in memory, least recently used
// out first. It is bounded by the total number of cells held, not by entries,
// because one whole-municipality result at 100 m is a thousand times the size
// of a district at 250 m. Keys hold the data version, so a changed report
// makes old entries unreachable and they age out.
type hotspotCache struct {
	mu       sync.Mutex
	maxCells int
	cells    int
	order    *list.List // front = most recently used
	entries  map[string]*list.Element
	hits     int
	misses   int
}

type cacheEntry struct {
	key   string
	value any
	cells int
}

func newHotspotCache(maxCells int) *hotspotCache {
	return &hotspotCache{maxCells: maxCells, order: list.New(), entries: map[string]*list.Element{}}
}

func (c *hotspotCache) get(key string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		c.misses++
		return nil, false
	}
	c.hits++
	c.order.MoveToFront(el)
	return el.Value.(*cacheEntry).value, true
}

// put stores a result of the given number of cells; one larger than the
// whole cache is not kept at all.
func (c *hotspotCache) put(key string, value any, size int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if size > c.maxCells {
		return
	}
	if el, ok := c.entries[key]; ok {
		c.cells -= el.Value.(*cacheEntry).cells
		c.order.Remove(el)
		delete(c.entries, key)
	}
	for c.cells+size > c.maxCells && c.order.Len() > 0 {
		old := c.order.Back()
		e := old.Value.(*cacheEntry)
		c.cells -= e.cells
		c.order.Remove(old)
		delete(c.entries, e.key)
	}
	c.entries[key] = c.order.PushFront(&cacheEntry{key: key, value: value, cells: size})
	c.cells += size
}

// stats returns hits, misses and entries, for tests and logs.
func (c *hotspotCache) stats() (hits, misses, entries int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.misses, len(c.entries)
}
