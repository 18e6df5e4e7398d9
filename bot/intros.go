package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"knoop/bot/intro"
	"knoop/store"
)

// Introductions: after a who-answer a member asks Knoop to introduce them
// to one of the members listed ("intro 2"), or to anyone by name ("intro
// @anna cold chain"). The expert gets a private message with Accept · Not
// now; on accept Knoop opens a conversation for both, on "not now" the
// asker is told kindly and offered the next member of the answer. The
// rules (states, weekly limit, who comes next) are in package intro.

var cmdIntro = &Command{
	Name:      "intro",
	EnAliases: []string{"introduce"},
	NlAliases: []string{"voorstellen", "introduceer"},
	Summary:   [2]string{"Ask Knoop to introduce you to a member (after a who-answer, or by name).", "Vraag Knoop je voor te stellen aan een lid (na een wie-antwoord, of op naam)."},
	Usage:     [2]string{"intro <number> [note] · intro @member <topic>[: note]", "voorstellen <nummer> [notitie] · voorstellen @lid <onderwerp>[: notitie]"},
	Examples: [2][]string{
		{"intro 2", "intro 1 we are piloting reefer containers", "intro @anna cold chain: we need advice on reefers"},
		{"voorstellen 2", "voorstellen @anna koelketen: we zoeken advies over koelcontainers"},
	},
}

var cmdIntros = &Command{
	Name:      "intros",
	NlAliases: []string{"introducties", "kennismakingen"},
	Summary:   [2]string{"Your introductions, open and past; `intros off` stops requests to you.", "Jouw introducties, open en eerdere; `introducties uit` stopt verzoeken aan jou."},
	Usage:     [2]string{"intros [on|off]", "introducties [aan|uit]"},
	Examples:  [2][]string{{"intros", "intros off"}, {"introducties", "introducties uit"}},
}

func init() {
	cmdIntro.run = runIntro
	cmdIntros.run = runIntros
	for k, v := range introCatalog {
		catalog[k] = v
	}
}

// introSetup is the bot's introduction configuration.
type introSetup struct {
	adapters map[string]Adapter
	limit    int // open requests per expert per week; 0: intro.DefaultWeeklyLimit
}

// WithAdapters gives the bot the platforms it sends introductions through
// (the expert's request, the conversation for both). Without one for a
// member's platform Knoop says it cannot reach them and records nothing.
func WithAdapters(as ...Adapter) Option {
	return func(b *Bot) {
		if b.intros == nil {
			b.intros = &introSetup{adapters: map[string]Adapter{}}
		}
		for _, a := range as {
			b.intros.adapters[a.Name()] = a
		}
	}
}

// WithIntroLimit sets how many open introduction requests an expert gets
// per week (default intro.DefaultWeeklyLimit).
func WithIntroLimit(n int) Option {
	return func(b *Bot) {
		if b.intros == nil {
			b.intros = &introSetup{adapters: map[string]Adapter{}}
		}
		b.intros.limit = n
	}
}

var errNoRoute = errors.New("no adapter for the member's platform")

// sendTo sends r privately to m.
func (b *Bot) sendTo(ctx context.Context, m store.Member, r Reply, key string) error {
	if b.intros == nil || m.PlatformUserID == "" || m.Forgotten {
		return errNoRoute
	}
	a, ok := b.intros.adapters[m.Platform]
	if !ok {
		return errNoRoute
	}
	r.Private = true
	return a.Send(ctx, Target{Platform: m.Platform, UserID: m.PlatformUserID, Key: key}, r)
}

// openConversation starts a conversation for x and y with r: one
// conversation for both where the platform can (ConversationOpener), else
// r to each privately.
func (b *Bot) openConversation(ctx context.Context, title string, x, y store.Member, r Reply, key string) error {
	if b.intros != nil && x.Platform == y.Platform && x.PlatformUserID != "" && y.PlatformUserID != "" {
		if o, ok := b.intros.adapters[x.Platform].(ConversationOpener); ok {
			return o.OpenConversation(ctx, title, []string{x.PlatformUserID, y.PlatformUserID}, r)
		}
	}
	if err := b.sendTo(ctx, x, r, key+"-a"); err != nil {
		return err
	}
	return b.sendTo(ctx, y, r, key+"-b")
}

