package bot

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"knoop/store"
)

// Limits on what members type, so one message cannot bloat the network.
const (
	maxSkillLen  = 80
	maxSkillsAdd = 25
	maxOrgLen    = 100
	maxTextLen   = 500
)

// MaxNameLen is the longest display name kept, in characters: longer
// names from a platform are cut.
const MaxNameLen = 80

// cleanName makes a name from a platform (display name, organisation
// hint) safe to store and show: Clean (no control or bidi characters,
// spaces collapsed), then at most n characters.
func cleanName(s string, n int) string {
	if len(s) > 4*n+64 {
		s = s[:4*n+64] // Clean refuses huge input; a name needs no more
	}
	s, _ = Clean(strings.ToValidUTF8(s, ""))
	return truncate(s, n)
}

var cmdSkills = &Command{
	Name:      "skills",
	EnAliases: []string{"skill"},
	NlAliases: []string{"vaardigheden", "vaardigheid", "expertise"},
	Summary:   [2]string{"Show, add or remove your skills.", "Toon, voeg toe of verwijder je vaardigheden."},
	Usage:     [2]string{"skills [add|remove] <skill>, <skill>…", "vaardigheden [toevoegen|verwijderen] <vaardigheid>, …"},
	Examples: [2][]string{
		{"skills add logistics, cold chain, grant writing", "skills remove grant writing", "skills"},
		{"vaardigheden toevoegen logistiek, koelketen, subsidies", "vaardigheden verwijderen subsidies"},
	},
}

var cmdOrg = &Command{
	Name:      "org",
	EnAliases: []string{"organisation", "organization", "company"},
	NlAliases: []string{"organisatie", "bedrijf"},
	Summary:   [2]string{"Set or show the organisation you work for.", "Stel in of toon voor welke organisatie je werkt."},
	Usage:     [2]string{"org <name>", "organisatie <naam>"},
	Examples:  [2][]string{{"org Port of Rotterdam"}, {"organisatie Havenbedrijf Rotterdam"}},
}

var cmdProfile = &Command{
	Name:      "profile",
	EnAliases: []string{"whoami"},
	NlAliases: []string{"profiel", "wieisdat"},
	Summary:   [2]string{"Show a member's organisation, skills, endorsements and commitments.", "Toon organisatie, vaardigheden, aanbevelingen en toezeggingen van een lid."},
	Usage:     [2]string{"profile [@member]", "profiel [@lid]"},
	Examples:  [2][]string{{"profile @anna", "profile"}, {"profiel @anna"}},
}

var cmdEndorse = &Command{
	Name:      "endorse",
	EnAliases: []string{"vouch", "recommend"},
	NlAliases: []string{"aanbevelen", "onderschrijf", "aanbeveling"},
	Summary:   [2]string{"Vouch for a member's skill (counts double if they delivered to you).", "Beveel een lid aan voor een vaardigheid (telt dubbel als zij aan jou leverden)."},
	Usage:     [2]string{"endorse @member <skill>", "aanbevelen @lid <vaardigheid>"},
	Examples:  [2][]string{{"endorse @anna cold chain"}, {"aanbevelen @anna koelketen"}},
}

var cmdAway = &Command{
	Name:      "away",
	EnAliases: []string{"vacation", "holiday", "ooo"},
	NlAliases: []string{"afwezig", "vakantie", "weg"},
	Summary:   [2]string{"Say you are away until a date (no nudges, marked in answers).", "Meld dat je afwezig bent tot een datum (geen herinneringen, gemarkeerd in antwoorden)."},
	Usage:     [2]string{"away until <date>", "afwezig tot <datum>"},
	Examples:  [2][]string{{"away until 2026-12-24", "away until next friday"}, {"afwezig tot 24 december", "afwezig tot volgende week vrijdag"}},
}

var cmdBack = &Command{
	Name:      "back",
	NlAliases: []string{"terug", "aanwezig"},
	Summary:   [2]string{"Say you are back.", "Meld dat je terug bent."},
	Usage:     [2]string{"back", "terug"},
	Examples:  [2][]string{{"back"}, {"terug"}},
}

var cmdLanguage = &Command{
	Name:      "language",
	EnAliases: []string{"lang"},
	NlAliases: []string{"taal"},
	Summary:   [2]string{"Set the language Knoop uses when it cannot tell from your message.", "Stel de taal in die Knoop gebruikt als je bericht het niet verraadt."},
	Usage:     [2]string{"language en|nl", "taal nl|en"},
	Examples:  [2][]string{{"language en"}, {"taal nl"}},
}

