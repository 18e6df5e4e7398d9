package matrix

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"knoop/bot"
)

// onMessage answers m.text messages addressed to Knoop: "!knoop …", a
// mention, a reply to Knoop, or anything in a direct-message room. Sync
// handlers run one at a time, so the work is queued per sender.
func (a *Adapter) onMessage(ctx context.Context, h bot.Handler, evt *event.Event) {
	if evt.Sender == a.me || a.history(evt) {
		return
	}
	if answer, _ := a.standing(evt.Sender); !answer {
		return // not a member and guests are not answered: nothing is stored
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
	queued := a.queue.Do(string(evt.Sender), func() {
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
			return a.reply(ctx, evt, evt, thread, m, r)
		})
	})
	if !queued { // the sender's queue is full: the work will not run
		a.work.Done()
		finished()
		a.dropped(ctx, evt)
	}
}

// reply sends the answer r to the message m (event evt, answered as a
// reply to inReplyTo when given). A private answer asked in a room with
// others goes to the member's direct room; the room gets one short line
// saying so. The error says what was not delivered.
func (a *Adapter) reply(ctx context.Context, evt, inReplyTo *event.Event, thread string, m bot.Message, r bot.Reply) error {
	if r.IsZero() {
		return nil
	}
	room, txn := evt.RoomID, "re-"+string(evt.ID)
	if r.Private && !m.Direct {
		dm, err := a.directRoom(ctx, evt.Sender)
		if err != nil {
			return fmt.Errorf("direct room for a private reply: %w", err) // never the room instead: it is private
		}
		if _, err := a.send(ctx, dm, nil, "", r, "dm-"+string(evt.ID)); err != nil {
			return fmt.Errorf("private reply: %w", err)
		}
		r = bot.Reply{Lang: r.Lang, Blocks: []bot.Block{{Kind: bot.Text, Text: sentPrivately(r.Lang)}}}
	}
	_, err := a.send(ctx, room, inReplyTo, thread, r, txn)
	return err
}

func sentPrivately(lang string) string {
	if lang == bot.NL {
		return "Ik heb je het antwoord in een direct bericht gestuurd."
	}
	return "I sent you the answer in a direct message."
}

// memberQueue bounds one sender's events waiting or being handled, so a
// member flooding Knoop holds a bounded amount of memory (the per-member
// rate limit answers floods long before; this is the backstop).
const memberQueue = 256

// dropped logs and counts an event refused because its sender's queue was
// full; the sync position moves past it, so it is not answered.
func (a *Adapter) dropped(ctx context.Context, evt *event.Event) {
	a.cfg.Metrics.Error("queue_full")
	a.log.WarnContext(ctx, "member's queue is full; event dropped", "member", string(evt.Sender), "event", string(evt.ID))
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
	body := strings.TrimSpace(pillsToIDs(msg))
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

// isShared reports whether someone in room is not a member (not allowed)
// while External does not make everyone a member: guests, or people Knoop
// ignores, read along there. Unknown counts as shared.
func (a *Adapter) isShared(ctx context.Context, room id.RoomID) bool {
	if a.cfg.External == ExternalMember {
		return false
	}
	a.mu.Lock()
	sh, ok := a.shared[room]
	a.mu.Unlock()
	if ok {
		return sh
	}
	members, err := a.cli.JoinedMembers(ctx, room)
	if err != nil {
		return true
	}
	sh = false
	for u := range members.Joined {
		if u != a.me && !a.allowed(u) {
			sh = true
		}
	}
	a.mu.Lock()
	a.shared[room] = sh
	a.mu.Unlock()
	return sh
}

// message builds the core's message with what the room knows about the
// sender: display name, the server as organisation hint, whether they are
// a guest, and whether a coordinator (see coordinator).
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
	_, guest := a.standing(sender)
	return bot.Message{
		Platform: Platform, RoomID: string(room), ThreadID: thread, UserID: string(sender), UserName: name,
		Text: text, Direct: direct, Guest: guest, Shared: !direct && a.isShared(ctx, room),
		Coordinator: !guest && a.coordinator(ctx, sender),
		OrgHint:     sender.Homeserver(),
		// Every room this account is in belongs to one network.
		Network: "account:" + string(a.me),
	}
}

