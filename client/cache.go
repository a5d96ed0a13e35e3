package client

import (
	"encoding/json"
	"strings"
	"sync"
	"time"
)

// Cache keeps the data of queries run with the Cached option, for data that
// changes slowly (parts, procedures), until it is invalidated or, with a
// TTL, expires. It is safe for concurrent use.
type Cache struct {
	ttl     time.Duration
	mu      sync.Mutex
	entries map[string]cacheEntry
}

type cacheEntry struct {
	data    json.RawMessage
	expires time.Time // zero: never
}

// NewCache returns a cache whose entries live ttl (0: until invalidated).
func NewCache(ttl time.Duration) *Cache {
	return &Cache{ttl: ttl, entries: map[string]cacheEntry{}}
}

// Invalidate forgets every entry.
func (c *Cache) Invalidate() {
	c.mu.Lock()
	clear(c.entries)
	c.mu.Unlock()
}

// InvalidateQuery forgets the answers of query, for every variables.
func (c *Cache) InvalidateQuery(query string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for key := range c.entries {
		if strings.HasPrefix(key, query+"\x00") {
			delete(c.entries, key)
		}
	}
}

// Len is the number of entries kept.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

func cacheKey(query string, vars any) string {
	v, _ := json.Marshal(vars)
	return query + "\x00" + string(v)
}

func (c *Cache) get(key string, now time.Time) (json.RawMessage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if ok && !e.expires.IsZero() && !now.Before(e.expires) {
		delete(c.entries, key)
		return nil, false
	}
	return e.data, ok
}

func (c *Cache) put(key string, data json.RawMessage, now time.Time) {
	e := cacheEntry{data: data}
	if c.ttl > 0 {
		e.expires = now.Add(c.ttl)
	}
	c.mu.Lock()
	c.entries[key] = e
	c.mu.Unlock()
}
