package matrix

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"knoop/bot"
)

// levelsTTL is how long a room's power levels are trusted.
const levelsTTL = time.Minute

// onMessage answers m.text messages addressed to Knoop: "!knoop …", a
// mention, a reply to Knoop, or anything in a direct-message room. Sync
// handlers run one at a time, so the work is queued per sender.
func (a *Adapter) onMessage(ctx context.Context, h bot.Handler, evt *event.Event) {
	if evt.Sender == a.me || a.history(evt) {
		return
	}
	msg := evt.Content.AsMessage()
	if msg == nil || msg.MsgType != event.MsgText || msg.Body == "" {
		return // notices (other bots), images, edits without text
	}
	if msg.RelatesTo != nil && msg.RelatesTo.Type == event.RelReplace {
		return // an edit is not a new question
	}
	a.work.Add(1)
	finished := a.track()
	a.queue.Do(string(evt.Sender), func() {
		defer a.work.Done()
		defer finished()
		ctx := bot.WithEvent(context.WithoutCancel(ctx), string(evt.ID))
		text, ok := a.addressed(ctx, evt, msg)
		if !ok {
			return
		}
		thread := ""
		if msg.RelatesTo != nil && msg.RelatesTo.Type == event.RelThread {
			thread = string(msg.RelatesTo.EventID)
		}
		m := a.message(ctx, evt.RoomID, evt.Sender, thread, text)
		m.MessageID = string(evt.ID)
		m.EventID = string(evt.ID)
		a.answer(ctx, h, m, func(ctx context.Context, r bot.Reply) error {
			_, err := a.send(ctx, evt.RoomID, evt, thread, r, "re-"+string(evt.ID))
			return err
		})
	})
}

// track numbers work queued for an event, so the sync position moves past
// the event only once the work has finished; call the result when it has.
func (a *Adapter) track() func() {
	if a.pos == nil {
		return func() {}
	}
	return a.pos.begin()
}

// answer handles m once (bot.EventHandler: the event's work commits only
// after send delivered the reply; a restart redoes what was not
// delivered) and sends the reply.
func (a *Adapter) answer(ctx context.Context, h bot.Handler, m bot.Message, send func(context.Context, bot.Reply) error) {
	var err error
	if eh, ok := h.(bot.EventHandler); ok {
		_, err = eh.HandleEvent(ctx, m, send)
	} else if r := h.Handle(ctx, m); !r.IsZero() {
		err = send(ctx, r)
	}
	if err != nil {
		a.cfg.Metrics.Error("reply")
		a.log.ErrorContext(ctx, "reply failed", "room", m.RoomID, "err", err)
	}
}

// history reports whether evt is older than this process's first sync
// with no saved sync position: a first start must not answer old history.
// After a restart everything since the saved position is new.
func (a *Adapter) history(evt *event.Event) bool {
	return !a.resumed && time.UnixMilli(evt.Timestamp).Before(a.start.Add(-5*time.Second))
}

// addressed decides whether a message is for Knoop and returns its text
// without the prefix, the mention or a reply fallback.
func (a *Adapter) addressed(ctx context.Context, evt *event.Event, msg *event.MessageEventContent) (string, bool) {
	msg.RemoveReplyFallback()
	body := strings.TrimSpace(msg.Body)
	if text, ok := isCommand(body, a.cfg.Prefix); ok {
		return text, true
	}
	if msg.Mentions != nil && msg.Mentions.Has(a.me) {
		return a.stripMention(body), true
	}
	local := a.me.Localpart()
	lower := strings.ToLower(body)
	for _, name := range []string{strings.ToLower(string(a.me)), strings.ToLower(local)} {
		if strings.HasPrefix(lower, name) || strings.HasPrefix(lower, "@"+name) {
			return a.stripMention(body), true
		}
	}
	if a.isDirect(ctx, evt.RoomID) {
		return body, true
	}
	if reply := msg.GetReplyTo(); reply != "" {
		if orig, err := a.cli.GetEvent(ctx, evt.RoomID, reply); err == nil && orig.Sender == a.me {
			return body, true
		}
	}
	return "", false
}

// stripMention removes Knoop's name (as pill text, user id or localpart)
// and the punctuation after it from the start of body.
func (a *Adapter) stripMention(body string) string {
	for _, name := range []string{string(a.me), "@" + a.me.Localpart(), a.me.Localpart(), "Knoop"} {
		if len(body) >= len(name) && strings.EqualFold(body[:len(name)], name) {
			return strings.TrimLeft(body[len(name):], " :,")
		}
	}
	if i := strings.Index(body, ": "); i > 0 && i < 40 {
		return body[i+2:]
	}
	return body
}

// isDirect reports whether only Knoop and one other member are in room.
func (a *Adapter) isDirect(ctx context.Context, room id.RoomID) bool {
	a.mu.Lock()
	d, ok := a.direct[room]
	a.mu.Unlock()
	if ok {
		return d
	}
	members, err := a.cli.JoinedMembers(ctx, room)
	if err != nil {
		return false
	}
	d = len(members.Joined) == 2
	a.mu.Lock()
	a.direct[room] = d
	a.mu.Unlock()
	return d
}

// message builds the core's message with what the room knows about the
// sender: display name, the server as organisation hint, coordinator when
// their power level is 50 or more.
func (a *Adapter) message(ctx context.Context, room id.RoomID, sender id.UserID, thread, text string) bot.Message {
	name := sender.Localpart()
	var member event.MemberEventContent
	if err := a.cli.StateEvent(ctx, room, event.StateMember, string(sender), &member); err == nil && member.Displayname != "" {
		name = member.Displayname
	}
	direct := a.isDirect(ctx, room)
	if direct {
		a.rememberDirect(ctx, sender, room, true)
	}
	return bot.Message{
		Platform: Platform, RoomID: string(room), ThreadID: thread, UserID: string(sender), UserName: name,
		Text: text, Direct: direct, Coordinator: a.powerLevel(ctx, room, sender) >= 50,
		OrgHint: sender.Homeserver(),
		// Every room this account is in belongs to one network.
		Network: "account:" + string(a.me),
	}
}

