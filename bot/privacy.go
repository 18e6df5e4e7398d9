package bot

import (
	"encoding/json"
	"strings"

	"knoop/store"
)

var cmdExport = &Command{
	Name:      "export",
	NlAliases: []string{"exporteer", "exporteren", "gegevens"},
	Summary:   [2]string{"Get all your data as JSON.", "Krijg al je gegevens als JSON."},
	Usage:     [2]string{"export me", "exporteer mij"},
	Examples:  [2][]string{{"export me"}, {"exporteer mij"}},
}

var cmdForget = &Command{
	Name:      "forget",
	NlAliases: []string{"vergeet", "verwijdermij"},
	Summary:   [2]string{"Delete your personal data; your commitments stay for the network, anonymised.", "Verwijder je persoonsgegevens; je toezeggingen blijven geanonimiseerd voor het netwerk."},
	Usage:     [2]string{"forget me [confirm]", "vergeet mij [bevestig]"},
	Examples:  [2][]string{{"forget me", "forget me confirm"}, {"vergeet mij", "vergeet mij bevestig"}},
}

// export is the document "export me" returns.
type export struct {
	Member struct {
		DisplayName    string `json:"display_name"`
		Platform       string `json:"platform"`
		PlatformUserID string `json:"platform_user_id"`
		Organisation   string `json:"organisation,omitempty"`
		Timezone       string `json:"timezone,omitempty"`
		Language       string `json:"language,omitempty"`
		AwayUntil      string `json:"away_until,omitempty"`
		Since          string `json:"member_since"`
	} `json:"member"`
	Skills            []string                 `json:"skills"`
	Endorsements      []store.Endorsement      `json:"endorsements_received"`
	EndorsementsGiven []store.EndorsementGiven `json:"endorsements_given"`
	Asks              []store.MemberAsk        `json:"asks"`
	Commitments       []exportCommitment       `json:"commitments"`
	History           map[int64][]exportUpdate `json:"history"`
	Received          []exportCommitment       `json:"commitments_received"`
	Goals             []exportGoal             `json:"goals_created"`
	Introductions     []store.MemberIntro      `json:"introductions"`
}

type exportGoal struct {
	No   int64  `json:"no"`
	Text string `json:"text"`
	At   string `json:"at"`
}

type exportCommitment struct {
	No     int64  `json:"no"`
	Text   string `json:"text"`
	Status string `json:"status"`
	Due    string `json:"due,omitempty"`
	Goal   int64  `json:"goal,omitempty"`
}

type exportUpdate struct {
	Kind string `json:"kind"`
	Note string `json:"note,omitempty"`
	Due  string `json:"due,omitempty"`
	At   string `json:"at"`
}

func dateStr(t interface{ IsZero() bool }, s string) string {
	if t.IsZero() {
		return ""
	}
	return s
}

func runExport(c *call) Reply {
	var e export
	m := c.me
	e.Member.DisplayName, e.Member.Platform, e.Member.PlatformUserID = m.DisplayName, m.Platform, m.PlatformUserID
	e.Member.Organisation, e.Member.Timezone, e.Member.Language = m.OrgName, m.Timezone, m.Language
	e.Member.AwayUntil = dateStr(m.AwayUntil, m.AwayUntil.Format("2006-01-02"))
	e.Member.Since = m.CreatedAt.UTC().Format("2006-01-02T15:04:05Z")
	skills, err := c.b.store.Skills(c.ctx, m.ID)
	if err != nil {
		return c.fail(err)
	}
	e.Skills = make([]string, 0, len(skills))
	for _, s := range skills {
		e.Skills = append(e.Skills, s.Name)
	}
	if e.Endorsements, err = c.b.store.Endorsements(c.ctx, m.ID); err != nil {
		return c.fail(err)
	}
	if e.Endorsements == nil {
		e.Endorsements = []store.Endorsement{}
	}
	// One query per section, whatever the number of commitments.
	if e.EndorsementsGiven, err = c.b.store.EndorsementsGiven(c.ctx, m.ID); err != nil {
		return c.fail(err)
	}
	if e.Asks, err = c.b.store.AsksBy(c.ctx, m.ID); err != nil {
		return c.fail(err)
	}
	if e.Introductions, err = c.b.store.IntrosFor(c.ctx, m.ID); err != nil {
		return c.fail(err)
	}
	cms, err := c.b.store.Commitments(c.ctx, store.CommitmentFilter{NetworkID: c.net.ID, OwnerID: m.ID, Limit: 10000})
	if err != nil {
		return c.fail(err)
	}
	e.Commitments = exportCommitments(cms)
	hist, err := c.b.store.OwnerHistory(c.ctx, m.ID)
	if err != nil {
		return c.fail(err)
	}
	e.History = map[int64][]exportUpdate{}
	for no, us := range hist {
		for _, u := range us {
			e.History[no] = append(e.History[no], exportUpdate{Kind: u.Kind, Note: u.Note,
				Due: dateStr(u.Due, u.Due.Format("2006-01-02")), At: u.CreatedAt.UTC().Format("2006-01-02T15:04:05Z")})
		}
	}
	received, err := c.b.store.Commitments(c.ctx, store.CommitmentFilter{NetworkID: c.net.ID, RecipientID: m.ID, Limit: 10000})
	if err != nil {
		return c.fail(err)
	}
	e.Received = exportCommitments(received)
	goals, err := c.b.store.GoalsCreatedBy(c.ctx, m.ID)
	if err != nil {
		return c.fail(err)
	}
	e.Goals = make([]exportGoal, 0, len(goals))
	for _, g := range goals {
		e.Goals = append(e.Goals, exportGoal{No: g.No, Text: g.Text, At: g.CreatedAt.UTC().Format("2006-01-02T15:04:05Z")})
	}
	doc, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return c.fail(err)
	}
	r := Reply{Lang: c.lang, Private: true}
	r.add(Text, tr(c.lang, "export_intro"))
	r.add(Code, string(doc))
	return r
}

func exportCommitments(cms []store.Commitment) []exportCommitment {
	out := make([]exportCommitment, 0, len(cms))
	for _, cm := range cms {
		out = append(out, exportCommitment{No: cm.No, Text: cm.Text, Status: cm.Status,
			Due: dateStr(cm.Due, cm.Due.Format("2006-01-02")), Goal: cm.GoalNo})
	}
	return out
}

var confirmWords = set("confirm", "yes", "bevestig", "ja", "zeker")

func runForget(c *call) Reply {
	ws := strings.Fields(strings.ToLower(c.args))
	confirmed := false
	for _, w := range ws {
		if confirmWords[w] {
			confirmed = true
		}
	}
	if !confirmed {
		r := c.say(tr(c.lang, "forget_confirm"))
		r.Private = true
		word := "confirm"
		me := "me"
		if c.lang == NL {
			word, me = "bevestig", "mij"
		}
		r.Actions = []Action{{Label: tr(c.lang, "forget_action"), Command: cmdForget.Word(c.lang) + " " + me + " " + word}}
		return r
	}
	if err := c.b.store.Forget(c.ctx, c.me.ID, c.now); err != nil {
		return c.fail(err)
	}
	return c.say(tr(c.lang, "forget_done"))
}
