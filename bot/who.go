package bot

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"knoop/store"
)

// maxExperts is how many members a who-answer lists.
const maxExperts = 5

var cmdWho = &Command{
	Name:      "who",
	EnAliases: []string{"whois", "expert", "experts", "find"},
	NlAliases: []string{"wie", "zoek", "vind"},
	Summary:   [2]string{"Find members who are good at something, with the evidence.", "Vind leden die ergens goed in zijn, met het bewijs."},
	Usage:     [2]string{"who <topic>", "wie <onderwerp>"},
	Examples: [2][]string{
		{"who cold chain logistics", "who is good at grant applications?", "does anyone know about LNG bunkering?"},
		{"wie koelketen", "wie is er goed in subsidieaanvragen?", "ken je iemand die verstand heeft van waterstof?"},
	},
}

var cmdAsk = &Command{
	Name:      "ask",
	NlAliases: []string{"vraag", "vraagstellen"},
	Summary:   [2]string{"Post a question to the whole network as an open ask (it goes into the next digest).", "Zet een vraag uit bij het hele netwerk (komt in de volgende digest)."},
	Usage:     [2]string{"ask <question>", "vraag <vraag>"},
	Examples:  [2][]string{{"ask who can review our hydrogen business case?"}, {"vraag wie kan onze waterstof-businesscase reviewen?"}},
}

var cmdAsks = &Command{
	Name:      "asks",
	NlAliases: []string{"vragen"},
	Summary:   [2]string{"List the network's open asks.", "Toon de open vragen van het netwerk."},
	Usage:     [2]string{"asks", "vragen"},
	Examples:  [2][]string{{"asks"}, {"vragen"}},
}

// ErrNoTopic is returned by Experts for a topic with no searchable words.
var ErrNoTopic = errors.New("no topic")

// Experts ranks a network's members for a who-topic (the arguments of a
// parsed who-command) exactly as the who-command does: the topic becomes
// concepts (words, phrases, bilingual synonyms) and the store ranks
// members on them. It returns at most limit experts; none means Knoop
// answers "nobody", which it does too when nobody matches the whole
// question (see answered). It returns ErrNoTopic when the topic has nothing to
// search for. The eval tool calls it to measure what members get.
func Experts(ctx context.Context, s *store.Store, networkID int64, topic string, now time.Time, limit int) (store.WhoResult, error) {
	cs := topicConcepts(cleanTopic(topic))
	if len(cs) == 0 {
		return store.WhoResult{}, ErrNoTopic
	}
	res, err := s.Who(ctx, networkID, cs, now, limit)
	if err != nil || !answered(res, cs) {
		return store.WhoResult{}, err
	}
	return res, nil
}

func runWho(c *call) Reply {
	topic := cleanTopic(c.args)
	res, err := Experts(c.ctx, c.b.store, c.net.ID, topic, c.now, maxExperts)
	if errors.Is(err, ErrNoTopic) {
		return c.say(tr(c.lang, "who_what"))
	}
	if err != nil {
		return c.fail(err)
	}
	topic = truncate(topic, 80)
	if len(res.Experts) == 0 {
		r := c.say(tr(c.lang, "who_nobody", topic))
		r.Actions = []Action{{Label: tr(c.lang, "who_post_ask"), Command: cmdAsk.Word(c.lang) + " " + questionFor(c.lang, topic), Primary: true}}
		return r
	}
	r := Reply{Lang: c.lang}
	r.add(Heading, tr(c.lang, "who_heading", topic))
	today := c.today()
	for _, e := range res.Experts {
		line := e.Member.DisplayName
		if e.Member.OrgName != "" {
			line += " — " + e.Member.OrgName
		}
		if e.Member.Away(today) {
			line += " " + tr(c.lang, "away_mark", c.fmtDate(e.Member.AwayUntil))
		}
		r.Blocks = append(r.Blocks, c.memberBlock(Item, line, e.Member))
		r.add(Context, c.why(e.Evidence))
	}
	if len(res.Orgs) > 0 {
		parts := make([]string, len(res.Orgs))
		for i, o := range res.Orgs {
			if o.Members == 1 {
				parts[i] = tr(c.lang, "who_org_one", o.Name)
			} else {
				parts[i] = tr(c.lang, "who_org_item", o.Name, o.Members)
			}
		}
		r.add(Text, tr(c.lang, "who_orgs", strings.Join(parts, ", ")))
	}
	c.offerIntros(&r, topic, res.Experts)
	return r
}

// why summarises a member's matching evidence in one line:
// declared: koelketen · delivered "cold-chain pilot" (Oct 2026) · endorsed by 3.
func (c *call) why(hits []store.Hit) string {
	var declared, delivered []store.Hit
	endorsed := 0
	for _, h := range hits {
		switch h.Kind {
		case store.KindDeclared:
			declared = append(declared, h)
		case store.KindDelivered:
			delivered = append(delivered, h)
		case store.KindEndorsed:
			endorsed++
		}
	}
	sort.Slice(delivered, func(i, j int) bool { return delivered[i].At.After(delivered[j].At) })
	var parts []string
	if len(declared) > 0 {
		names := make([]string, 0, 3)
		for i, h := range declared {
			if i == 3 {
				break
			}
			names = append(names, h.Text)
		}
		parts = append(parts, tr(c.lang, "why_declared", strings.Join(names, ", ")))
	}
	for i, h := range delivered {
		if i == 2 {
			break
		}
		parts = append(parts, tr(c.lang, "why_delivered", truncate(h.Text, 60), c.fmtMonth(h.At)))
	}
	if endorsed > 0 {
		parts = append(parts, tr(c.lang, "why_endorsed", endorsed))
	}
	return strings.Join(parts, " · ")
}

func questionFor(lang, topic string) string {
	if lang == NL {
		return "wie is er goed in " + topic + "?"
	}
	return "who is good at " + topic + "?"
}

func runAsk(c *call) Reply {
	q := strings.TrimSpace(c.args)
	if q == "" {
		return c.say(tr(c.lang, "ask_what"))
	}
	if len([]rune(q)) > maxTextLen {
		return c.say(tr(c.lang, "text_too_long", maxTextLen))
	}
	a, err := c.b.store.AddAsk(c.ctx, c.net.ID, c.me.ID, q, c.now)
	if err != nil {
		return c.fail(err)
	}
	return c.say(tr(c.lang, "ask_recorded", a.No, q))
}

func runAsks(c *call) Reply {
	asks, err := c.b.store.OpenAsks(c.ctx, c.net.ID)
	if err != nil {
		return c.fail(err)
	}
	if len(asks) == 0 {
		return c.say(tr(c.lang, "asks_none", cmdAsk.Word(c.lang)))
	}
	r := Reply{Lang: c.lang}
	r.add(Heading, tr(c.lang, "asks_heading", len(asks)))
	for _, a := range asks {
		by := a.AskedBy
		if by == "" {
			by = tr(c.lang, "former_member")
		}
		r.add(Item, fmt.Sprintf("#%d %s — %s, %s", a.No, a.Text, by, c.fmtDate(a.CreatedAt.In(c.loc))))
	}
	return r
}

// memberBlock is a block about a member, carrying their platform id when
// the conversation is on their platform so adapters can mention them.
func (c *call) memberBlock(kind BlockKind, text string, m store.Member) Block {
	b := Block{Kind: kind, Text: text}
	if m.Platform == c.msg.Platform && m.PlatformUserID != "" && m.DisplayName != "" && strings.HasPrefix(text, m.DisplayName) {
		b.Member, b.Name = m.PlatformUserID, m.DisplayName
	}
	return b
}
