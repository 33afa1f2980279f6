package tiles

import (
	"bytes"
	"testing"
)

func tile(n int) Rendered { return Rendered{Body: bytes.Repeat([]byte{1}, n), ETag: `"e"`} }

func TestCacheEvictsLeastRecentlyUsed(t *testing.T) {
	// Each entry: key (1) + body (100) + etag (3) + overhead.
	one := entrySize("a", tile(100))
	c := NewCache(3 * one)
	c.Add("a", tile(100))
	c.Add("b", tile(100))
	c.Add("c", tile(100))
	if _, ok := c.Get("a"); !ok { // a is now the most recent
		t.Fatal("a missing")
	}
	c.Add("d", tile(100)) // evicts b, the least recently used
	for key, want := range map[string]bool{"a": true, "b": false, "c": true, "d": true} {
		if _, ok := c.Get(key); ok != want {
			t.Errorf("after eviction %s present=%v, want %v", key, ok, want)
		}
	}
	s := c.Stats()
	if s.Entries != 3 || s.Bytes != 3*one || s.Evictions != 1 {
		t.Errorf("stats %+v", s)
	}
}

func TestCacheBoundsBytes(t *testing.T) {
	c := NewCache(1000)
	c.Add("big", tile(2000)) // larger than the budget: not stored
	if _, ok := c.Get("big"); ok {
		t.Error("an entry larger than the cache was stored")
	}
	c.Add("x", tile(300))
	c.Add("y", tile(300)) // 2 × (1+300+3+200) = 1008 > 1000: x goes
	if _, ok := c.Get("x"); ok {
		t.Error("x should have been evicted")
	}
	c.Add("y", tile(10)) // replacing shrinks the size
	if s := c.Stats(); s.Bytes != entrySize("y", tile(10)) || s.Entries != 1 {
		t.Errorf("stats after replace %+v", s)
	}
}
