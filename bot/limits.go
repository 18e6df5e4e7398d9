package bot

import (
	"context"
	"time"

	"knoop/bot/limit"
)

// DefaultEventTimeout is how long one message may take to be handled
// unless WithEventTimeout says otherwise.
const DefaultEventTimeout = 30 * time.Second

// WithEventTimeout bounds the handling of each message: past d its
// queries are cancelled (their transactions roll back, so nothing half
// done is kept) and the member gets an apology. d ≤ 0 keeps the default.
func WithEventTimeout(d time.Duration) Option {
	return func(b *Bot) {
		if d > 0 {
			b.eventTimeout = d
		}
	}
}

// deadline is ctx bounded by the bot's event timeout.
func (b *Bot) deadline(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, b.eventTimeout)
}

// RateLimit is the per-member limit on commands: PerMinute tokens a minute
// (and at most that many at once); a who-question costs WhoCost tokens,
// every other message one.
type RateLimit struct {
	PerMinute int // ≤ 0: no limit
	WhoCost   int // < 1: 1
}

// WithRateLimit limits how many messages a member gets answered. Past the
// limit a member gets one short "slow down" and then no answer at all
// until the bucket refills; nothing of what they sent is handled. It holds
// for every adapter, since every message passes Handle. Without this
// option nothing is limited.
func WithRateLimit(rl RateLimit) Option {
	return func(b *Bot) {
		b.limiter = limit.New(rl.PerMinute)
		b.whoCost = max(rl.WhoCost, 1)
	}
}

// limited reports whether msg is over its sender's limit, and the reply
// to give then: "slow down" the first time, nothing after. It reads no
// state from the store, so a flood costs no queries.
func (b *Bot) limited(msg Message, p Parsed) (Reply, bool) {
	if b.limiter == nil {
		return Reply{}, false
	}
	cost := 1
	if p.Command == cmdWho.Name {
		cost = b.whoCost
	}
	switch b.limiter.Take(msg.Platform+"\x00"+msg.UserID, cost, b.now()) {
	case limit.Warn:
		lang := fallbackLang(p.Lang, detectLang(p.Args), msg.Language)
		r := Reply{Lang: lang, Private: true}
		r.add(Text, tr(lang, "slow_down"))
		return r, true
	case limit.Drop:
		return Reply{}, true
	}
	return Reply{}, false
}
