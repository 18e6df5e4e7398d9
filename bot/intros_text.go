package bot

import "strings"

// maxIntrosShown bounds the list `intros` shows.
const maxIntrosShown = 20

func runIntros(c *call) Reply {
	r := intros1(c)
	r.Private = true
	return r
}

func intros1(c *call) Reply {
	switch strings.ToLower(strings.TrimSpace(c.args)) {
	case "":
	case "off", "uit":
		if err := c.b.store.SetIntrosOff(c.ctx, c.me.ID, true); err != nil {
			return c.fail(err)
		}
		return c.say(tr(c.lang, "intros_off"))
	case "on", "aan":
		if err := c.b.store.SetIntrosOff(c.ctx, c.me.ID, false); err != nil {
			return c.fail(err)
		}
		return c.say(tr(c.lang, "intros_on"))
	default:
		return c.say(tr(c.lang, "usage", c.cmd.Usage[li(c.lang)]))
	}
	list, err := c.b.store.IntrosOf(c.ctx, c.me.ID, maxIntrosShown)
	if err != nil {
		return c.fail(err)
	}
	if len(list) == 0 {
		return c.say(tr(c.lang, "intros_none", cmdIntro.Word(c.lang)))
	}
	r := Reply{Lang: c.lang, Private: true}
	r.add(Heading, tr(c.lang, "intros_heading"))
	for _, in := range list {
		other := in.ExpertID
		if other == c.me.ID {
			other = in.AskerID
		}
		name := tr(c.lang, "former_member")
		if m, err := c.b.store.Member(c.ctx, other); err == nil && !m.Forgotten {
			name = nameOrg(m)
		}
		key := "intros_to"
		if in.AskerID != c.me.ID {
			key = "intros_from"
		}
		r.add(Item, tr(c.lang, key, in.ID, name, in.Topic, tr(c.lang, "intro_status_"+in.Status), c.fmtDate(in.CreatedAt.In(c.loc))))
	}
	return r
}

var introCatalog = map[string][2]string{
	"intro_no_answer": {"Which answer? Ask `%s <topic>` first, then `%s 2` for the second member listed (or `intro @name <topic>`).",
		"Welk antwoord? Vraag eerst `%s <onderwerp>`, daarna `%s 2` voor het tweede lid in de lijst (of `voorstellen @naam <onderwerp>`)."},
	"intro_bad_number": {"Your last answer listed %d members; pick one of those numbers.", "Je laatste antwoord noemde %d leden; kies een van die nummers."},
	"intro_self":       {"That's you! Pick someone else to be introduced to.", "Dat ben jij! Kies iemand anders om aan voorgesteld te worden."},
	"intro_off":        {"%s isn't taking introductions at the moment.", "%s staat op dit moment niet open voor introducties."},
	"intro_away":       {"%s is away at the moment, so I won't ask them now.", "%s is op dit moment afwezig, dus ik vraag het nu niet."},
	"intro_full":       {"%s already has several introduction requests open this week, so I won't add another now.", "%s heeft deze week al een aantal open verzoeken, dus ik voeg er nu geen toe."},
	"intro_again":      {"You already asked for an introduction to %s; they haven't answered yet.", "Je hebt al om een introductie bij %s gevraagd; die is nog niet beantwoord."},
	"intro_unreachable": {"I can't reach %s privately right now, so I haven't sent anything. Please try again later.",
		"Ik kan %s nu niet privé bereiken, dus ik heb niets verstuurd. Probeer het later nog eens."},
	"intro_sent": {"I've asked %s whether they'd like to be introduced to you about “%s”. I'll let you know.",
		"Ik heb %s gevraagd of die aan jou voorgesteld wil worden over “%s”. Ik laat het je weten."},
	"intro_request": {"%s would like to be introduced to you about “%s”.", "%s wil graag aan je voorgesteld worden over “%s”."},
	"intro_note":    {"Their note: “%s”", "Toelichting: “%s”"},
	"intro_why":     {"Why I suggested you: %s", "Waarom ik jou noemde: %s"},
	"intro_private": {"Only you and %s see this request.", "Alleen jij en %s zien dit verzoek."},
	"intro_accept":  {"Accept", "Graag"},
	"intro_notnow":  {"Not now", "Nu even niet"},
	// The words in the buttons' commands; runIntro reads both languages.
	"intro_accept_word": {"accept", "accepteer"},
	"intro_notnow_word": {"notnow", "nietnu"},
	"intro_decided":     {"That request has already been answered.", "Dat verzoek is al beantwoord."},
	"intro_open_failed": {"Thanks! I couldn't open a conversation just now, so please contact %s directly.",
		"Dank je! Ik kon nu geen gesprek openen; neem alsjeblieft zelf contact op met %s."},
	"intro_accepted": {"Thank you! I've opened a conversation for you and %s.", "Dank je! Ik heb een gesprek voor jou en %s geopend."},
	"intro_declined": {"%s can't take on an introduction about “%s” right now. That happens, no need to follow up.",
		"%s kan op dit moment geen introductie over “%s” aannemen. Dat gebeurt, je hoeft er niets mee."},
	"intro_declined_you": {"Understood. I've let %s know, kindly; nothing else is shared.", "Begrepen. Ik heb het %s vriendelijk laten weten; verder wordt niets gedeeld."},
	"intro_next":         {"Next in the answer: %s.", "Volgende in het antwoord: %s."},
	"intro_offer":        {"Introduce me to %s", "Stel me voor aan %s"},
	"intro_meet":         {"Introduction: %s, meet %s", "Kennismaking: %s, maak kennis met %s"},
	"intro_meet_body": {"%s asked me for an introduction about “%s”, and %s said yes. Over to you both!",
		"%s vroeg mij om een introductie over “%s”, en %s zei ja. Aan jullie!"},
	"intros_off":            {"Noted: I won't offer you for introductions. `intros on` undoes it.", "Genoteerd: ik bied je niet meer aan voor introducties. `introducties aan` maakt het ongedaan."},
	"intros_on":             {"Noted: members can ask me to introduce them to you again.", "Genoteerd: leden kunnen me weer vragen hen aan jou voor te stellen."},
	"intros_none":           {"You have no introductions yet. After a who-answer, try `%s 1`.", "Je hebt nog geen introducties. Probeer na een wie-antwoord `%s 1`."},
	"intros_heading":        {"Your introductions:", "Jouw introducties:"},
	"intros_to":             {"#%d you → %s about “%s”: %s (%s)", "#%d jij → %s over “%s”: %s (%s)"},
	"intros_from":           {"#%d %s → you about “%s”: %s (%s)", "#%d %s → jou over “%s”: %s (%s)"},
	"intro_status_asked":    {"waiting", "wacht op antwoord"},
	"intro_status_accepted": {"accepted", "geaccepteerd"},
	"intro_status_declined": {"not now", "nu even niet"},
	"intro_status_expired":  {"no answer", "geen antwoord"},
	"intro_expired": {"%s hasn't answered your request about “%s” in %d working days. They may simply be busy; no need to follow up.",
		"%s heeft je verzoek over “%s” in %d werkdagen niet beantwoord. Waarschijnlijk gewoon druk; je hoeft er niets mee."},
}
