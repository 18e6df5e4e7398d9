package bot

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"

	"knoop/bot/dates"
	"knoop/store"
)

var cmdCommit = &Command{
	Name:      "commit",
	EnAliases: []string{"commitment", "promise", "pledge"},
	NlAliases: []string{"toezeggen", "toezegging", "beloof", "belofte"},
	Summary:   [2]string{"Record what you will contribute, by when, optionally for a goal.", "Leg vast wat je bijdraagt, wanneer, eventueel voor een doel."},
	Usage:     [2]string{"commit <what> [by <date>] [for goal <n>] [for @member]", "toezeggen <wat> [voor <datum>] [voor doel <n>] [voor @lid]"},
	Examples: [2][]string{
		{"commit deliver the pilot report by next friday for goal 2", "I will send the route data to @bob by tomorrow"},
		{"toezeggen businesscase opleveren voor 15-12-2026", "ik lever de businesscase voor vrijdag"},
	},
}

var cmdDone = &Command{
	Name:      "done",
	EnAliases: []string{"finished", "delivered"},
	NlAliases: []string{"klaar", "gedaan", "geleverd"},
	Summary:   [2]string{"Mark one of your commitments delivered, with an optional note.", "Markeer een toezegging als geleverd, met een optionele notitie."},
	Usage:     [2]string{"done <n> [note]", "klaar <n> [notitie]"},
	Examples:  [2][]string{{"done 12 shipped, see the shared drive"}, {"klaar 12 staat op de gedeelde schijf"}},
}

var cmdUpdate = &Command{
	Name:      "update",
	EnAliases: []string{"progress", "note"},
	NlAliases: []string{"bijwerken", "voortgang", "stand"},
	Summary:   [2]string{"Report progress on one of your commitments.", "Meld voortgang op een van je toezeggingen."},
	Usage:     [2]string{"update <n> <progress>", "voortgang <n> <stand van zaken>"},
	Examples:  [2][]string{{"update 12 halfway, waiting for data"}, {"voortgang 12 halverwege, wacht op data"}},
}

var cmdDrop = &Command{
	Name:      "drop",
	EnAliases: []string{"cancel", "withdraw"},
	NlAliases: []string{"schrappen", "annuleer", "intrekken"},
	Summary: [2]string{"Drop one of your commitments (it stays in the history); coordinators also drop orphaned ones.",
		"Laat een toezegging vallen (blijft in de geschiedenis); coördinatoren ook verweesde."},
	Usage:    [2]string{"drop <n> [reason]", "schrappen <n> [reden]"},
	Examples: [2][]string{{"drop 12 budget was cut"}, {"schrappen 12 budget geschrapt"}},
}

var cmdSnooze = &Command{
	Name:      "snooze",
	EnAliases: []string{"postpone"},
	NlAliases: []string{"uitstellen", "uitstel", "sluimer"},
	Summary:   [2]string{"Move a commitment's due date a week later.", "Schuif de deadline van een toezegging een week op."},
	Usage:     [2]string{"snooze <n>", "uitstellen <n>"},
	Examples:  [2][]string{{"snooze 12"}, {"uitstellen 12"}},
}

var cmdDue = &Command{
	Name:      "due",
	EnAliases: []string{"redate", "deadline", "newdate"},
	NlAliases: []string{"datum", "nieuwedatum", "verzet"},
	Summary:   [2]string{"Set a new due date for one of your commitments.", "Geef een toezegging een nieuwe datum."},
	Usage:     [2]string{"due <n> <date>", "datum <n> <datum>"},
	Examples:  [2][]string{{"due 12 next friday", "due 12 2026-12-18"}, {"datum 12 volgende week vrijdag", "datum 12 eind december"}},
}

