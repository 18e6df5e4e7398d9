package slack

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"knoop/bot"
)

// errNotDelivered marks work whose reply did not go out: the envelope is
// left unacknowledged, so Slack delivers it again and it is retried.
var errNotDelivered = errors.New("slack: reply not delivered")

// handleEvent answers an Events API callback. The type switch lists the
// events Knoop acts on; everything else is ignored on purpose.
// It returns errNotDelivered when the answer did not go out.
func (a *Adapter) handleEvent(ctx context.Context, h bot.Handler, ev slackevents.EventsAPIEvent) error {
	var eventID string
	if cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent); ok {
		eventID = cb.EventID
	}
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		thread := e.ThreadTimeStamp
		if thread == "" {
			thread = e.TimeStamp // answer a mention in a thread under it
		}
		msg := a.message(ctx, e.User, e.Channel, thread, fromSlack(e.Text, a.self.userID), false)
		msg.EventID = eventID
		return a.answer(ctx, h, msg)
	case *slackevents.MessageEvent:
		// Direct messages only; channel messages reach Knoop as mentions.
		// Edits, joins and bot messages (Knoop's own included) carry a
		// subtype or a bot id and are not questions.
		if e.ChannelType != "im" || e.SubType != "" || e.BotID != "" || e.User == "" || e.User == a.self.userID {
			return nil
		}
		msg := a.message(ctx, e.User, e.Channel, e.ThreadTimeStamp, fromSlack(e.Text, a.self.userID), true)
		msg.EventID = eventID
		return a.answer(ctx, h, msg)
	default:
		// app_home_opened, member_joined_channel, reactions …: not used yet.
	}
	return nil
}

// answer handles a message and posts the reply where it was asked. With
// an event id and a core that dedupes (bot.EventHandler), the event is
// answered once however often Slack delivers it, and its work commits
// only once the reply is posted; errNotDelivered when it was not.
func (a *Adapter) answer(ctx context.Context, h bot.Handler, msg bot.Message) error {
	if a.ignored(ctx, msg.UserID) {
		return nil
	}
	deliver := func(ctx context.Context, r bot.Reply) error { return a.reply(ctx, msg, r) }
	eh, ok := h.(bot.EventHandler)
	if !ok {
		if r := h.Handle(ctx, msg); !r.IsZero() {
			if err := deliver(ctx, r); err != nil {
				return errNotDelivered
			}
		}
		return nil
	}
	handled, err := eh.HandleEvent(ctx, msg, deliver)
	if err != nil {
		a.cfg.Metrics.Error("reply")
		a.log.ErrorContext(ctx, "event not answered; Slack will deliver it again", "err", err, "channel", msg.RoomID)
		return errNotDelivered
	}
	if !handled {
		a.log.InfoContext(ctx, "duplicate event dropped", "event_id", msg.EventID)
	}
	return nil
}

// reply posts r where msg was said. A personal view (an export, my
// commitments) asked in a channel is shown to the asker only.
func (a *Adapter) reply(ctx context.Context, msg bot.Message, r bot.Reply) error {
	if r.Private && !msg.Direct {
		if err := a.postPrivate(ctx, msg.RoomID, msg.UserID, msg.ThreadID, r); err != nil {
			return fmt.Errorf("private reply: %w", err)
		}
		return nil
	}
	if _, err := a.post(ctx, msg.RoomID, msg.ThreadID, r); err != nil {
		return fmt.Errorf("reply: %w", err)
	}
	return nil
}

