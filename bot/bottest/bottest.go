// Package bottest runs the real bot on a real PostgreSQL schema for tests:
// "say this as alice, give me what the bot answered". It also has a fake
// adapter that satisfies bot.Adapter and records what was sent.
package bottest

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"knoop/bot"
	"knoop/store"
	"knoop/store/storetest"
)

// Clock is a settable clock for bot.WithClock.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Start is the default test time: Friday 27 November 2026, 10:00 in Amsterdam.
var Start = time.Date(2026, 11, 27, 10, 0, 0, 0, mustZone("Europe/Amsterdam"))

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// Harness is a bot on its own schema.
type Harness struct {
	t     testing.TB
	Store *store.Store
	Bot   *bot.Bot
	Clock *Clock
	// Room is the room messages are said in; Platform their platform.
	Room, Platform string
	// Coordinators lists users with coordinator rights.
	Coordinators map[string]bool
}

// New returns a harness on a fresh schema, with the clock at Start.
func New(t testing.TB) *Harness {
	t.Helper()
	s := storetest.Schema(t)
	clock := NewClock(Start)
	return &Harness{
		t: t, Store: s, Clock: clock,
		Bot:          bot.New(s, Logger(t), bot.WithClock(clock.Now)),
		Room:         "room-1",
		Platform:     "console",
		Coordinators: map[string]bool{},
	}
}

// Message builds the message user would send.
func (h *Harness) Message(user, text string) bot.Message {
	name := user
	if name != "" {
		name = strings.ToUpper(name[:1]) + name[1:]
	}
	return bot.Message{Platform: h.Platform, RoomID: h.Room, UserID: user, UserName: name, Text: text,
		Coordinator: h.Coordinators[user]}
}

// Say sends text as user and returns the reply.
func (h *Harness) Say(user, text string) bot.Reply {
	h.t.Helper()
	return h.Bot.Handle(context.Background(), h.Message(user, text))
}

// SayText sends text as user and returns the reply as plain text.
func (h *Harness) SayText(user, text string) string {
	h.t.Helper()
	return bot.RenderText(h.Say(user, text))
}

// Logger returns a slog logger writing to t.Log.
func Logger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// Adapter is a fake chat platform: messages pushed into In are handled by
// Run; replies and sent messages are recorded.
type Adapter struct {
	In chan bot.Message
	// Platform is the name the adapter reports (default "fake"); set it to
	// the harness's platform to receive messages the bot sends members.
	Platform string

	mu      sync.Mutex
	replies []Sent
	sent    []Sent
	handled chan struct{}
}

// Sent is one message the fake platform received from the bot.
type Sent struct {
	To    bot.Target
	Reply bot.Reply
}

// NewAdapter returns a fake adapter with a buffered inbox.
func NewAdapter(buffer int) *Adapter {
	return &Adapter{In: make(chan bot.Message, buffer), handled: make(chan struct{}, buffer)}
}

var _ bot.Adapter = (*Adapter)(nil)

// Name implements bot.Adapter.
func (a *Adapter) Name() string {
	if a.Platform != "" {
		return a.Platform
	}
	return "fake"
}

// Run handles messages from In until ctx ends or In is closed. It runs
// workers handlers at once, as real adapters do.
func (a *Adapter) Run(ctx context.Context, h bot.Handler) error {
	return a.RunWorkers(ctx, h, 1)
}

// RunWorkers is Run with n concurrent handlers.
func (a *Adapter) RunWorkers(ctx context.Context, h bot.Handler, n int) error {
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for {
				select {
				case <-ctx.Done():
					return
				case m, ok := <-a.In:
					if !ok {
						return
					}
					r := h.Handle(ctx, m)
					a.mu.Lock()
					a.replies = append(a.replies, Sent{To: bot.Target{Platform: m.Platform, RoomID: m.RoomID, UserID: m.UserID}, Reply: r})
					a.mu.Unlock()
					a.handled <- struct{}{}
				}
			}
		})
	}
	wg.Wait()
	return ctx.Err()
}

// Handled blocks until n more messages have been answered.
func (a *Adapter) Handled(n int) {
	for range n {
		<-a.handled
	}
}

// Send implements bot.Adapter.
func (a *Adapter) Send(_ context.Context, to bot.Target, r bot.Reply) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.sent = append(a.sent, Sent{To: to, Reply: r})
	return nil
}

// Sent returns the messages the bot started itself so far.
func (a *Adapter) Sent() []Sent {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]Sent(nil), a.sent...)
}

// Replies returns the replies so far.
func (a *Adapter) Replies() []Sent {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]Sent(nil), a.replies...)
}

// Discard is a logger that drops everything, for benchmarks.
var Discard = slog.New(slog.NewTextHandler(io.Discard, nil))
