package bot

import (
	"context"
	"errors"

	"knoop/store"
)

// EventHandler handles a platform event at least once and answers it at
// most once per event id, across restarts and replicas. The Slack and
// Matrix adapters use it when their Handler implements it (Bot does).
type EventHandler interface {
	// HandleEvent answers msg through deliver. The event's dedupe marker,
	// the member's row and the command's writes go in one transaction
	// that commits only after deliver returned nil: a process that dies
	// before or while delivering leaves nothing behind, so the platform's
	// redelivery (Slack) or the resumed sync (Matrix) is handled anew.
	// handled is false when msg.EventID was handled before (deliver is
	// not called). An error means the reply was not delivered or not
	// recorded; the adapter reports it and lets the platform redeliver.
	// msg.EventID may be empty: the work still commits only once
	// delivered, without a marker.
	HandleEvent(ctx context.Context, msg Message, deliver func(context.Context, Reply) error) (handled bool, err error)
}

var _ EventHandler = (*Bot)(nil)

// HandleEvent implements EventHandler.
func (b *Bot) HandleEvent(ctx context.Context, msg Message, deliver func(context.Context, Reply) error) (bool, error) {
	net, err := b.roomNetwork(ctx, msg)
	if err != nil {
		// Handle answers with an apology; nothing to dedupe against.
		return true, deliver(ctx, b.Handle(ctx, msg))
	}
	ran, delivered := false, false
	first, err := b.store.HandleOnce(ctx, msg.Platform, msg.EventID,
		store.MemberRef{NetworkID: net.ID, Platform: msg.Platform, PlatformUserID: msg.UserID},
		func(ctx context.Context, me store.Member, found bool) error {
			ran = true
			r := b.handle(ctx, msg, &known{net: net, me: me, found: found})
			if store.Aborted(ctx) {
				return store.ErrTxAborted
			}
			if r.IsZero() {
				return nil
			}
			delivered = true
			return deliver(ctx, r)
		})
	switch {
	case errors.Is(err, store.ErrTxAborted) && !delivered:
		// A statement failed inside the transaction and took the rest
		// with it, before anything was delivered: run the command again
		// the way it ran before event transactions, marker first.
		b.log.WarnContext(ctx, "event transaction aborted; handling the event without one", "platform", msg.Platform)
		if msg.EventID != "" {
			if first, err := b.store.FirstSeen(ctx, msg.Platform, msg.EventID); err == nil && !first {
				return false, nil
			}
		}
		return true, b.deliver(ctx, deliver, b.Handle(ctx, msg))
	case err != nil && !ran:
		// The database failed before the command ran: Handle answers with
		// an apology (or, if the database is back, with the answer).
		b.metrics.Error("dedupe")
		b.log.ErrorContext(ctx, "event transaction", "err", err, "platform", msg.Platform)
		return true, b.deliver(ctx, deliver, b.Handle(ctx, msg))
	}
	return first, err
}

func (b *Bot) deliver(ctx context.Context, deliver func(context.Context, Reply) error, r Reply) error {
	if r.IsZero() {
		return nil
	}
	return deliver(ctx, r)
}