var cmdCommitments = &Command{
	Name:      "commitments",
	EnAliases: []string{"mine", "todo"},
	NlAliases: []string{"toezeggingen", "lijst", "afspraken"},
	Summary:   [2]string{"List commitments: yours, a member's, overdue ones, or a goal's.", "Toon toezeggingen: die van jou, van een lid, te late, of van een doel."},
	Usage:     [2]string{"commitments [@member | overdue | goal <n> | all | orphaned]", "toezeggingen [@lid | te laat | doel <n> | alle | verweesd]"},
	Examples:  [2][]string{{"commitments", "commitments @anna", "commitments overdue", "commitments goal 2", "commitments orphaned"}, {"toezeggingen", "toezeggingen te laat", "toezeggingen doel 2", "toezeggingen verweesd"}},
}

var (
	goalRefRE      = regexp.MustCompile(`(?i)\s*(\b(?:for|towards|toward|to|voor|bij|richting)\s+)?\b(?:goal|doel)\s*#?(\d{1,6})\b`)
	recipientRefRE = regexp.MustCompile(`(?i)\s*\b(?:for|to|voor|aan)\s+(@\S+|<@[^>]+>)`)
	noRE           = regexp.MustCompile(`^#?(\d{1,9})[.:,]?$`)
)

func runCommit(c *call) Reply {
	text := strings.TrimSpace(c.args)
	if text == "" {
		return c.say(tr(c.lang, "commit_what", c.cmd.Usage[li(c.lang)]))
	}
	nc := store.NewCommitment{NetworkID: c.net.ID, OwnerID: c.me.ID, At: c.now}
	if m := goalRef(text); m != nil {
		n, _ := strconv.ParseInt(text[m[4]:m[5]], 10, 64)
		nc.GoalNo = n
		text = strings.TrimSpace(text[:m[0]] + text[m[1]:])
	}
	var unknownRecipient string
	if m := recipientRefRE.FindStringSubmatchIndex(text); m != nil {
		ref := text[m[2]:m[3]]
		if who, r := c.resolve(ref); r == nil {
			nc.RecipientID = who.ID
		} else {
			// Keep what the member committed to; only the recipient is
			// left out, and the reply says so.
			unknownRecipient = ref
		}
		text = strings.TrimSpace(text[:m[0]] + text[m[1]:])
	}
	rest, due, ok := dates.Split(text, c.now, c.loc)
	if ok {
		text = rest
		nc.Due = civil(due)
	} else if _, past, ok := dates.Split(text, c.now.AddDate(-pastYears, 0, 0), c.loc); ok && civil(past).Before(c.today()) {
		// The date layer only reads dates from today on; read from years
		// back, the same words are a date that has passed.
		return c.say(tr(c.lang, "date_past", c.fmtDate(civil(past))))
	}
	text = strings.Trim(text, " .,;:")
	if text == "" {
		return c.say(tr(c.lang, "commit_what", c.cmd.Usage[li(c.lang)]))
	}
	if len([]rune(text)) > maxTextLen {
		return c.say(tr(c.lang, "text_too_long", maxTextLen))
	}
	nc.Text = text
	cm, err := c.b.store.AddCommitment(c.ctx, nc)
	if errors.Is(err, store.ErrNotFound) && nc.GoalNo != 0 {
		return c.say(tr(c.lang, "goal_unknown", nc.GoalNo, cmdGoals.Word(c.lang)))
	}
	if err != nil {
		return c.fail(err)
	}
	r := Reply{Lang: c.lang, Commitment: cm.No}
	r.add(Text, tr(c.lang, "commit_recorded", cm.No))
	r.add(Item, c.fmtCommitment(cm, false))
	if cm.Due.IsZero() {
		r.add(Context, tr(c.lang, "commit_no_due", cmdDue.Word(c.lang), cm.No))
	}
	if unknownRecipient != "" {
		r.add(Context, tr(c.lang, "commit_no_recipient", truncate(unknownRecipient, 40)))
	}
	r.Actions = c.commitmentActions(cm.No)
	return r
}