var cmdTimezone = &Command{
	Name:      "timezone",
	EnAliases: []string{"tz"},
	NlAliases: []string{"tijdzone"},
	Summary:   [2]string{"Set your timezone (due dates and nudges follow it).", "Stel je tijdzone in (deadlines en herinneringen volgen die)."},
	Usage:     [2]string{"timezone <Area/City>", "tijdzone <Gebied/Stad>"},
	Examples:  [2][]string{{"timezone Europe/London"}, {"tijdzone Europe/Amsterdam"}},
}

// subcommand words, both languages.
var (
	addWords    = set("add", "toevoegen", "voeg", "plus", "+")
	removeWords = set("remove", "delete", "rm", "verwijderen", "verwijder", "weghalen", "wis", "-")
)

// SplitList splits "a, b, c" into trimmed, non-empty items, without
// duplicates (compared case-insensitively).
func SplitList(s string) []string {
	seen := map[string]bool{}
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' }) {
		p := strings.Trim(strings.Join(strings.Fields(part), " "), " .")
		key := strings.ToLower(p)
		if p == "" || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, p)
	}
	return out
}

func runSkills(c *call) Reply {
	verb, rest, _ := strings.Cut(c.args, " ")
	switch v := strings.ToLower(verb); {
	case c.args == "":
		return c.showSkills()
	case addWords[v]:
		return c.addSkills(rest)
	case removeWords[v]:
		return c.removeSkills(rest)
	default:
		return c.addSkills(c.args)
	}
}

func (c *call) showSkills() Reply {
	skills, err := c.b.store.Skills(c.ctx, c.me.ID)
	if err != nil {
		return c.fail(err)
	}
	if len(skills) == 0 {
		r := c.say(tr(c.lang, "skills_none", cmdSkills.Word(c.lang)))
		r.Private = true
		return r
	}
	names := make([]string, len(skills))
	for i, s := range skills {
		names[i] = s.Name
	}
	r := c.say(tr(c.lang, "skills_list", strings.Join(names, ", ")))
	r.Private = true
	return r
}

func (c *call) addSkills(list string) Reply {
	items := SplitList(list)
	if len(items) == 0 {
		return c.say(tr(c.lang, "skills_which", cmdSkills.Word(c.lang)))
	}
	if len(items) > maxSkillsAdd {
		return c.say(tr(c.lang, "skills_too_many", maxSkillsAdd))
	}
	for _, it := range items {
		if len([]rune(it)) > maxSkillLen {
			return c.say(tr(c.lang, "skill_too_long", maxSkillLen))
		}
	}
	added, err := c.b.store.AddSkills(c.ctx, c.me.ID, items, c.now)
	if err != nil {
		return c.fail(err)
	}
	if len(added) == 0 {
		return c.say(tr(c.lang, "skills_had", strings.Join(items, ", ")))
	}
	return c.say(tr(c.lang, "skills_added", strings.Join(added, ", ")))
}

func (c *call) removeSkills(list string) Reply {
	items := SplitList(list)
	if len(items) == 0 {
		return c.say(tr(c.lang, "skills_which", cmdSkills.Word(c.lang)))
	}
	removed, err := c.b.store.RemoveSkills(c.ctx, c.me.ID, items)
	if err != nil {
		return c.fail(err)
	}
	if len(removed) == 0 {
		return c.say(tr(c.lang, "skills_not_had", strings.Join(items, ", ")))
	}
	return c.say(tr(c.lang, "skills_removed", strings.Join(removed, ", ")))
}

func runOrg(c *call) Reply {
	name := strings.Trim(c.args, " .?!")
	if name == "" {
		if c.me.OrgName == "" {
			return c.say(tr(c.lang, "org_none", cmdOrg.Word(c.lang)))
		}
		return c.say(tr(c.lang, "org_is", c.me.OrgName))
	}
	if len([]rune(name)) > maxOrgLen {
		return c.say(tr(c.lang, "text_too_long", maxOrgLen))
	}
	stored, err := c.b.store.SetOrganisation(c.ctx, c.me.ID, name)
	if err != nil {
		return c.fail(err)
	}
	return c.say(tr(c.lang, "org_set", stored))
}

var mentionRE = regexp.MustCompile(`^<@([^<>|\s]+)(?:\|[^>]*)?>$`)

