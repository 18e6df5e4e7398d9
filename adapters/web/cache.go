package web

import (
	"sync"
	"time"
)

// cache keeps the network-wide aggregates of a page (organisation
// summaries, connections, goal histories, deliveries per month) for a
// short while: each is a scan over a network's members or commitments,
// and pages of a network of 10,000 members must answer in milliseconds.
// What a member changes shows on the page within the TTL. A TTL of 0
// turns caching off (the tests do, to see every change at once).
type cache struct {
	ttl time.Duration
	mu  sync.Mutex
	m   map[string]cacheEntry
}

type cacheEntry struct {
	at time.Time
	v  any
}

// maxCacheEntries bounds the cache; past it the cache starts over.
const maxCacheEntries = 1000

// cached returns the value under key, loading it when it is missing or
// older than the TTL. Concurrent misses may load twice; both results are
// equally fresh.
func cached[T any](c *cache, key string, load func() (T, error)) (T, error) {
	if c == nil || c.ttl <= 0 {
		return load()
	}
	now := time.Now()
	c.mu.Lock()
	e, ok := c.m[key]
	c.mu.Unlock()
	if ok && now.Sub(e.at) < c.ttl {
		return e.v.(T), nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxCacheEntries {
		c.m = map[string]cacheEntry{}
	}
	c.m[key] = cacheEntry{at: now, v: v}
	c.mu.Unlock()
	return v, nil
}
