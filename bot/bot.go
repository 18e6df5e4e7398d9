package bot

import (
	"context"
	"errors"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"knoop/bot/limit"
	"knoop/bot/metrics"
	"knoop/bot/question"
	"knoop/store"
)

// Bot answers members' messages. It is safe for concurrent use: every
// message is handled on its own with state read from and written to the
// store.
type Bot struct {
	store    *store.Store
	log      *slog.Logger
	now      func() time.Time
	defaults store.NetworkDefaults
	// networks caches room → network. A room never moves to another
	// network, and the fields read from the cached copy (timezone,
	// language) are set when the network is created; the charter is read
	// fresh where it is shown.
	networks sync.Map
	// nudgeLead is how many working days before a due date the first
	// reminder comes; calendar says which days are working days.
	nudgeLead int
	calendar  *Calendar
	metrics   *metrics.Metrics // nil: not counted
	limiter   *limit.Limiter   // nil: no rate limit
	whoCost   int
	// eventTimeout bounds the handling of one message.
	eventTimeout time.Duration
	webURL       string      // the network page's base URL; empty: no page
	intros       *introSetup // nil: introductions cannot be delivered
}

// Option configures a Bot.
type Option func(*Bot)

// WithClock injects the clock (tests move time without sleeping).
func WithClock(now func() time.Time) Option { return func(b *Bot) { b.now = now } }

// WithNetworkDefaults sets the timezone and language of networks created
// when Knoop first hears from a room.
func WithNetworkDefaults(timezone, language string) Option {
	return func(b *Bot) { b.defaults = store.NetworkDefaults{Timezone: timezone, Language: language} }
}

// WithNudgeLead sets how many working days before a due date the first
// reminder comes (default 2).
func WithNudgeLead(days int) Option { return func(b *Bot) { b.nudgeLead = days } }

// WithCalendar sets the working-day calendar (default: Dutch public
// holidays).
func WithCalendar(c *Calendar) Option { return func(b *Bot) { b.calendar = c } }

// New returns a bot on s.
func New(s *store.Store, log *slog.Logger, opts ...Option) *Bot {
	b := &Bot{store: s, log: log, now: time.Now, nudgeLead: 2, calendar: DutchCalendar(), eventTimeout: DefaultEventTimeout}
	for _, o := range opts {
		o(b)
	}
	return b
}

var _ Handler = (*Bot)(nil)

// call is one message being handled.
type call struct {
	ctx    context.Context
	b      *Bot
	msg    Message
	net    store.Network
	me     store.Member
	lang   string
	loc    *time.Location
	now    time.Time
	args   string
	cmd    *Command
	parsed Parsed
}

// Handle answers one message. Everything the reply says was saved is
// committed before Handle returns. It never panics: a failure is logged
// with its cause and the member gets a short apology.
func (b *Bot) Handle(ctx context.Context, msg Message) (reply Reply) {
	return b.handle(ctx, msg, nil)
}

// known is what HandleEvent read before the command: the room's network
// and the member's stored row (found false: not stored yet).
type known struct {
	net   store.Network
	me    store.Member
	found bool
}

