package metrics

import (
	"errors"
	"sync"
)

// Conn is an adapter's connection state, for readiness checks (/readyz),
// counting reconnects into a Metrics. The zero value is "not started".
// It is safe for concurrent use.
type Conn struct {
	mu     sync.Mutex
	ok     bool
	detail string // what ok means, or why not ok
	once   bool   // up at least once: a later Up is a reconnect
}

// Up marks the connection usable; detail says how ("socket mode
// connected"). Up after a Down that followed an earlier Up counts a
// reconnect of platform in m (m may be nil).
func (c *Conn) Up(m *Metrics, platform, detail string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.once && !c.ok {
		m.Reconnect(platform)
	}
	c.ok, c.detail, c.once = true, detail, true
}

// Standby marks the adapter ready without a connection of its own (a
// replica waiting for another's lock); it is no connect, so the Up that
// follows it is no reconnect.
func (c *Conn) Standby(detail string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ok, c.detail = true, detail
}

// Down marks the connection unusable for reason.
func (c *Conn) Down(reason string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ok, c.detail = false, reason
}

// Ready returns what Up said, or an error with what Down said.
func (c *Conn) Ready() (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.ok:
		return c.detail, nil
	case c.detail == "":
		return "", errors.New("not started")
	}
	return "", errors.New(c.detail)
}
