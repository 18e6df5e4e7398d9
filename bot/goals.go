package bot

import (
	"fmt"
	"strconv"
	"strings"

	"knoop/store"
)

var cmdCharter = &Command{
	Name:        "charter",
	EnAliases:   []string{"mission"},
	NlAliases:   []string{"handvest", "missie"},
	Summary:     [2]string{"Show the network's charter; coordinators set it.", "Toon het handvest van het netwerk; coördinatoren stellen het in."},
	Usage:       [2]string{"charter [text]", "handvest [tekst]"},
	Examples:    [2][]string{{"charter We connect port logistics and horticulture to halve empty truck kilometres."}, {"handvest Wij verbinden havenlogistiek en tuinbouw."}},
	Coordinator: true,
}

var cmdGoal = &Command{
	Name:        "goal",
	NlAliases:   []string{"doel"},
	Summary:     [2]string{"Add a shared goal (coordinators) or show one goal.", "Voeg een gezamenlijk doel toe (coördinatoren) of toon een doel."},
	Usage:       [2]string{"goal add <text> | goal <n>", "doel toevoegen <tekst> | doel <n>"},
	Examples:    [2][]string{{"goal add Halve empty-truck kilometres in 2027", "goal 2"}, {"doel toevoegen Halvering lege vrachtwagenkilometers in 2027"}},
	Coordinator: true,
}

var cmdGoals = &Command{
	Name:      "goals",
	NlAliases: []string{"doelen"},
	Summary:   [2]string{"Show the goals with progress, overdue work and contributing organisations.", "Toon de doelen met voortgang, te laat werk en bijdragende organisaties."},
	Usage:     [2]string{"goals", "doelen"},
	Examples:  [2][]string{{"goals"}, {"doelen"}},
}

func runCharter(c *call) Reply {
	text := strings.TrimSpace(c.args)
	if text == "" {
		net, err := c.b.store.Network(c.ctx, c.net.ID)
		if err != nil {
			return c.fail(err)
		}
		c.net.Charter = net.Charter
		if c.net.Charter == "" {
			return c.say(tr(c.lang, "charter_none", cmdCharter.Word(c.lang)))
		}
		r := Reply{Lang: c.lang}
		r.add(Heading, tr(c.lang, "charter_heading"))
		r.add(Text, c.net.Charter)
		return r
	}
	if len([]rune(text)) > 2000 {
		return c.say(tr(c.lang, "text_too_long", 2000))
	}
	if err := c.b.store.SetCharter(c.ctx, c.net.ID, text); err != nil {
		return c.fail(err)
	}
	return c.say(tr(c.lang, "charter_set"))
}

func runGoal(c *call) Reply {
	verb, rest, _ := strings.Cut(strings.TrimSpace(c.args), " ")
	if n, err := strconv.ParseInt(strings.TrimPrefix(verb, "#"), 10, 64); err == nil && rest == "" {
		return c.showGoal(n)
	}
	// Adding needs the explicit word: "doel van vandaag is …" must not
	// become a goal.
	if !addWords[strings.ToLower(verb)] {
		return c.say(tr(c.lang, "usage", c.cmd.Usage[li(c.lang)]))
	}
	text := strings.TrimSpace(rest)
	if text == "" {
		return c.say(tr(c.lang, "usage", c.cmd.Usage[li(c.lang)]))
	}
	if len([]rune(text)) > maxTextLen {
		return c.say(tr(c.lang, "text_too_long", maxTextLen))
	}
	g, err := c.b.store.AddGoal(c.ctx, c.net.ID, c.me.ID, text, c.now)
	if err != nil {
		return c.fail(err)
	}
	return c.say(tr(c.lang, "goal_added", g.No, g.Text))
}

func (c *call) showGoal(no int64) Reply {
	goals, err := c.b.store.Goals(c.ctx, c.net.ID, c.today())
	if err != nil {
		return c.fail(err)
	}
	for _, g := range goals {
		if g.No != no {
			continue
		}
		r := Reply{Lang: c.lang}
		r.add(Heading, fmt.Sprintf("%s %d: %s", cmdGoal.Word(c.lang), g.No, g.Text))
		c.addProgress(&r, g)
		cms, err := c.b.store.Commitments(c.ctx, store.CommitmentFilter{NetworkID: c.net.ID, GoalNo: no})
		if err != nil {
			return c.fail(err)
		}
		for _, cm := range cms {
			r.add(Item, c.fmtCommitment(cm, true))
		}
		return r
	}
	return c.say(tr(c.lang, "goal_unknown", no, cmdGoals.Word(c.lang)))
}

func runGoals(c *call) Reply {
	goals, err := c.b.store.Goals(c.ctx, c.net.ID, c.today())
	if err != nil {
		return c.fail(err)
	}
	if len(goals) == 0 {
		return c.say(tr(c.lang, "goals_none", cmdGoal.Word(c.lang)))
	}
	r := Reply{Lang: c.lang}
	r.add(Heading, tr(c.lang, "goals_heading", len(goals)))
	for _, g := range goals {
		r.add(Item, fmt.Sprintf("%d. %s", g.No, g.Text))
		c.addProgress(&r, g)
	}
	return r
}

// addProgress adds the progress line of a goal: a small bar, done/total,
// overdue and the organisations contributing.
func (c *call) addProgress(r *Reply, g store.GoalProgress) {
	line := progressBar(g.Done, g.Total) + " " + tr(c.lang, "goal_progress", g.Done, g.Total)
	if g.Overdue > 0 {
		line += " · " + tr(c.lang, "goal_overdue", g.Overdue)
	}
	if len(g.Orgs) > 0 {
		line += " · " + strings.Join(g.Orgs, ", ")
	}
	r.add(Context, line)
}

// progressBar draws done/total in ten cells.
func progressBar(done, total int) string {
	const cells = 10
	filled := 0
	if total > 0 {
		filled = done * cells / total
	}
	return strings.Repeat("▓", filled) + strings.Repeat("░", cells-filled)
}