func (a *Adapter) powerLevel(ctx context.Context, room id.RoomID, user id.UserID) int {
	a.mu.Lock()
	c, ok := a.levels[room]
	a.mu.Unlock()
	if !ok || time.Since(c.at) > levelsTTL {
		var pl event.PowerLevelsEventContent
		if err := a.cli.StateEvent(ctx, room, event.StatePowerLevels, "", &pl); err != nil {
			return 0
		}
		c = cachedLevels{pl: &pl, at: time.Now()}
		a.mu.Lock()
		a.levels[room] = c
		a.mu.Unlock()
	}
	return c.pl.GetUserLevel(user)
}

// onReaction turns ✅ and ⏰ on a commitment message into "done N" and
// "snooze N" from the member who reacted.
func (a *Adapter) onReaction(ctx context.Context, h bot.Handler, evt *event.Event) {
	if evt.Sender == a.me || a.history(evt) {
		return
	}
	rc := evt.Content.AsReaction()
	if rc == nil {
		return
	}
	var verb string
	switch strings.TrimRight(rc.RelatesTo.Key, "\ufe0f") {
	case "✅", "✔", "☑":
		verb = "done"
	case "⏰":
		verb = "snooze"
	default:
		return
	}
	kv, ok := h.(bot.StateKeeper)
	if !ok {
		return
	}
	a.work.Add(1)
	finished := a.track()
	a.queue.Do(string(evt.Sender), func() {
		defer a.work.Done()
		defer finished()
		ctx := bot.WithEvent(context.WithoutCancel(ctx), string(evt.ID))
		no, found, err := kv.State(ctx, Platform, "commitment:"+string(rc.RelatesTo.EventID))
		if err != nil || !found {
			return
		}
		m := a.message(ctx, evt.RoomID, evt.Sender, "", verb+" "+no)
		m.EventID = string(evt.ID)
		a.answer(ctx, h, m, func(ctx context.Context, r bot.Reply) error {
			_, err := a.send(ctx, evt.RoomID, nil, "", r, "re-"+string(evt.ID))
			return err
		})
	})
}

// onMember joins rooms Knoop is invited to by allowed users or servers,
// also invites that arrived while it was down (they come in the first
// sync), and forgets cached facts about rooms whose members change.
func (a *Adapter) onMember(ctx context.Context, evt *event.Event) {
	a.mu.Lock()
	delete(a.direct, evt.RoomID)
	a.mu.Unlock()
	mem := evt.Content.AsMember()
	if mem == nil || evt.GetStateKey() != string(a.me) || mem.Membership != event.MembershipInvite {
		return
	}
	ctx = bot.WithEvent(ctx, string(evt.ID))
	if !a.allowed(evt.Sender) {
		a.log.InfoContext(ctx, "invite declined: sender not allowed", "room", evt.RoomID, "sender", evt.Sender)
		return
	}
	a.work.Add(1)
	go func() {
		defer a.work.Done()
		if _, err := a.cli.JoinRoomByID(context.WithoutCancel(ctx), evt.RoomID); err != nil {
			a.log.ErrorContext(ctx, "join failed", "room", evt.RoomID, "err", err)
			return
		}
		a.log.InfoContext(ctx, "joined room", "room", evt.RoomID, "invited_by", evt.Sender)
	}()
}

// send posts a reply as m.notice (HTML and plain), as a reply to inReplyTo
// and in thread when given. The transaction id makes a retried send
// idempotent. A commitment message gets ✅ and ⏰ to click, and is
// remembered so reactions on it find the commitment.
func (a *Adapter) send(ctx context.Context, room id.RoomID, inReplyTo *event.Event, thread string, r bot.Reply, txn string) (id.EventID, error) {
	content := &event.MessageEventContent{
		MsgType:       event.MsgNotice,
		Body:          renderText(r),
		Format:        event.FormatHTML,
		FormattedBody: renderHTML(r, a.cfg.Prefix),
		Mentions:      &event.Mentions{}, // pills in answers never ping
	}
	if thread != "" {
		content.RelatesTo = (&event.RelatesTo{}).SetThread(id.EventID(thread), inReplyToID(inReplyTo))
	} else if inReplyTo != nil {
		content.RelatesTo = (&event.RelatesTo{}).SetReplyTo(inReplyTo.ID)
	}
	req := mautrix.ReqSendEvent{TransactionID: txn}
	resp, err := a.cli.SendMessageEvent(ctx, room, event.EventMessage, content, req)
	if err != nil {
		return "", fmt.Errorf("matrix: send: %w", err)
	}
	if r.Commitment != 0 {
		if h, ok := a.stateKeeper(); ok {
			if err := h.SetState(ctx, Platform, "commitment:"+string(resp.EventID), strconv.FormatInt(r.Commitment, 10)); err != nil {
				a.log.ErrorContext(ctx, "remember commitment message", "err", err)
			}
		}
		for _, key := range []string{"✅", "⏰"} {
			if _, err := a.cli.SendReaction(ctx, room, resp.EventID, key); err != nil {
				a.log.WarnContext(ctx, "reaction failed", "err", err)
			}
		}
	}
	return resp.EventID, nil
}

func inReplyToID(evt *event.Event) id.EventID {
	if evt == nil {
		return ""
	}
	return evt.ID
}