// forMember is a call speaking to m (their language, else lang, and their
// zone), for messages Knoop sends them on someone else's command.
func (c *call) forMember(m store.Member, lang string) *call {
	o := *c
	o.me = m
	o.lang = fallbackLang(m.Language, lang, c.net.Language)
	o.loc = o.location()
	o.now = c.now.In(o.loc)
	return &o
}

// nameOrg is "Anna (Port of Rotterdam)", or just the name.
func nameOrg(m store.Member) string {
	if m.OrgName == "" {
		return m.DisplayName
	}
	return m.DisplayName + " (" + m.OrgName + ")"
}

// runIntro answers privately: a request is for the two people only.
func runIntro(c *call) Reply {
	r := intro1(c)
	r.Private = true
	return r
}

func intro1(c *call) Reply {
	args := strings.TrimSpace(c.args)
	first, rest, _ := strings.Cut(args, " ")
	rest = strings.TrimSpace(rest)
	switch w := strings.ToLower(first); {
	case w == "":
		return c.say(tr(c.lang, "usage", c.cmd.Usage[li(c.lang)]))
	case acceptWords[w]:
		return c.decideIntro(intro.Accept, rest)
	case notNowWords[w]:
		return c.decideIntro(intro.NotNow, rest)
	case (w == "not" || w == "niet") && len(rest) > 0:
		now, id, _ := strings.Cut(rest, " ")
		if now = strings.ToLower(now); now == "now" || now == "nu" {
			return c.decideIntro(intro.NotNow, strings.TrimSpace(id))
		}
	case isNumber(first):
		return c.introFromAnswer(first, rest)
	}
	topic, note, _ := strings.Cut(rest, ":")
	topic, note = strings.TrimSpace(topic), strings.TrimSpace(note)
	if topic == "" {
		return c.say(tr(c.lang, "usage", c.cmd.Usage[li(c.lang)]))
	}
	m, r := c.resolve(first)
	if r != nil {
		return *r
	}
	return c.requestIntro(m, topic, note, nil)
}

var (
	acceptWords = map[string]bool{"accept": true, "yes": true, "accepteer": true, "accepteren": true, "ja": true}
	notNowWords = map[string]bool{"notnow": true, "not-now": true, "later": true, "nietnu": true, "niet-nu": true}
)

func (c *call) introFromAnswer(num, note string) Reply {
	topic, members, err := c.b.store.IntroOffer(c.ctx, c.me.ID, c.now.Add(-intro.OfferTTL))
	if errors.Is(err, store.ErrNotFound) {
		return c.say(tr(c.lang, "intro_no_answer", cmdWho.Word(c.lang), c.cmd.Word(c.lang)))
	}
	if err != nil {
		return c.fail(err)
	}
	n, _ := strconv.Atoi(strings.TrimPrefix(num, "#"))
	if n < 1 || n > len(members) {
		return c.say(tr(c.lang, "intro_bad_number", len(members)))
	}
	m, err := c.b.store.Member(c.ctx, members[n-1])
	if err != nil {
		return c.fail(err)
	}
	return c.requestIntro(m, topic, note, members[n:])
}

// candidates are the members of ids as far as offering them goes.
func (c *call) candidates(ids []int64) ([]intro.Candidate, map[int64]store.Member, error) {
	found, err := c.b.store.IntroCandidates(c.ctx, ids, c.now.Add(-intro.Window))
	if err != nil {
		return nil, nil, err
	}
	cands, ms := c.introCandidates(ids, found)
	return cands, ms, nil
}

// introCandidates orders what the store found by ids and decides who can
// be asked now.
func (c *call) introCandidates(ids []int64, found map[int64]store.IntroCandidate) ([]intro.Candidate, map[int64]store.Member) {
	limit := 0
	if c.b.intros != nil {
		limit = c.b.intros.limit
	}
	out := make([]intro.Candidate, 0, len(ids))
	ms := make(map[int64]store.Member, len(ids))
	for _, id := range ids {
		f, ok := found[id]
		if !ok {
			continue
		}
		m := f.Member
		ms[id] = m
		out = append(out, intro.Candidate{ID: id, Off: f.Off || m.Forgotten, Away: m.Away(c.forMember(m, "").today()), Full: intro.Full(f.Open, limit)})
	}
	return out, ms
}

