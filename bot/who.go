package bot

import (
	"context"
	"errors"
	"fmt"
	"math/bits"
	"slices"
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
//
// Each expert's Basis says whether they were found by the asked words
// (and the network's vocabulary), by a general translation, or by
// inference, and Via which translated or related words matched.
func Experts(ctx context.Context, s *store.Store, networkID int64, topic string, now time.Time, limit int) (store.WhoResult, error) {
	cs, srcs, units := expandTopic(cleanTopic(topic))
	if len(cs) == 0 {
		return store.WhoResult{}, ErrNoTopic
	}
	res, err := s.Who(ctx, networkID, cs, now, limit)
	if err != nil {
		return store.WhoResult{}, err
	}
	if !answered(res, cs) {
		return partial(res, cs, units), nil
	}
	if len(res.Experts) < limit {
		if more, mcs, msrcs, err := infer(ctx, s, networkID, res, cs, srcs, now, limit); err != nil {
			return store.WhoResult{}, err
		} else if more != nil {
			res, cs, srcs = *more, mcs, msrcs
		}
	}
	label(res.Experts, cs, srcs)
	return res, nil
}

// Inference (pseudo-relevance feedback) bounds: how many of the direct
// experts seed it, how many of them must share a word for it to count as
// related, and how many related words are added.
const (
	inferSeeds      = 5
	inferMinShared  = 2
	inferMaxRelated = 4
)

// infer widens a short answer with the network's own knowledge: the words
// that several of the direct experts (those matching the whole question)
// share in their evidence besides the asked ones are searched too, at a
// low weight, so members who never wrote the asked words but share the
// experts' other skills rank below the direct ones. It returns nil when
// there is nothing to add.
func infer(ctx context.Context, s *store.Store, networkID int64, res store.WhoResult, cs []store.Concept, srcs []source,
	now time.Time, limit int) (*store.WhoResult, []store.Concept, []source, error) {
	var seeds []int64
	for _, e := range res.Experts {
		if e.Coverage >= 1-1e-9 && len(seeds) < inferSeeds {
			seeds = append(seeds, e.Member.ID)
		}
	}
	if len(seeds) < inferMinShared {
		return nil, nil, nil, nil
	}
	related, err := s.RelatedWords(ctx, networkID, seeds, inferMinShared, 4*inferMaxRelated)
	if err != nil {
		return nil, nil, nil, err
	}
	asked := map[string]bool{}
	var all uint32
	for _, c := range cs {
		all |= c.Covers
		for _, w := range store.Words(c.Text) {
			for _, f := range store.QueryForms(w) {
				asked[f] = true
			}
		}
	}
	mcs, msrcs := slices.Clone(cs), slices.Clone(srcs)
	added := 0
	for _, r := range related {
		if added == inferMaxRelated || len(mcs) >= 64 {
			break
		}
		if len([]rune(r.Word)) < 4 || topicStop[r.Word] || asked[r.Word] || slices.ContainsFunc(store.QueryForms(r.Word), func(f string) bool { return asked[f] }) {
			continue
		}
		mcs = append(mcs, store.Concept{Text: r.Word, Weight: weightInferred, Covers: all, Exact: true})
		msrcs = append(msrcs, srcInferred)
		added++
	}
	if added == 0 {
		return nil, nil, nil, nil
	}
	more, err := s.Who(ctx, networkID, mcs, now, limit)
	if err != nil {
		return nil, nil, nil, err
	}
	return &more, mcs, msrcs, nil
}

// partial answers a question nobody matches as a whole with the members
// who match the most of it, when that is a meaningful part: at least half
// of its words, one of them not the question's last (its head in English phrases and
// Dutch compounds alike). A match on the head alone answers a broader
// question than was asked — energy-transition experts for "nuclear
// energy", lifestyle doctors for "sports medicine" — so that stays
// "nobody". Only members covering the same words as the best one are
// kept; Covered lists those words.
func partial(res store.WhoResult, cs []store.Concept, units []string) store.WhoResult {
	if len(units) < 2 || len(res.Experts) == 0 {
		return store.WhoResult{}
	}
	covered := func(e store.Expert) uint32 {
		var c uint32
		for j := range cs {
			if j < 64 && e.Matched&(1<<uint(j)) != 0 {
				c |= cs[j].Covers
			}
		}
		return c
	}
	head := uint32(1) << uint(len(units)-1)
	best := covered(res.Experts[0])
	if best&^head == 0 || 2*bits.OnesCount32(best) < len(units) {
		return store.WhoResult{}
	}
	out := store.WhoResult{Partial: true}
	for _, e := range res.Experts {
		if covered(e) == best {
			e.Basis = BasisDirect
			out.Experts = append(out.Experts, e)
		}
	}
	for i, u := range units {
		if best&(1<<uint(i)) != 0 {
			out.Covered = append(out.Covered, u)
		}
	}
	return out
}

// Bases of an expert (store.Expert.Basis).
const (
	BasisDirect     = "direct"
	BasisTranslated = "translated"
	BasisInferred   = "inferred"
)

// label sets each expert's Basis from the best source among the concepts
// they matched, and Via to the translated or inferred words they matched
// when they matched nothing better.
func label(experts []store.Expert, cs []store.Concept, srcs []source) {
	for i := range experts {
		e := &experts[i]
		best := srcInferred + 1
		for j := range cs {
			if j < 64 && e.Matched&(1<<uint(j)) != 0 {
				best = min(best, srcs[j])
			}
		}
		switch best {
		case srcAsked, srcVocabulary:
			e.Basis = BasisDirect
			continue
		case srcTranslated:
			e.Basis = BasisTranslated
		default:
			e.Basis = BasisInferred
		}
		for j := range cs {
			if j < 64 && e.Matched&(1<<uint(j)) != 0 && srcs[j] == best && len(e.Via) < 3 {
				e.Via = append(e.Via, cs[j].Text)
			}
		}
	}
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
	ask := Action{Label: tr(c.lang, "who_post_ask"), Command: cmdAsk.Word(c.lang) + " " + questionFor(c.lang, topic), Primary: true}
	if len(res.Experts) == 0 {
		r := c.say(tr(c.lang, "who_nobody", topic))
		r.Actions = []Action{ask}
		return r
	}
	r := Reply{Lang: c.lang}
	if res.Partial {
		// Nobody covers all of it: the closest, labelled, and the open
		// ask still offered.
		r.add(Heading, tr(c.lang, "who_partial", topic, strings.Join(res.Covered, " ")))
		ask.Primary = false
		r.Actions = []Action{ask}
	} else {
		r.add(Heading, tr(c.lang, "who_heading", topic))
	}
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
		r.add(Context, c.why(e))
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

// why summarises a member's matching evidence in one line.
func (c *call) why(e store.Expert) string { return WhyLine(c.lang, c.loc, e) }

// WhyLine says in one line why a member answers a who-question, in lang,
// with months in loc, saying when it was found only through a translation
// or inference: declared: koelketen · delivered "cold-chain pilot"
// (Oct 2026) · endorsed by 3 (· via translation: cold chain | · related:
// koelketen, reefer). The who-command and the network page's directory
// search both show it, so they read the same.
func WhyLine(lang string, loc *time.Location, e store.Expert) string {
	hits := e.Evidence
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
		parts = append(parts, tr(lang, "why_declared", strings.Join(names, ", ")))
	}
	for i, h := range delivered {
		if i == 2 {
			break
		}
		parts = append(parts, tr(lang, "why_delivered", truncate(h.Text, 60), monthIn(lang, loc, h.At)))
	}
	if endorsed > 0 {
		parts = append(parts, tr(lang, "why_endorsed", endorsed))
	}
	switch e.Basis {
	case BasisTranslated:
		parts = append(parts, tr(lang, "why_translated", strings.Join(e.Via, ", ")))
	case BasisInferred:
		parts = append(parts, tr(lang, "why_related", strings.Join(e.Via, ", ")))
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