// number reads the commitment number at the start of the arguments.
func (c *call) number() (int64, string, bool) {
	first, rest, _ := strings.Cut(strings.TrimSpace(c.args), " ")
	m := noRE.FindStringSubmatch(first)
	if m == nil {
		return 0, "", false
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil || n <= 0 {
		return 0, "", false
	}
	return n, strings.TrimSpace(rest), true
}

// change applies done, update or dropped to one of the member's
// commitments.
func (c *call) change(kind string) Reply {
	no, note, ok := c.number()
	if !ok {
		return c.whichCommitment()
	}
	if kind == "update" && note == "" {
		return c.say(tr(c.lang, "update_what", c.cmd.Usage[li(c.lang)]))
	}
	if len([]rune(note)) > maxTextLen {
		return c.say(tr(c.lang, "text_too_long", maxTextLen))
	}
	cm, err := c.b.store.ChangeCommitment(c.ctx, store.Change{NetworkID: c.net.ID, No: no, MemberID: c.me.ID, Kind: kind, Note: note, At: c.now,
		Coordinator: c.msg.Coordinator})
	if r, failed := c.changeFailed(no, err); failed {
		return r
	}
	r := Reply{Lang: c.lang, Commitment: cm.No}
	switch kind {
	case "done":
		r.add(Text, tr(c.lang, "done_ok", cm.No))
	case "dropped":
		r.add(Text, tr(c.lang, "dropped_ok", cm.No))
	default:
		r.add(Text, tr(c.lang, "update_ok", cm.No))
		r.Actions = c.commitmentActions(cm.No)
	}
	r.add(Item, c.fmtCommitment(cm, false))
	return r
}

func (c *call) changeFailed(no int64, err error) (Reply, bool) {
	switch {
	case err == nil:
		return Reply{}, false
	case errors.Is(err, store.ErrNotFound):
		return c.say(tr(c.lang, "commitment_unknown", no)), true
	case errors.Is(err, store.ErrNotOwner):
		return c.say(tr(c.lang, "commitment_not_yours", no)), true
	case errors.Is(err, store.ErrClosed):
		return c.say(tr(c.lang, "commitment_closed", no)), true
	}
	return c.fail(err), true
}

// whichCommitment answers a change without a number by listing the
// member's open commitments.
func (c *call) whichCommitment() Reply {
	open, err := c.b.store.Commitments(c.ctx, store.CommitmentFilter{NetworkID: c.net.ID, OwnerID: c.me.ID, OpenOnly: true, Limit: 10})
	if err != nil {
		return c.fail(err)
	}
	r := c.say(tr(c.lang, "which_commitment", c.cmd.Usage[li(c.lang)]))
	for _, cm := range open {
		r.add(Item, c.fmtCommitment(cm, false))
	}
	r.Private = true
	return r
}

func runSnooze(c *call) Reply {
	no, _, ok := c.number()
	if !ok {
		return c.whichCommitment()
	}
	cm, err := c.b.store.Commitment(c.ctx, c.net.ID, no)
	if r, failed := c.changeFailed(no, err); failed {
		return r
	}
	base := cm.Due
	if base.IsZero() || base.Before(c.today()) {
		base = c.today()
	}
	return c.setDue(no, base.AddDate(0, 0, 7), "")
}

func runDue(c *call) Reply {
	no, rest, ok := c.number()
	if !ok {
		return c.whichCommitment()
	}
	if rest == "" {
		return c.say(tr(c.lang, "due_what", c.cmd.Usage[li(c.lang)]))
	}
	day, ok := c.parseDate(rest)
	if !ok {
		return c.badDate(rest)
	}
	return c.setDue(no, day, "")
}

func (c *call) setDue(no int64, day time.Time, note string) Reply {
	cm, err := c.b.store.ChangeCommitment(c.ctx, store.Change{NetworkID: c.net.ID, No: no, MemberID: c.me.ID, Kind: "due", Due: day, Note: note, At: c.now})
	if r, failed := c.changeFailed(no, err); failed {
		return r
	}
	r := Reply{Lang: c.lang, Commitment: cm.No}
	r.add(Text, tr(c.lang, "due_ok", cm.No, c.fmtDate(cm.Due)))
	r.add(Item, c.fmtCommitment(cm, false))
	r.Actions = c.commitmentActions(cm.No)
	return r
}

var overdueWords = set("overdue", "late", "telaat", "laat", "achterstallig", "verlopen")

func runCommitments(c *call) Reply {
	arg := strings.ToLower(strings.TrimSpace(c.args))
	f := store.CommitmentFilter{NetworkID: c.net.ID, Limit: 30}
	title := ""
	withOwner := true
	switch {
	case arg == "" || arg == "mine" || arg == "me" || arg == "mijn" || arg == "mij":
		f.OwnerID = c.me.ID
		title = tr(c.lang, "commitments_mine")
		withOwner = false
	case isOrphanedArg(arg):
		return c.orphans()
	case overdueWords[strings.ReplaceAll(arg, " ", "")]:
		f.Overdue = c.today()
		title = tr(c.lang, "commitments_overdue")
	case arg == "all" || arg == "alle" || arg == "open":
		f.OpenOnly = true
		title = tr(c.lang, "commitments_all")
	case strings.HasPrefix(arg, "goal") || strings.HasPrefix(arg, "doel"):
		m := goalRefRE.FindStringSubmatch(arg)
		if m == nil {
			return c.say(tr(c.lang, "usage", c.cmd.Usage[li(c.lang)]))
		}
		f.GoalNo, _ = strconv.ParseInt(m[2], 10, 64)
		title = tr(c.lang, "commitments_goal", f.GoalNo)
	default:
		m, r := c.resolve(c.args)
		if r != nil {
			return *r
		}
		f.OwnerID = m.ID
		title = tr(c.lang, "commitments_of", m.DisplayName)
		withOwner = false
	}
	cms, err := c.b.store.Commitments(c.ctx, f)
	if err != nil {
		return c.fail(err)
	}
	r := Reply{Lang: c.lang, Private: f.OwnerID == c.me.ID}
	r.add(Heading, title)
	if len(cms) == 0 {
		r.add(Text, tr(c.lang, "commitments_none"))
		return r
	}
	for _, cm := range cms {
		r.add(Item, c.fmtCommitment(cm, withOwner))
		if cm.LastNote != "" {
			r.add(Context, "“"+truncate(cm.LastNote, 120)+"”")
		}
	}
	return r
}

// pastYears is how far back a date is looked for to tell a member that the
// date they typed has passed, rather than that it is not a date.
const pastYears = 9

// parseDate reads a date from today on, as a civil date.
func (c *call) parseDate(text string) (time.Time, bool) {
	day, ok := dates.Parse(text, c.now, c.loc)
	if !ok {
		return time.Time{}, false
	}
	return civil(day), true
}

// badDate answers a date that could not be used: passed, or not a date.
func (c *call) badDate(text string) Reply {
	if past, ok := dates.Parse(text, c.now.AddDate(-pastYears, 0, 0), c.loc); ok && civil(past).Before(c.today()) {
		return c.say(tr(c.lang, "date_past", c.fmtDate(civil(past))))
	}
	return c.say(tr(c.lang, "bad_date", truncate(text, 60)))
}

// goalRef finds the goal a commitment is for: the last "for goal N" (any
// preposition of goalRefRE), or a bare "goal N" only at the very end, so
// "draft the goal 2030 roadmap" keeps its words. It returns the match
// indexes of goalRefRE or nil.
func goalRef(text string) []int {
	all := goalRefRE.FindAllStringSubmatchIndex(text, -1)
	for i := len(all) - 1; i >= 0; i-- {
		m := all[i]
		if m[2] >= 0 || strings.TrimSpace(text[m[1]:]) == "" {
			return m
		}
	}
	return nil
}