// resolve finds the member a reference means. A mention is an id and is
// looked up by id only: "<@U123>" (how adapters pass platform mentions),
// or "@x" / "x" where x is a member's platform user id on the asker's
// platform ("@U123" from Slack, "@anna:example.org" from Matrix, "@bob" in
// the console). Anything else is a name: one member with that display
// name (whole, or its first word) is that member; several get a question
// back, never a guess. On failure it returns the reply to send.
func (c *call) resolve(ref string) (store.Member, *Reply) {
	ref = strings.TrimRight(strings.TrimSpace(ref), ",.;?!")
	if len(ref) > 255 {
		r := c.say(tr(c.lang, "member_unknown", truncate(ref, 40)))
		return store.Member{}, &r
	}
	if m := mentionRE.FindStringSubmatch(ref); m != nil {
		mem, err := c.b.store.MemberByUserID(c.ctx, c.net.ID, c.msg.Platform, m[1])
		if err != nil {
			return store.Member{}, c.memberNotFound(ref, err)
		}
		return mem, nil
	}
	ref = strings.TrimRight(ref, ":")
	for _, id := range []string{ref, strings.TrimPrefix(ref, "@")} {
		if id == "" {
			continue
		}
		mem, err := c.b.store.MemberByUserID(c.ctx, c.net.ID, c.msg.Platform, id)
		if err == nil {
			return mem, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			r := c.fail(err)
			return store.Member{}, &r
		}
	}
	name := strings.TrimPrefix(ref, "@")
	if name == "" {
		r := c.say(tr(c.lang, "member_unknown", truncate(ref, 40)))
		return store.Member{}, &r
	}
	ms, err := c.b.store.FindMembers(c.ctx, c.net.ID, name)
	if err != nil {
		r := c.fail(err)
		return store.Member{}, &r
	}
	switch len(ms) {
	case 0:
		r := c.say(tr(c.lang, "member_unknown", truncate(ref, 40)))
		return store.Member{}, &r
	case 1:
		return ms[0], nil
	}
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.DisplayName
		if m.OrgName != "" {
			names[i] += " (" + m.OrgName + ")"
		}
	}
	r := c.say(tr(c.lang, "member_ambiguous", truncate(ref, 40), strings.Join(names, ", ")))
	return store.Member{}, &r
}

// memberNotFound is the reply for a mention of nobody known here.
func (c *call) memberNotFound(ref string, err error) *Reply {
	if errors.Is(err, store.ErrNotFound) {
		r := c.say(tr(c.lang, "member_unknown", truncate(ref, 40)))
		return &r
	}
	r := c.fail(err)
	return &r
}

func runProfile(c *call) Reply {
	m := c.me
	if ref := strings.TrimSpace(c.args); ref != "" && !strings.EqualFold(ref, "me") && !strings.EqualFold(ref, "mij") {
		var r *Reply
		if m, r = c.resolve(ref); r != nil {
			return *r
		}
	}
	skills, err := c.b.store.Skills(c.ctx, m.ID)
	if err != nil {
		return c.fail(err)
	}
	ends, err := c.b.store.Endorsements(c.ctx, m.ID)
	if err != nil {
		return c.fail(err)
	}
	cms, err := c.b.store.Commitments(c.ctx, store.CommitmentFilter{NetworkID: c.net.ID, OwnerID: m.ID, Limit: 20})
	if err != nil {
		return c.fail(err)
	}
	// Someone else's profile is network-wide knowledge: private to a guest.
	r := Reply{Lang: c.lang, Private: (c.msg.Guest || c.msg.Shared) && !c.msg.Direct && m.ID != c.me.ID}
	head := m.DisplayName
	if head == "" {
		head = m.PlatformUserID
	}
	if m.OrgName != "" {
		head += " — " + m.OrgName
	}
	if m.Away(c.today()) {
		head += " " + tr(c.lang, "away_mark", c.fmtDate(m.AwayUntil))
	}
	r.Blocks = append(r.Blocks, c.memberBlock(Heading, head, m))
	if len(skills) > 0 {
		names := make([]string, len(skills))
		for i, s := range skills {
			names[i] = s.Name
		}
		r.add(Text, tr(c.lang, "profile_skills", strings.Join(names, ", ")))
	} else {
		r.add(Text, tr(c.lang, "profile_no_skills"))
	}
	if len(ends) > 0 {
		parts := make([]string, 0, len(ends))
		for _, e := range ends {
			p := fmt.Sprintf("%s (%s)", e.Skill, e.By)
			if e.Receiver {
				p += " ✓"
			}
			parts = append(parts, p)
		}
		r.add(Text, tr(c.lang, "profile_endorsed", strings.Join(parts, ", ")))
	}
	var open, done []store.Commitment
	for _, cm := range cms {
		switch cm.Status {
		case store.StatusOpen:
			open = append(open, cm)
		case store.StatusDone:
			done = append(done, cm)
		}
	}
	nOpen, nDone, err := c.b.store.CommitmentCounts(c.ctx, m.ID)
	if err != nil {
		return c.fail(err)
	}
	r.add(Text, tr(c.lang, "profile_commitments", nOpen, nDone))
	for _, cm := range open {
		r.add(Item, c.fmtCommitment(cm, false))
	}
	for i, cm := range done {
		if i == 5 {
			break
		}
		r.add(Item, c.fmtCommitment(cm, false))
	}
	return r
}