// coordinator reports whether user has coordinator rights: listed in
// Config.Coordinators, or power level 50 or more in one of the configured
// coordination rooms. The room the message was said in does not count
// (in a direct room everyone is admin).
func (a *Adapter) coordinator(ctx context.Context, user id.UserID) bool {
	if a.coordinators[user] {
		return true
	}
	for _, room := range a.cfg.CoordinationRooms {
		if a.powerLevel(ctx, id.RoomID(room), user) >= 50 {
			return true
		}
	}
	return false
}

// powerLevel is user's power level in room. The levels are read once per
// room and then kept current by onPowerLevels from the sync, so a change
// counts for the next message handled after it.
func (a *Adapter) powerLevel(ctx context.Context, room id.RoomID, user id.UserID) int {
	a.mu.Lock()
	pl, ok := a.levels[room]
	a.mu.Unlock()
	if !ok {
		var fresh event.PowerLevelsEventContent
		if err := a.cli.StateEvent(ctx, room, event.StatePowerLevels, "", &fresh); err != nil {
			a.log.WarnContext(ctx, "power levels unreadable", "room", room, "err", err)
			return 0
		}
		a.mu.Lock()
		if pl, ok = a.levels[room]; !ok { // the sync may have been faster
			pl = &fresh
			a.levels[room] = pl
		}
		a.mu.Unlock()
	}
	return pl.GetUserLevel(user)
}

// onPowerLevels keeps the power levels of a room current.
func (a *Adapter) onPowerLevels(evt *event.Event) {
	pl := evt.Content.AsPowerLevels()
	if pl == nil {
		return
	}
	a.mu.Lock()
	a.levels[evt.RoomID] = pl
	a.mu.Unlock()
}

// pillRE finds a user pill in formatted_body: a matrix.to link to a user.
var pillRE = regexp.MustCompile(`(?is)<a\s[^>]*href="https://matrix\.to/#/(@[^"/?]+)[^"]*"[^>]*>(.*?)</a>`)

// pillsToIDs returns the message's plain body with each user pill's text
// replaced by the user id it links to, so "endorse Anna cold chain" with a
// pill becomes "endorse @anna:example.org cold chain" and the core
// resolves the member by id, not by a name anyone can take.
func pillsToIDs(msg *event.MessageEventContent) string {
	body := msg.Body
	if msg.Format != event.FormatHTML || msg.FormattedBody == "" {
		return body
	}
	for _, m := range pillRE.FindAllStringSubmatch(msg.FormattedBody, 20) {
		uid, err := url.PathUnescape(m[1])
		if err != nil {
			continue
		}
		if _, _, err := id.UserID(uid).Parse(); err != nil {
			continue
		}
		label := strings.TrimSpace(html.UnescapeString(tagRE.ReplaceAllString(m[2], "")))
		if label != "" && strings.Contains(body, label) {
			body = strings.Replace(body, label, uid, 1)
		}
	}
	return body
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// onReaction turns ✅ and ⏰ on a commitment message into "done N" and
// "snooze N" from the member who reacted.
func (a *Adapter) onReaction(ctx context.Context, h bot.Handler, evt *event.Event) {
	if evt.Sender == a.me || a.history(evt) {
		return
	}
	if answer, _ := a.standing(evt.Sender); !answer {
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
	queued := a.queue.Do(string(evt.Sender), func() {
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
			return a.reply(ctx, evt, nil, "", m, r)
		})
	})
	if !queued { // the sender's queue is full: the work will not run
		a.work.Done()
		finished()
		a.dropped(ctx, evt)
	}
}

// onMember joins rooms Knoop is invited to by allowed users or servers,
// also invites that arrived while it was down (they come in the first
// sync), and forgets cached facts about rooms whose members change.
func (a *Adapter) onMember(ctx context.Context, evt *event.Event) {
	a.mu.Lock()
	delete(a.direct, evt.RoomID)
	delete(a.shared, evt.RoomID)
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