// slashWork answers /knoop. A personal view is shown to the asker only, a
// shared one to the channel. Its result is the acknowledgement payload
// when the answer was ready in time; a late answer is posted instead.
func (a *Adapter) slashWork(h bot.Handler, cmd slack.SlashCommand) func(ctx context.Context, late func() bool) any {
	return func(ctx context.Context, late func() bool) any {
		ctx = bot.WithEvent(ctx, "slash:"+cmd.TriggerID)
		if a.ignored(ctx, cmd.UserID) {
			return nil
		}
		text := strings.TrimSpace(cmd.Text)
		if w := strings.ToLower(text); w == "commit" || w == "toezeggen" {
			a.openCommitModal(ctx, h, cmd.TriggerID, cmd.ChannelID, cmd.UserID, w == "toezeggen")
			return nil
		}
		msg := a.message(ctx, cmd.UserID, cmd.ChannelID, "", fromSlack(text, a.self.userID), false)
		var payload any
		// The answer goes in the acknowledgement; one too long for it, or
		// ready too late, goes out as messages. The command's work commits
		// only once the answer is posted or ready to be acknowledged.
		deliver := func(ctx context.Context, r bot.Reply) error {
			blocks, fallback := render(r)
			if len(blocks) > maxBlocks || late() {
				if r.Private {
					return a.postPrivate(ctx, cmd.ChannelID, cmd.UserID, "", r)
				}
				_, err := a.post(ctx, cmd.ChannelID, "", r)
				return err
			}
			kind := slack.ResponseTypeInChannel
			if r.Private {
				kind = slack.ResponseTypeEphemeral
			}
			payload = map[string]any{"response_type": kind, "text": fallback, "blocks": blocks}
			return nil
		}
		var err error
		if eh, ok := h.(bot.EventHandler); ok {
			_, err = eh.HandleEvent(ctx, msg, deliver)
		} else {
			err = deliver(ctx, h.Handle(ctx, msg))
		}
		if err != nil {
			a.cfg.Metrics.Error("reply")
			a.log.ErrorContext(ctx, "slash reply failed", "err", err)
		}
		return payload
	}
}

// interactionWork answers a click on a button of Knoop's messages or a
// modal submission; its result is the acknowledgement payload (modal
// validation errors, or nil to close the modal).
func (a *Adapter) interactionWork(h bot.Handler, cb slack.InteractionCallback) func(ctx context.Context, late func() bool) any {
	return func(ctx context.Context, _ func() bool) any {
		ctx = bot.WithEvent(ctx, "interaction:"+cb.TriggerID)
		if a.ignored(ctx, cb.User.ID) {
			return nil
		}
		switch cb.Type {
		case slack.InteractionTypeBlockActions:
			for _, act := range cb.ActionCallback.BlockActions {
				switch {
				case strings.HasPrefix(act.ActionID, actionInput):
					a.openDateModal(ctx, cb.TriggerID, cb.Channel.ID, act.Value, cb.Container.ThreadTs)
				case strings.HasPrefix(act.ActionID, actionRun):
					_ = a.answer(ctx, h, a.message(ctx, cb.User.ID, cb.Channel.ID, cb.Container.ThreadTs, act.Value, cb.Channel.IsIM))
				}
			}
		case slack.InteractionTypeViewSubmission:
			return a.submitView(ctx, h, cb)
		}
		return nil
	}
}

// eventWork answers an Events API callback.
func (a *Adapter) eventWork(h bot.Handler, ev slackevents.EventsAPIEvent) func(ctx context.Context, late func() bool) any {
	return func(ctx context.Context, _ func() bool) any {
		if cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent); ok {
			ctx = bot.WithEvent(ctx, cb.EventID)
		}
		if err := a.handleEvent(ctx, h, ev); err != nil {
			return noAck{}
		}
		return nil
	}
}

// noAck is work's result when its envelope must not be acknowledged.
type noAck struct{}

// slashKey orders a slash command behind the member's other events, except
// one that opens a modal: its trigger id expires in 3 s, so it must not
// wait in a queue.
func slashKey(cmd slack.SlashCommand) string {
	if w := strings.ToLower(strings.TrimSpace(cmd.Text)); w == "commit" || w == "toezeggen" {
		return "modal:" + cmd.TriggerID
	}
	return cmd.UserID
}

// eventKey is the member an Events API callback comes from, for ordering.
func eventKey(ev slackevents.EventsAPIEvent) string {
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		return e.User
	case *slackevents.MessageEvent:
		return e.User
	}
	return ""
}
