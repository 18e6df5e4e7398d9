package bot

import (
	"context"
	"strconv"
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