// requestIntro asks expert m, on behalf of the caller, for an introduction
// about topic. rest is what is left of the who-answer, offered when m
// cannot be asked.
func (c *call) requestIntro(m store.Member, topic, note string, rest []int64) Reply {
	topic = truncate(topic, 80)
	if len([]rune(note)) > maxTextLen {
		return c.say(tr(c.lang, "text_too_long", maxTextLen))
	}
	if m.ID == c.me.ID {
		return c.say(tr(c.lang, "intro_self"))
	}
	cands, _, err := c.candidates([]int64{m.ID})
	if err != nil {
		return c.fail(err)
	}
	if len(cands) == 0 || m.Forgotten {
		return c.say(tr(c.lang, "not_found"))
	}
	if cd := cands[0]; !cd.Available() {
		key := "intro_full"
		switch {
		case cd.Off:
			key = "intro_off"
		case cd.Away:
			key = "intro_away"
		}
		r := c.say(tr(c.lang, key, m.DisplayName))
		c.offerNext(&r, topic, rest, nil)
		return r
	}
	in, err := c.b.store.AddIntro(c.ctx, store.Intro{NetworkID: c.net.ID, AskerID: c.me.ID, ExpertID: m.ID,
		Topic: topic, Note: note, Lang: c.lang, Rest: rest, CreatedAt: c.now})
	if errors.Is(err, store.ErrConflict) {
		return c.say(tr(c.lang, "intro_again", m.DisplayName))
	}
	if err != nil {
		return c.fail(err)
	}
	if err := c.b.sendTo(c.ctx, m, c.forMember(m, in.Lang).introRequest(in, c.me), fmt.Sprintf("intro-%d", in.ID)); err != nil {
		c.b.log.WarnContext(c.ctx, "introduction request not delivered", "intro", in.ID, "err", err)
		if err := c.b.store.DeleteIntro(c.ctx, in.ID); err != nil {
			c.b.log.ErrorContext(c.ctx, "delete undelivered introduction", "intro", in.ID, "err", err)
		}
		return c.say(tr(c.lang, "intro_unreachable", m.DisplayName))
	}
	return c.say(tr(c.lang, "intro_sent", nameOrg(m), topic))
}

// introRequest is the private message to the expert (c speaks to them).
func (c *call) introRequest(in store.Intro, asker store.Member) Reply {
	r := Reply{Lang: c.lang, Private: true}
	r.add(Text, tr(c.lang, "intro_request", nameOrg(asker), in.Topic))
	if in.Note != "" {
		r.add(Text, tr(c.lang, "intro_note", in.Note))
	}
	if res, err := Experts(c.ctx, c.b.store, c.net.ID, in.Topic, c.now, 20); err == nil {
		for _, e := range res.Experts {
			if e.Member.ID == in.ExpertID {
				if why := c.why(e); why != "" {
					r.add(Context, tr(c.lang, "intro_why", why))
				}
			}
		}
	}
	r.add(Context, tr(c.lang, "intro_private", asker.DisplayName))
	id := strconv.FormatInt(in.ID, 10)
	r.Actions = []Action{
		{Label: tr(c.lang, "intro_accept"), Command: cmdIntro.Word(c.lang) + " " + tr(c.lang, "intro_accept_word") + " " + id, Primary: true},
		{Label: tr(c.lang, "intro_notnow"), Command: cmdIntro.Word(c.lang) + " " + tr(c.lang, "intro_notnow_word") + " " + id},
	}
	return r
}

