package tiles

import (
	"container/list"
	"sync"
	"sync/atomic"
)

// Rendered is one tile as served: the MVT bytes, the same gzipped (made once, so
// a warm hit costs no compression), the strong ETag of the bytes and the data
// versions they were built at: Version in the database's numbering (0 when not
// read), Local in this process's (Versions).
type Rendered struct {
	Body    []byte
	Gzip    []byte
	ETag    string
	Version int64
	Local   uint64
}

func (r Rendered) size() int64 { return int64(len(r.Body) + len(r.Gzip) + len(r.ETag)) }

// entryOverhead approximates the bookkeeping of one entry (list element, map slot,
// slice headers) so that many empty tiles still count against the budget.
const entryOverhead = 200

// Cache is a least-recently-used cache of rendered tiles bounded by bytes. It is
// safe for concurrent use.
type Cache struct {
	mu       sync.Mutex
	maxBytes int64
	bytes    int64
	order    *list.List // front = most recently used
	entries  map[string]*list.Element
	evicted  int64
	hits     atomic.Int64
	misses   atomic.Int64
}

// CacheStats counts what the cache did since it was made.
type CacheStats struct {
	Hits, Misses, Evictions int64
	Entries                 int
	Bytes                   int64
}

type cacheEntry struct {
	key string
	val Rendered
}

// NewCache makes a cache holding at most maxBytes of tiles and keys.
func NewCache(maxBytes int64) *Cache {
	return &Cache{maxBytes: maxBytes, order: list.New(), entries: map[string]*list.Element{}}
}

func entrySize(key string, v Rendered) int64 { return int64(len(key)) + v.size() + entryOverhead }

// Get returns the tile stored under key and marks it recently used. Whether the
// tile is still current is the caller's to decide; it reports the outcome with
// Count.
func (c *Cache) Get(key string) (Rendered, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		return Rendered{}, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*cacheEntry).val, true
}

// Add stores a tile, evicting the least recently used ones until it fits. A tile
// larger than the whole budget is not stored.
func (c *Cache) Add(key string, v Rendered) {
	size := entrySize(key, v)
	c.mu.Lock()
	defer c.mu.Unlock()
	if size > c.maxBytes {
		return
	}
	if el, ok := c.entries[key]; ok {
		old := el.Value.(*cacheEntry)
		c.bytes += size - entrySize(key, old.val)
		old.val = v
		c.order.MoveToFront(el)
	} else {
		c.entries[key] = c.order.PushFront(&cacheEntry{key: key, val: v})
		c.bytes += size
	}
	for c.bytes > c.maxBytes {
		last := c.order.Back()
		e := last.Value.(*cacheEntry)
		c.order.Remove(last)
		delete(c.entries, e.key)
		c.bytes -= entrySize(e.key, e.val)
		c.evicted++
	}
}

// Count records a request the cache answered (hit) or could not answer with a
// current tile (miss: absent or stale).
func (c *Cache) Count(hit bool) {
	if hit {
		c.hits.Add(1)
	} else {
		c.misses.Add(1)
	}
}

// Stats returns the counters and current size.
func (c *Cache) Stats() CacheStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return CacheStats{Hits: c.hits.Load(), Misses: c.misses.Load(), Evictions: c.evicted,
		Entries: len(c.entries), Bytes: c.bytes}
}