func runEndorse(c *call) Reply {
	ref, skill, _ := strings.Cut(c.args, " ")
	skill = strings.Trim(strings.TrimSpace(skill), ".")
	if ref == "" || skill == "" {
		return c.say(tr(c.lang, "usage", c.cmd.Usage[li(c.lang)]))
	}
	if len([]rune(skill)) > maxSkillLen {
		return c.say(tr(c.lang, "skill_too_long", maxSkillLen))
	}
	m, r := c.resolve(ref)
	if r != nil {
		return *r
	}
	if m.ID == c.me.ID {
		return c.say(tr(c.lang, "endorse_self"))
	}
	recv, err := c.b.store.Endorse(c.ctx, c.me.ID, m.ID, skill, c.now)
	if errors.Is(err, store.ErrConflict) {
		return c.say(tr(c.lang, "endorse_again", m.DisplayName, skill))
	}
	if err != nil {
		return c.fail(err)
	}
	if recv {
		return c.say(tr(c.lang, "endorsed_receiver", m.DisplayName, skill))
	}
	return c.say(tr(c.lang, "endorsed", m.DisplayName, skill))
}

var untilRE = regexp.MustCompile(`(?i)^(?:until|till|til|to|tot|t/m|tot en met)\s+`)

func runAway(c *call) Reply {
	arg := strings.TrimSpace(c.args)
	switch strings.ToLower(arg) {
	case "":
		if c.me.Away(c.today()) {
			return c.say(tr(c.lang, "away_is", c.fmtDate(c.me.AwayUntil)))
		}
		return c.say(tr(c.lang, "away_usage", c.cmd.Usage[li(c.lang)]))
	case "off", "uit", "no", "nee", "clear":
		return c.setAway(time.Time{})
	}
	arg = untilRE.ReplaceAllString(arg, "")
	day, ok := c.parseDate(arg)
	if !ok {
		return c.badDate(arg)
	}
	day = civil(day)
	if day.Before(c.today()) {
		return c.say(tr(c.lang, "date_past", c.fmtDate(day)))
	}
	return c.setAway(day)
}

func (c *call) setAway(until time.Time) Reply {
	if err := c.b.store.SetAway(c.ctx, c.me.ID, until); err != nil {
		return c.fail(err)
	}
	if until.IsZero() {
		return c.say(tr(c.lang, "welcome_back"))
	}
	return c.say(tr(c.lang, "away_set", c.fmtDate(until)))
}

func runLanguage(c *call) Reply {
	switch strings.ToLower(strings.TrimSpace(c.args)) {
	case "en", "english", "engels":
		c.lang = EN
	case "nl", "dutch", "nederlands":
		c.lang = NL
	default:
		return c.say(tr(c.lang, "usage", c.cmd.Usage[li(c.lang)]))
	}
	if err := c.b.store.SetMemberPrefs(c.ctx, c.me.ID, "", c.lang); err != nil {
		return c.fail(err)
	}
	return c.say(tr(c.lang, "language_set"))
}

func runTimezone(c *call) Reply {
	name := strings.TrimSpace(c.args)
	if name == "" {
		return c.say(tr(c.lang, "timezone_is", c.loc.String()))
	}
	loc, err := time.LoadLocation(name)
	if err != nil || len(name) > 64 || name == "Local" {
		return c.say(tr(c.lang, "timezone_bad", truncate(name, 64)))
	}
	if err := c.b.store.SetMemberPrefs(c.ctx, c.me.ID, loc.String(), ""); err != nil {
		return c.fail(err)
	}
	return c.say(tr(c.lang, "timezone_set", loc.String()))
}
