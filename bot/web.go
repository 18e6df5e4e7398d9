package bot

import (
	"context"
	"errors"
	"strings"

	"knoop/store"
)

// The network page (adapters/web) is served beside the chat; the core's
// part is small: the `web` command mints a personal sign-in link and
// `web signout` ends every session of the member.

var cmdWeb = &Command{
	Name:      "web",
	EnAliases: []string{"website"},
	NlAliases: []string{"web", "webpagina", "netwerkpagina"},
	Summary: [2]string{"Get a personal link to the network page (sent privately, works once, for 15 minutes); `web signout` signs you out everywhere.",
		"Krijg een persoonlijke link naar de netwerkpagina (privé, werkt één keer, 15 minuten); `web afmelden` meldt je overal af."},
	Usage:    [2]string{"web [signout]", "web [afmelden]"},
	Examples: [2][]string{{"web", "web signout"}, {"web", "web afmelden"}},
}

var (
	signoutWords   = set("signout", "sign-out", "logout", "log-out", "off", "afmelden", "uitloggen", "uit")
	signoutWordsNL = set("afmelden", "uitloggen", "uit")
)

func init() {
	for k, v := range map[string][2]string{
		"web_link": {"Your personal link to the network page (it works once, for 15 minutes; don't share it): %s",
			"Je persoonlijke link naar de netwerkpagina (werkt één keer, 15 minuten; deel hem niet): %s"},
		"web_off": {"The network page is not switched on here. An operator turns it on with `[web] listen` in the configuration.",
			"De netwerkpagina staat hier niet aan. Een beheerder zet hem aan met `[web] listen` in de configuratie."},
		"web_signed_out": {"Signed out of the network page in every browser (%d sessions ended).",
			"Afgemeld van de netwerkpagina in elke browser (%d sessies beëindigd)."},
		"web_signed_out_none": {"You were not signed in to the network page; nothing changed.",
			"Je was niet aangemeld op de netwerkpagina; er is niets veranderd."},
	} {
		catalog[k] = v
	}
}

// ErrWebOff is returned by WebLink when the bot has no page URL.
var ErrWebOff = errors.New("the network page is not enabled")

// WithWebURL sets the network page's base URL (no trailing slash), e.g.
// https://knoop.example.org; empty (the default) means there is no page
// and `web` says so.
func WithWebURL(base string) Option {
	return func(b *Bot) { b.webURL = strings.TrimRight(base, "/") }
}

// WebLink mints a sign-in link for the member msg comes from, as the
// `web` command does; the console prints one at start. It creates the
// network and member on first contact, like Handle.
func (b *Bot) WebLink(ctx context.Context, msg Message) (string, error) {
	c := &call{ctx: ctx, b: b, msg: msg, now: b.now()}
	if err := c.load(nil); err != nil {
		return "", err
	}
	return c.webLink()
}

func (c *call) webLink() (string, error) {
	if c.b.webURL == "" {
		return "", ErrWebOff
	}
	tok, err := c.b.store.NewSignInLink(c.ctx, c.me.ID, isGuest(c.msg), c.now)
	if err != nil {
		return "", err
	}
	return c.b.webURL + "/signin?t=" + tok, nil
}

// isGuest reports whether the member speaks as a guest (Message.Guest,
// set by the adapter); the session records it, so the page shows a guest
// what a guest sees.
func isGuest(msg Message) bool { return msg.Guest }

func runWeb(c *call) Reply {
	if w := strings.ToLower(strings.TrimSpace(c.args)); w != "" && signoutWords[w] {
		if signoutWordsNL[w] {
			c.lang = NL
		}
		n, err := c.b.store.RevokeWebAccess(c.ctx, c.me.ID)
		if err != nil {
			return c.fail(err)
		}
		r := c.say(tr(c.lang, "web_signed_out", n))
		if n == 0 {
			r = c.say(tr(c.lang, "web_signed_out_none"))
		}
		r.Private = true
		return r
	}
	link, err := c.webLink()
	if errors.Is(err, ErrWebOff) {
		return c.say(tr(c.lang, "web_off"))
	}
	if errors.Is(err, store.ErrNotFound) {
		return c.say(tr(c.lang, "not_found"))
	}
	if err != nil {
		return c.fail(err)
	}
	r := c.say(tr(c.lang, "web_link", link))
	r.Private = true
	return r
}