func (b *Bot) handle(ctx context.Context, msg Message, k *known) (reply Reply) {
	lang := msg.Language
	ctx, cancel := b.deadline(ctx)
	defer cancel()
	b.metrics.MessageIn(msg.Platform)
	defer func() {
		if p := recover(); p != nil {
			b.metrics.Error("panic")
			b.log.ErrorContext(ctx, "panic handling message", "panic", p, "platform", msg.Platform, "stack", string(debug.Stack()))
			reply = Reply{Lang: lang}
			reply.add(Text, tr(lang, "internal_error"))
		}
		if !reply.IsZero() {
			b.metrics.ReplyOut(msg.Platform)
		}
	}()
	text, ok := Clean(msg.Text)
	if !ok {
		lang = fallbackLang(lang, "")
		r := Reply{Lang: lang}
		r.add(Text, tr(lang, "too_long", MaxMessageBytes))
		return r
	}
	if msg.Guest {
		msg.Coordinator = false // rights are for the network's own members
	}
	p := Parse(text)
	if r, over := b.limited(msg, p); over {
		return r
	}
	c := &call{ctx: ctx, b: b, msg: msg, parsed: p, args: p.Args, now: b.now()}
	if err := c.load(k); err != nil {
		b.metrics.Error("load")
		b.log.ErrorContext(ctx, "load member", "err", err, "platform", msg.Platform)
		r := Reply{Lang: fallbackLang(lang, p.Lang)}
		r.add(Text, tr(r.Lang, "internal_error"))
		return r
	}
	c.lang = fallbackLang(p.Lang, detectLang(p.Args), c.me.Language, msg.Language, c.net.Language)
	if p.Command == "" {
		return c.unknown(text)
	}
	c.cmd, _, _ = lookup(p.Command)
	// Showing a goal ("goal 2") is for everyone; every other use of a
	// coordinator command with arguments changes something.
	if c.cmd.Coordinator && !msg.Coordinator && c.args != "" && !(c.cmd == cmdGoal && isNumber(c.args)) {
		return c.say(tr(c.lang, "coordinators_only", c.cmd.Word(c.lang)))
	}
	start := time.Now()
	r := c.cmd.run(c)
	took := time.Since(start)
	b.metrics.Command(c.cmd.Name, took)
	if b.log.Enabled(ctx, slog.LevelDebug) { // the arguments cost allocations at any level
		b.log.DebugContext(ctx, "command handled", "platform", msg.Platform, "command", c.cmd.Name, "duration", took)
	}
	if c.cmd == cmdWho {
		b.metrics.WhoQuery(took)
	}
	if r.Lang == "" {
		r.Lang = c.lang
	}
	if (msg.Guest || msg.Shared) && !msg.Direct && c.cmd.NetworkWide {
		// What the network's members said and did reaches a guest, or a
		// room guests read, only privately (Slack: shown to the asker
		// only; Matrix: their direct room).
		r.Private = true
	}
	return r
}

// load finds the network and member for the message, creating them on
// first contact. k, when given, holds what was read already.
func (c *call) load(k *known) error {
	var (
		me  store.Member
		err error
	)
	if k != nil {
		c.net = k.net
		me = k.me
	} else {
		if c.net, err = c.b.roomNetwork(c.ctx, c.msg); err != nil {
			return err
		}
	}
	// Names come from the platform as their owner typed them.
	name := cleanName(c.msg.UserName, MaxNameLen)
	if k == nil || !k.found || (name != "" && name != me.DisplayName) {
		me, err = c.b.store.EnsureMemberAt(c.ctx, c.net.ID, c.msg.Platform, c.msg.UserID, name, c.now)
		if err != nil {
			return err
		}
	}
	if org := cleanName(c.msg.OrgHint, maxOrgLen); me.OrgID == 0 && org != "" {
		if _, err := c.b.store.SetOrganisation(c.ctx, me.ID, org); err != nil {
			return err
		}
		if me, err = c.b.store.Member(c.ctx, me.ID); err != nil {
			return err
		}
	}
	if me.Timezone == "" && c.msg.Timezone != "" {
		if _, err := time.LoadLocation(c.msg.Timezone); err == nil {
			if err := c.b.store.SetMemberPrefs(c.ctx, me.ID, c.msg.Timezone, ""); err != nil {
				return err
			}
			me.Timezone = c.msg.Timezone
		}
	}
	c.me = me
	c.loc = c.location()
	c.now = c.now.In(c.loc)
	return nil
}

// roomNetwork is network through the room → network cache. A room never
// moves to another network, and the fields read from the cached copy
// (timezone, language) are set when the network is created; the charter
// is read fresh where it is shown.
func (b *Bot) roomNetwork(ctx context.Context, msg Message) (store.Network, error) {
	key := msg.Platform + "\x00" + msg.RoomID
	if v, ok := b.networks.Load(key); ok {
		return v.(store.Network), nil
	}
	net, err := b.network(ctx, msg)
	if err != nil {
		return store.Network{}, err
	}
	b.networks.Store(key, net)
	return net, nil
}

