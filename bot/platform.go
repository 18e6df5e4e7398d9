package bot

import (
	"context"
	"database/sql"
	"strconv"
	"time"
)

// Capabilities the core offers adapters beyond Handle. Adapters reach
// them with a type assertion on their Handler, so a trivial test handler
// need not implement them.

// EventDeduper records platform event ids so redelivered events are
// handled once.
type EventDeduper interface {
	FirstSeen(ctx context.Context, platform, eventID string) (bool, error)
}

// GoalLister lists the goals of the network a room belongs to, for forms
// that offer them (Slack's commit modal).
type GoalLister interface {
	GoalChoices(ctx context.Context, msg Message) ([]Choice, error)
}

// Choice is one option of a form field.
type Choice struct {
	Value string
	Label string
}

var (
	_ EventDeduper = (*Bot)(nil)
	_ GoalLister   = (*Bot)(nil)
)

// FirstSeen implements EventDeduper on the store.
func (b *Bot) FirstSeen(ctx context.Context, platform, eventID string) (bool, error) {
	return b.store.FirstSeen(ctx, platform, eventID)
}

// GoalChoices implements GoalLister: the goals of the network msg's room
// is in (or joins).
func (b *Bot) GoalChoices(ctx context.Context, msg Message) ([]Choice, error) {
	net, err := b.network(ctx, msg)
	if err != nil {
		return nil, err
	}
	goals, err := b.store.Goals(ctx, net.ID, b.now())
	if err != nil {
		return nil, err
	}
	out := make([]Choice, 0, len(goals))
	for _, g := range goals {
		out = append(out, Choice{Value: strconv.FormatInt(g.No, 10), Label: truncate(strconv.FormatInt(g.No, 10)+". "+g.Text, 75)})
	}
	return out, nil
}

// StateKeeper remembers small values for an adapter across restarts and
// replicas (Matrix's sync position, a logged-in token).
type StateKeeper interface {
	State(ctx context.Context, platform, key string) (string, bool, error)
	SetState(ctx context.Context, platform, key, value string) error
}

// Locker hands out cluster-wide locks: only one replica may run the
// Matrix sync at a time. TryLock returns a nil release when another
// replica holds the lock; alive reports whether the lock is still held.
type Locker interface {
	TryLock(ctx context.Context, name string) (release func(), alive func() bool, err error)
}

var (
	_ StateKeeper = (*Bot)(nil)
	_ Locker      = (*Bot)(nil)
)

// State implements StateKeeper.
func (b *Bot) State(ctx context.Context, platform, key string) (string, bool, error) {
	return b.store.State(ctx, platform, key)
}

// SetState implements StateKeeper.
func (b *Bot) SetState(ctx context.Context, platform, key, value string) error {
	return b.store.SetState(ctx, platform, key, value)
}

// TryLock implements Locker with a PostgreSQL advisory lock.
func (b *Bot) TryLock(ctx context.Context, name string) (func(), func() bool, error) {
	l, err := b.store.TryLock(ctx, name)
	if err != nil || l == nil {
		return nil, nil, err
	}
	release := func() { l.Release(context.WithoutCancel(ctx)) }
	alive := func() bool { return l.Alive(ctx) }
	return release, alive, nil
}

// Maintain does the core's housekeeping until ctx ends: processed event
// ids older than a week are pruned every hour. knoop run calls it once per
// process; running it on several replicas is harmless.
func (b *Bot) Maintain(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := b.store.PruneEvents(ctx, b.now().Add(-7*24*time.Hour)); err != nil && ctx.Err() == nil {
			b.log.Warn("prune processed events", "err", err)
		} else if n > 0 {
			b.log.Info("processed events pruned", "rows", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// SQLProvider gives adapters a database/sql handle on Knoop's database for
// libraries that keep their own tables (Matrix end-to-end encryption).
type SQLProvider interface {
	SQLDB() *sql.DB
}

var _ SQLProvider = (*Bot)(nil)

// SQLDB implements SQLProvider.
func (b *Bot) SQLDB() *sql.DB { return b.store.SQLDB() }
