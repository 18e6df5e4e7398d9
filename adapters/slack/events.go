package slack

import (
	"context"
	"strings"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"knoop/bot"
)

// firstSeen drops events this process or another replica handled before
// (Slack redelivers an event whose ack was lost, with a new envelope id
// and the same event id).
func (a *Adapter) firstSeen(ctx context.Context, h bot.Handler, id string) bool {
	if id == "" {
		return true
	}
	if !a.seen.first("event:" + id) {
		return false
	}
	d, ok := h.(bot.EventDeduper)
	if !ok {
		return true
	}
	first, err := d.FirstSeen(ctx, Platform, id)
	if err != nil {
		// Better a rare double answer than a lost question.
		a.cfg.Metrics.Error("dedupe")
		a.log.ErrorContext(ctx, "dedupe failed", "event_id", id, "err", err)
		return true
	}
	return first
}

// handleEvent answers an Events API callback. The type switch lists the
// events Knoop acts on; everything else is ignored on purpose.
func (a *Adapter) handleEvent(ctx context.Context, h bot.Handler, ev slackevents.EventsAPIEvent) {
	cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent)
	if ok && !a.firstSeen(ctx, h, cb.EventID) {
		a.log.InfoContext(ctx, "duplicate event dropped", "event_id", cb.EventID)
		return
	}
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		thread := e.ThreadTimeStamp
		if thread == "" {
			thread = e.TimeStamp // answer a mention in a thread under it
		}
		a.answer(ctx, h, a.message(ctx, e.User, e.Channel, thread, fromSlack(e.Text, a.self.userID), false))
	case *slackevents.MessageEvent:
		// Direct messages only; channel messages reach Knoop as mentions.
		// Edits, joins and bot messages (Knoop's own included) carry a
		// subtype or a bot id and are not questions.
		if e.ChannelType != "im" || e.SubType != "" || e.BotID != "" || e.User == "" || e.User == a.self.userID {
			return
		}
		a.answer(ctx, h, a.message(ctx, e.User, e.Channel, e.ThreadTimeStamp, fromSlack(e.Text, a.self.userID), true))
	default:
		// app_home_opened, member_joined_channel, reactions …: not used yet.
	}
}

// answer handles a message and posts the reply where it was asked.
func (a *Adapter) answer(ctx context.Context, h bot.Handler, msg bot.Message) {
	if a.ignored(ctx, msg.UserID) {
		return
	}
	r := h.Handle(ctx, msg)
	if r.IsZero() {
		return
	}
	if r.Private && !msg.Direct {
		// A personal view (an export, my commitments) asked in a channel
		// is shown to the asker only.
		if err := a.postPrivate(ctx, msg.RoomID, msg.UserID, msg.ThreadID, r); err != nil {
			a.cfg.Metrics.Error("reply")
			a.log.ErrorContext(ctx, "private reply failed", "err", err, "channel", msg.RoomID)
		}
		return
	}
	if _, err := a.post(ctx, msg.RoomID, msg.ThreadID, r); err != nil {
		a.cfg.Metrics.Error("reply")
		a.log.ErrorContext(ctx, "reply failed", "err", err, "channel", msg.RoomID)
	}
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
		r := h.Handle(ctx, a.message(ctx, cmd.UserID, cmd.ChannelID, "", fromSlack(text, a.self.userID), false))
		blocks, fallback := render(r)
		// An answer too long for one acknowledgement goes out as messages.
		if len(blocks) > maxBlocks || late() {
			var err error
			if r.Private {
				err = a.postPrivate(ctx, cmd.ChannelID, cmd.UserID, "", r)
			} else {
				_, err = a.post(ctx, cmd.ChannelID, "", r)
			}
			if err != nil {
				a.log.ErrorContext(ctx, "late slash reply failed", "err", err)
			}
			return nil
		}
		kind := slack.ResponseTypeInChannel
		if r.Private {
			kind = slack.ResponseTypeEphemeral
		}
		return map[string]any{"response_type": kind, "text": fallback, "blocks": blocks}
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
					a.answer(ctx, h, a.message(ctx, cb.User.ID, cb.Channel.ID, cb.Container.ThreadTs, act.Value, cb.Channel.IsIM))
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
		a.handleEvent(ctx, h, ev)
		return nil
	}
}

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