// network finds the network of the message's room. A room seen for the
// first time with a Network key joins that key's network.
func (b *Bot) network(ctx context.Context, msg Message) (store.Network, error) {
	if msg.Network == "" {
		return b.store.NetworkForRoom(ctx, msg.Platform, msg.RoomID, b.defaults)
	}
	net, err := b.store.NetworkForRoom(ctx, msg.Platform, msg.Network, b.defaults)
	if err != nil {
		return store.Network{}, err
	}
	// A room already in a network stays there.
	return b.store.JoinNetwork(ctx, net, msg.Platform, msg.RoomID)
}

func (c *call) location() *time.Location {
	for _, name := range []string{c.me.Timezone, c.net.Timezone} {
		if name == "" {
			continue
		}
		if loc, err := time.LoadLocation(name); err == nil {
			return loc
		}
	}
	return time.UTC
}

// today is the member's current date in their zone, as a civil date.
func (c *call) today() time.Time { return civil(c.now) }

// civil turns a time into its calendar day, as midnight UTC. Due dates,
// away dates and "today" are all civil dates, so comparing them never
// depends on a zone offset.
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func fallbackLang(langs ...string) string {
	for _, l := range langs {
		if l == EN || l == NL {
			return l
		}
	}
	return EN
}

// say is a one-paragraph reply.
func (c *call) say(text string) Reply {
	r := Reply{Lang: c.lang}
	r.add(Text, text)
	return r
}

// fail turns an error into a reply. Store sentinels get their own words;
// anything else is logged and answered with an apology, never the error
// text itself.
func (c *call) fail(err error) Reply {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return c.say(tr(c.lang, "not_found"))
	case errors.Is(err, context.Canceled):
		return c.say(tr(c.lang, "internal_error"))
	}
	c.b.metrics.Error("command")
	c.b.log.ErrorContext(c.ctx, "command failed", "command", c.cmd.Name, "err", err, "platform", c.msg.Platform)
	return c.say(tr(c.lang, "internal_error"))
}

func (c *call) unknown(text string) Reply {
	if c.parsed.Word == "" {
		return c.say(tr(c.lang, "empty"))
	}
	if c.parsed.Social != "" {
		return c.social()
	}
	if c.parsed.Lang == "" {
		// Common words did not tell; the words around questions may.
		if l := question.Lang(text); l != "" {
			c.lang = l
		}
	}
	if s := Suggest(c.parsed.Word); s != "" {
		cmd, lang, _ := lookup(s)
		// The line's own language wins; the suggested word's only when
		// the line tells none ("hlep" has no language, "toezegen" is Dutch).
		if c.parsed.Lang == "" && lang != "" {
			c.lang = lang
		}
		r := c.say(tr(c.lang, "unknown_suggest", truncate(c.parsed.Word, 40), s))
		r.Actions = []Action{{Label: tr(c.lang, "help_for", s), Command: cmdHelp.Word(c.lang) + " " + cmd.Word(c.lang)}}
		return r
	}
	// A question we could not place is most likely a who-question.
	if len([]rune(text)) > 0 && text[len(text)-1] == '?' {
		return c.say(tr(c.lang, "unknown_question", cmdWho.Word(c.lang)))
	}
	return c.say(tr(c.lang, "unknown", cmdHelp.Word(c.lang)))
}

// social answers small talk like a colleague would, with one thing to try.
func (c *call) social() Reply {
	example := cmdWho.Examples[li(c.lang)][1]
	switch c.parsed.Social {
	case question.Greeting:
		return c.say(tr(c.lang, "hello", example))
	case question.Thanks:
		return c.say(tr(c.lang, "thanks", example))
	}
	return c.say(tr(c.lang, "about", example, cmdHelp.Word(c.lang)))
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// isNumber reports whether s is a short number ("2", "#2"): showing goal 2
// is for everyone, changing things is for coordinators.
func isNumber(s string) bool {
	s = strings.TrimPrefix(strings.TrimSpace(s), "#")
	if s == "" || len(s) > 9 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
