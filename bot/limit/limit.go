// Package limit is a per-member rate limit: one token bucket per key (a
// platform and user id), filled at a steady rate up to a burst. A member
// past the limit is told once to slow down and then ignored until the
// bucket has tokens again, so a flood costs the network one short reply.
package limit

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Verdict is what to do with one message.
type Verdict int

const (
	// Allow: handle the message.
	Allow Verdict = iota
	// Warn: the member just went past the limit; answer "slow down" once.
	Warn
	// Drop: the member was already told; answer nothing.
	Drop
)

// sweepEvery is how many new keys are added between sweeps of idle
// buckets, so the map stays as big as the members active in the last
// minute or so, not as big as every member ever seen.
const sweepEvery = 1024

// Limiter holds one bucket per key. The zero value is not usable; a nil
// *Limiter allows everything. Safe for concurrent use.
type Limiter struct {
	perMinute int
	burst     int

	mu      sync.Mutex
	buckets map[string]*bucket
	added   int
}

type bucket struct {
	lim    *rate.Limiter
	warned bool // told to slow down since the bucket last had tokens
}

// New returns a limiter that lets a key spend perMinute tokens a minute,
// and up to perMinute at once. perMinute ≤ 0 returns nil: no limit.
func New(perMinute int) *Limiter {
	if perMinute <= 0 {
		return nil
	}
	return &Limiter{perMinute: perMinute, burst: perMinute, buckets: map[string]*bucket{}}
}

// Take spends cost tokens of key's bucket at time now and says what to do
// with the message. A cost above the burst is treated as the burst, so an
// expensive message is never refused for ever.
func (l *Limiter) Take(key string, cost int, now time.Time) Verdict {
	if l == nil {
		return Allow
	}
	cost = min(max(cost, 1), l.burst)
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		l.added++
		if l.added%sweepEvery == 0 {
			l.sweep(now)
		}
		b = &bucket{lim: rate.NewLimiter(rate.Limit(float64(l.perMinute)/60), l.burst)}
		l.buckets[key] = b
	}
	if b.lim.AllowN(now, cost) {
		b.warned = false
		return Allow
	}
	if b.warned {
		return Drop
	}
	b.warned = true
	return Warn
}

// sweep forgets buckets that are full again: a new bucket for the same key
// would behave the same.
func (l *Limiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if b.lim.TokensAt(now) >= float64(l.burst) {
			delete(l.buckets, k)
		}
	}
}

// Len is the number of buckets held (for tests of the sweep).
func (l *Limiter) Len() int {
	if l == nil {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}
