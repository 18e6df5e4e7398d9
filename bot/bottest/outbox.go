package bottest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"knoop/bot"
)

// Outbox is a chat platform for scheduler tests: it records what the bot
// sends, messages to rooms apart from direct messages, gives each post a
// message id (bot.Poster), can fail the first sends and can hold sends
// until released. Threaded adds threads (bot.Threader).
type Outbox struct {
	name string

	mu    sync.Mutex
	ids   map[string]string // target key → id of the last post
	sent  []Sent
	fails int           // fail this many sends first
	block chan struct{} // when set, sends wait for it (or their ctx)
	posts chan Sent     // messages to rooms
	dms   chan Sent     // direct messages
}

// NewOutbox returns an outbox for the platform name. It buffers 100
// messages of each kind; a test reads them with WaitPosts and WaitDMs.
func NewOutbox(name string) *Outbox {
	return &Outbox{name: name, ids: map[string]string{}, posts: make(chan Sent, 100), dms: make(chan Sent, 100)}
}

var (
	_ bot.Adapter = (*Outbox)(nil)
	_ bot.Poster  = (*Outbox)(nil)
)

// Name implements bot.Adapter.
func (o *Outbox) Name() string { return o.name }

// Run implements bot.Adapter: nobody writes to an outbox, so it waits for ctx.
func (o *Outbox) Run(ctx context.Context, _ bot.Handler) error { <-ctx.Done(); return nil }

// Send implements bot.Adapter.
func (o *Outbox) Send(ctx context.Context, to bot.Target, r bot.Reply) error {
	_, err := o.Post(ctx, to, r)
	return err
}

// ErrUnavailable is what a send failed by FailNext returns.
var ErrUnavailable = errors.New("platform unavailable (test)")

// Post implements bot.Poster: the id is "msg-N", N counting the sends.
func (o *Outbox) Post(ctx context.Context, to bot.Target, r bot.Reply) (string, error) {
	o.mu.Lock()
	block := o.block
	o.mu.Unlock()
	if block != nil {
		select {
		case <-block:
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	o.mu.Lock()
	if o.fails > 0 {
		o.fails--
		o.mu.Unlock()
		return "", ErrUnavailable
	}
	o.sent = append(o.sent, Sent{To: to, Reply: r})
	id := fmt.Sprintf("msg-%d", len(o.sent))
	o.ids[to.Key] = id
	o.mu.Unlock()
	if to.RoomID == "" {
		o.dms <- Sent{To: to, Reply: r}
	} else {
		o.posts <- Sent{To: to, Reply: r}
	}
	return id, nil
}

// FailNext makes the next n sends fail with ErrUnavailable.
func (o *Outbox) FailNext(n int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.fails = n
}

// Block holds every send from now on until release is called (or the
// send's context ends).
func (o *Outbox) Block() (release func()) {
	ch := make(chan struct{})
	o.mu.Lock()
	o.block = ch
	o.mu.Unlock()
	var once sync.Once
	return func() { once.Do(func() { close(ch) }) }
}

// All returns every message sent so far, rooms and direct, in order.
func (o *Outbox) All() []Sent {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]Sent(nil), o.sent...)
}

// MessageID returns the id of the last post to the target with this key.
func (o *Outbox) MessageID(key string) string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.ids[key]
}

// Threaded returns the outbox as a platform with threads: a message in a
// thread is recorded like any other.
func (o *Outbox) Threaded() bot.Adapter { return threadedOutbox{o} }

type threadedOutbox struct{ *Outbox }

func (o threadedOutbox) SendInThread(ctx context.Context, to bot.Target, r bot.Reply) error {
	return o.Send(ctx, to, r)
}

// WaitPosts waits up to timeout for n more messages to rooms and returns them.
func (o *Outbox) WaitPosts(t testing.TB, n int, timeout time.Duration) []Sent {
	t.Helper()
	return waitOn(t, o.posts, n, timeout, "messages to rooms")
}

// WaitDMs waits up to timeout for n more direct messages and returns them.
func (o *Outbox) WaitDMs(t testing.TB, n int, timeout time.Duration) []Sent {
	t.Helper()
	return waitOn(t, o.dms, n, timeout, "direct messages")
}

func waitOn(t testing.TB, ch chan Sent, n int, timeout time.Duration, what string) []Sent {
	t.Helper()
	var out []Sent
	deadline := time.After(timeout)
	for range n {
		select {
		case s := <-ch:
			out = append(out, s)
		case <-deadline:
			t.Fatalf("waited %v for %d %s, got %d", timeout, n, what, len(out))
		}
	}
	return out
}

// Quiet fails the test if a message to a room (or, with dms, a direct
// message) arrived that the test has not read. Call it after JobsSettled:
// once every job has finished, nothing more can arrive.
func (o *Outbox) Quiet(t testing.TB, dms bool) {
	t.Helper()
	select {
	case s := <-o.posts:
		t.Fatalf("unexpected message to %+v: %s", s.To, bot.RenderText(s.Reply))
	default:
	}
	if !dms {
		return
	}
	select {
	case s := <-o.dms:
		t.Fatalf("unexpected direct message to %+v: %s", s.To, bot.RenderText(s.Reply))
	default:
	}
}

// JobsSettled waits (up to 20 s) until no job in the scheduler's River
// queue in pool's schema is waiting, running or due for a retry — every
// delivery planned so far has happened or failed for good — and returns
// the count of jobs per final state (completed, discarded, cancelled).
func JobsSettled(t testing.TB, pool *pgxpool.Pool) map[string]int {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		states := map[string]int{}
		rows, err := pool.Query(context.Background(), `SELECT state::text, count(*) FROM river_job GROUP BY state`)
		if err != nil {
			t.Fatalf("reading the job queue: %v", err)
		}
		for rows.Next() {
			var state string
			var n int
			if err := rows.Scan(&state, &n); err != nil {
				t.Fatalf("reading the job queue: %v", err)
			}
			states[state] = n
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("reading the job queue: %v", err)
		}
		pending := 0
		for s, n := range states {
			if s != "completed" && s != "discarded" && s != "cancelled" {
				pending += n
			}
		}
		if pending == 0 {
			return states
		}
		if time.Now().After(deadline) {
			t.Fatalf("jobs still pending after 20 s: %v", states)
		}
		time.Sleep(10 * time.Millisecond) // polling interval, not synchronisation
	}
}