func (c *call) decideIntro(ev intro.Event, arg string) Reply {
	if !isNumber(arg) {
		return c.say(tr(c.lang, "usage", c.cmd.Usage[li(c.lang)]))
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(arg, "#"), 10, 64)
	in, err := c.b.store.IntroByID(c.ctx, c.net.ID, id)
	if err != nil {
		return c.fail(err)
	}
	to, err := intro.Next(intro.Status(in.Status), ev, c.me.ID, in.ExpertID)
	switch {
	case errors.Is(err, intro.ErrNotYours):
		return c.say(tr(c.lang, "not_found")) // private to the two: no hint it exists
	case errors.Is(err, intro.ErrDecided):
		return c.say(tr(c.lang, "intro_decided"))
	}
	asker, err := c.b.store.Member(c.ctx, in.AskerID)
	if err != nil {
		return c.fail(err)
	}
	if err := c.b.store.DecideIntro(c.ctx, in.ID, string(to), c.now); errors.Is(err, store.ErrChanged) {
		return c.say(tr(c.lang, "intro_decided"))
	} else if err != nil {
		return c.fail(err)
	}
	ac := c.forMember(asker, in.Lang)
	key := fmt.Sprintf("intro-%d-%s", in.ID, to)
	if to == intro.Accepted {
		if err := c.b.openConversation(c.ctx, in.Topic, asker, c.me, ac.introduction(in, asker, c.me), key); err != nil {
			c.b.log.WarnContext(c.ctx, "introduction conversation not opened", "intro", in.ID, "err", err)
			return c.say(tr(c.lang, "intro_open_failed", asker.DisplayName))
		}
		return c.say(tr(c.lang, "intro_accepted", asker.DisplayName))
	}
	r := Reply{Lang: ac.lang}
	r.add(Text, tr(ac.lang, "intro_declined", c.me.DisplayName, in.Topic))
	ac.offerNext(&r, in.Topic, in.Rest, map[int64]bool{c.me.ID: true})
	if err := c.b.sendTo(c.ctx, asker, r, key); err != nil {
		c.b.log.WarnContext(c.ctx, "introduction answer not delivered", "intro", in.ID, "err", err)
	}
	return c.say(tr(c.lang, "intro_declined_you", asker.DisplayName))
}

// introduction is the message opening the conversation, in the asker's
// words (c speaks to the asker).
func (c *call) introduction(in store.Intro, asker, expert store.Member) Reply {
	r := Reply{Lang: c.lang}
	r.add(Heading, tr(c.lang, "intro_meet", nameOrg(asker), nameOrg(expert)))
	r.add(Text, tr(c.lang, "intro_meet_body", asker.DisplayName, in.Topic, expert.DisplayName))
	if in.Note != "" {
		r.add(Text, tr(c.lang, "intro_note", in.Note))
	}
	return r
}

// offerNext adds to r the next member of a who-answer who can be asked,
// remembering the rest as the caller's answer so "intro 1" asks them.
func (c *call) offerNext(r *Reply, topic string, rest []int64, tried map[int64]bool) {
	if len(rest) == 0 {
		return
	}
	cands, ms, err := c.candidates(rest)
	if err != nil {
		c.b.log.WarnContext(c.ctx, "next introduction", "err", err)
		return
	}
	next, after, ok := intro.Pick(cands, c.me.ID, tried)
	if !ok {
		return
	}
	ids := []int64{next.ID}
	for _, a := range after {
		ids = append(ids, a.ID)
	}
	if err := c.b.store.SaveIntroOffer(c.ctx, c.me.ID, topic, ids, c.now); err != nil {
		c.b.log.WarnContext(c.ctx, "save introduction offer", "err", err)
		return
	}
	m := ms[next.ID]
	r.add(Text, tr(c.lang, "intro_next", nameOrg(m)))
	r.Actions = append(r.Actions, Action{Label: tr(c.lang, "intro_offer", m.DisplayName), Command: cmdIntro.Word(c.lang) + " 1", Primary: true})
}

// offerIntros remembers a who-answer for "intro N" and offers an
// introduction to each listed member who can be asked now.
func (c *call) offerIntros(r *Reply, topic string, experts []store.Expert) {
	ids := make([]int64, len(experts))
	for i, e := range experts {
		ids[i] = e.Member.ID
	}
	found, err := c.b.store.OfferIntros(c.ctx, c.me.ID, topic, ids, c.now, c.now.Add(-intro.Window))
	if err != nil {
		c.b.log.WarnContext(c.ctx, "introduction offers", "err", err)
		return
	}
	cands, ms := c.introCandidates(ids, found)
	byID := make(map[int64]intro.Candidate, len(cands))
	for _, cd := range cands {
		byID[cd.ID] = cd
	}
	for i, id := range ids {
		if cd, ok := byID[id]; !ok || id == c.me.ID || !cd.Available() {
			continue
		}
		r.Actions = append(r.Actions, Action{Label: tr(c.lang, "intro_offer", ms[id].DisplayName),
			Command: cmdIntro.Word(c.lang) + " " + strconv.Itoa(i+1)})
	}
}
