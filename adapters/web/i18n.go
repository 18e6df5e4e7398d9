package web

import (
	"fmt"
	"html/template"
	"strconv"
	"time"

	"knoop/bot"
)

// catalog holds the page's words in English and Dutch; a test checks that
// every key has both.
var catalog = map[string][2]string{
	"knoop":          {"Knoop", "Knoop"},
	"nav_overview":   {"Overview", "Overzicht"},
	"nav_directory":  {"Directory", "Wie is wie"},
	"nav_board":      {"Commitments", "Toezeggingen"},
	"nav_links":      {"Connections", "Verbindingen"},
	"signout":        {"Sign out", "Afmelden"},
	"signed_in_as":   {"Signed in as %s", "Aangemeld als %s"},
	"guest_badge":    {"guest", "gast"},
	"guest_note":     {"You are a guest in this network: you see what guests see in chat.", "Je bent gast in dit netwerk: je ziet wat gasten in de chat zien."},
	"guest_only":     {"This part is for members of the network. As a guest you can search the directory and see your own commitments.", "Dit deel is voor leden van het netwerk. Als gast kun je in wie-is-wie zoeken en je eigen toezeggingen zien."},
	"read_only":      {"Read-only: change things in chat.", "Alleen lezen: wijzigen doe je in de chat."},
	"skip":           {"Skip to content", "Naar de inhoud"},
	"error_title":    {"Something went wrong", "Er ging iets mis"},
	"error":          {"Sorry, something went wrong on our side. Please try again in a moment.", "Sorry, er ging bij ons iets mis. Probeer het zo nog eens."},
	"to_overview":    {"Back to the overview", "Terug naar het overzicht"},
	"network":        {"Network", "Netwerk"},
	"page_title":     {"%s — Knoop", "%s — Knoop"},
	"table_of_chart": {"The chart as a table", "De grafiek als tabel"},

	// signing in
	"signin_needed_title": {"Sign in", "Aanmelden"},
	"signin_needed":       {"This page is for members of the network. Type `web` to Knoop in chat: you get a personal sign-in link.", "Deze pagina is voor leden van het netwerk. Typ `web` aan Knoop in de chat: je krijgt een persoonlijke aanmeldlink."},
	"signin_title":        {"Sign in to the network page", "Aanmelden op de netwerkpagina"},
	"signin_as":           {"Sign in as %s?", "Aanmelden als %s?"},
	"signin_button":       {"Sign in", "Aanmelden"},
	"signin_note":         {"The link works once. You stay signed in on this browser for 30 days, or until you sign out (`web signout` in chat signs you out everywhere).", "De link werkt één keer. Je blijft 30 dagen aangemeld in deze browser, of tot je je afmeldt (`web afmelden` in de chat meldt je overal af)."},
	"link_bad_title":      {"Not a sign-in link", "Geen aanmeldlink"},
	"link_bad":            {"This is not a working sign-in link. Type `web` to Knoop in chat for a new one.", "Dit is geen werkende aanmeldlink. Typ `web` aan Knoop in de chat voor een nieuwe."},
	"link_expired_title":  {"This link has expired", "Deze link is verlopen"},
	"link_expired":        {"Sign-in links work for 15 minutes. Type `web` to Knoop in chat for a new one.", "Aanmeldlinks werken 15 minuten. Typ `web` aan Knoop in de chat voor een nieuwe."},
	"link_used_title":     {"This link was used already", "Deze link is al gebruikt"},
	"link_used":           {"A sign-in link works once. Type `web` to Knoop in chat for a new one.", "Een aanmeldlink werkt één keer. Typ `web` aan Knoop in de chat voor een nieuwe."},
	"cross_site":          {"That request came from another site, so it was refused.", "Dat verzoek kwam van een andere site en is geweigerd."},
	"signed_out_title":    {"Signed out", "Afgemeld"},
	"signed_out":          {"You are signed out on this browser. Type `web` to Knoop in chat to sign in again.", "Je bent afgemeld in deze browser. Typ `web` aan Knoop in de chat om je weer aan te melden."},

	// overview
	"charter":            {"Charter", "Handvest"},
	"charter_none":       {"This network has no charter yet. A coordinator sets it in chat: `charter …`.", "Dit netwerk heeft nog geen handvest. Een coördinator stelt het in de chat in: `handvest …`."},
	"goals":              {"Goals", "Doelen"},
	"goals_none":         {"No goals yet. A coordinator adds them in chat: `goal add …`.", "Nog geen doelen. Een coördinator voegt ze in de chat toe: `doel toevoegen …`."},
	"goal_n":             {"Goal %d", "Doel %d"},
	"goal_progress":      {"%d of %d delivered", "%d van %d geleverd"},
	"goal_overdue":       {"%d overdue", "%d te laat"},
	"contributing":       {"Contributing: %s", "Dragen bij: %s"},
	"contributing_none":  {"No organisation contributes yet.", "Nog geen organisatie draagt bij."},
	"goal_chart_title":   {"Goal %d over the last 12 weeks", "Doel %d in de laatste 12 weken"},
	"goal_chart_desc":    {"Commitments per week: delivered, open, overdue. Now %d delivered, %d open, %d overdue.", "Toezeggingen per week: geleverd, open, te laat. Nu %d geleverd, %d open, %d te laat."},
	"week_of":            {"Week ending", "Week tot"},
	"delivered":          {"Delivered", "Geleverd"},
	"open":               {"Open", "Open"},
	"overdue":            {"Overdue", "Te laat"},
	"due_soon":           {"Due in 7 days", "Binnen 7 dagen af"},
	"deliveries":         {"Deliveries per month", "Leveringen per maand"},
	"deliveries_desc":    {"Commitments delivered per month over the last 12 months: %d in all.", "Geleverde toezeggingen per maand in de laatste 12 maanden: %d in totaal."},
	"month":              {"Month", "Maand"},
	"count":              {"Count", "Aantal"},
	"new_members":        {"New members", "Nieuwe leden"},
	"new_members_count":  {"%d joined in the last 30 days.", "%d kwamen erbij in de laatste 30 dagen."},
	"new_members_none":   {"Nobody joined in the last 30 days.", "Niemand kwam erbij in de laatste 30 dagen."},
	"no_skills":          {"no skills yet", "nog geen vaardigheden"},
	"open_asks":          {"Open asks", "Open vragen"},
	"open_asks_none":     {"No open asks. Post one in chat: `ask …`.", "Geen open vragen. Zet er een uit in de chat: `vraag …`."},
	"asked_by":           {"asked by %s, %s", "gevraagd door %s, %s"},
	"former_member":      {"a former member", "een voormalig lid"},
	"organisations":      {"Organisations", "Organisaties"},
	"orgs_count":         {"%d organisations", "%d organisaties"},
	"members_count":      {"%d members", "%d leden"},
	"member_one":         {"1 member", "1 lid"},
	"org_line":           {"%s · %d open · %d delivered", "%s · %d open · %d geleverd"},
	"goal_commitments":   {"Commitments for this goal", "Toezeggingen voor dit doel"},
	"goal_unknown_title": {"No such goal", "Dit doel bestaat niet"},
	"goal_unknown":       {"There is no goal with that number in this network.", "Er is geen doel met dat nummer in dit netwerk."},

	// directory
	"search_label":    {"Who is good at…", "Wie is er goed in…"},
	"search_button":   {"Search", "Zoeken"},
	"search_hint":     {"The same answer as “who is good at …” in chat.", "Hetzelfde antwoord als “wie is er goed in …” in de chat."},
	"search_heading":  {"Good at “%s”:", "Goed in “%s”:"},
	"search_nobody":   {"Nobody with evidence for “%s” yet. Ask the network in chat: `ask who is good at %s?`", "Nog niemand met bewijs voor “%s”. Vraag het netwerk in de chat: `vraag wie is er goed in %s?`"},
	"search_what":     {"Type a topic, for example cold chain.", "Typ een onderwerp, bijvoorbeeld koelketen."},
	"search_orgs":     {"Organisations strong in this:", "Organisaties sterk hierin:"},
	"away_until":      {"away until %s", "afwezig tot %s"},
	"members":         {"Members", "Leden"},
	"filter_org":      {"Organisation", "Organisatie"},
	"filter_lang":     {"Language", "Taal"},
	"filter_any":      {"any", "alle"},
	"filter_button":   {"Show", "Toon"},
	"lang_en":         {"English", "Engels"},
	"lang_nl":         {"Dutch", "Nederlands"},
	"evidence_line":   {"%d delivered · %s", "%d geleverd · %s"},
	"endorsed_n":      {"endorsed %d times", "%d keer aanbevolen"},
	"endorsed_one":    {"endorsed once", "1 keer aanbevolen"},
	"endorsed_none":   {"not endorsed yet", "nog niet aanbevolen"},
	"members_none":    {"No members match.", "Geen leden gevonden."},
	"page_of":         {"Members %d–%d of %d", "Leden %d–%d van %d"},
	"prev":            {"Previous", "Vorige"},
	"next":            {"Next", "Volgende"},
	"directory_title": {"Who is who", "Wie is wie"},

	// board
	"board_title":    {"Commitments", "Toezeggingen"},
	"mine":           {"Your commitments", "Jouw toezeggingen"},
	"mine_none":      {"You have no commitments. Make one in chat: `commit …`.", "Je hebt geen toezeggingen. Doe er een in de chat: `toezeggen …`."},
	"filter_goal":    {"Goal", "Doel"},
	"none":           {"None.", "Geen."},
	"more":           {"and %d more", "en nog %d"},
	"due_on":         {"due %s", "uiterlijk %s"},
	"no_due":         {"no due date", "geen datum"},
	"done_on":        {"delivered %s", "geleverd %s"},
	"for_goal":       {"goal %d", "doel %d"},
	"dropped":        {"dropped", "geschrapt"},
	"delivered_30":   {"Delivered (30 days)", "Geleverd (30 dagen)"},
	"status_open":    {"open", "open"},
	"status_done":    {"delivered", "geleverd"},
	"status_overdue": {"overdue", "te laat"},

	// connections
	"links_title":      {"Connections", "Verbindingen"},
	"links_intro":      {"Organisations that worked together in the last 90 days: a delivery from a member of one to a member of the other, or an endorsement between their members.", "Organisaties die in de laatste 90 dagen samenwerkten: een levering van een lid van de een aan een lid van de ander, of een aanbeveling tussen hun leden."},
	"links_desc":       {"%d organisations, %d pairs working together, %d on their own.", "%d organisaties, %d paren die samenwerken, %d alleen."},
	"col_deliveries":   {"Deliveries", "Leveringen"},
	"col_endorsements": {"Endorsements", "Aanbevelingen"},
	"links_pairs":      {"Working together", "Werken samen"},
	"links_none":       {"No organisations worked together in the last 90 days.", "Geen organisaties werkten samen in de laatste 90 dagen."},
	"links_isolated":   {"Nobody works with these yet", "Hier werkt nog niemand mee samen"},
	"links_all_linked": {"Every organisation works with another.", "Elke organisatie werkt met een andere samen."},
	"links_pair":       {"%d deliveries · %d endorsements", "%d leveringen · %d aanbevelingen"},
	"links_more":       {"The graph shows the %d most connected organisations; the lists below name all.", "De grafiek toont de %d meest verbonden organisaties; de lijsten hieronder noemen ze allemaal."},
	"legend_linked":    {"works with others", "werkt met anderen"},
	"legend_isolated":  {"nobody works with it yet", "nog niemand werkt ermee"},
}

// tr looks a key up and formats it; a missing key shows the key (tests
// catch it).
func tr(lang, key string, args ...any) string {
	m, ok := catalog[key]
	if !ok {
		return key
	}
	f := m[0]
	if lang == bot.NL {
		f = m[1]
	}
	if len(args) == 0 {
		return f
	}
	return fmt.Sprintf(f, args...)
}

var (
	monthsEN = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	monthsNL = []string{"jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"}
)

// date shows a civil date: "2 Dec 2026" / "2 dec 2026".
func date(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	ms := monthsEN
	if lang == bot.NL {
		ms = monthsNL
	}
	return strconv.Itoa(t.Day()) + " " + ms[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// month shows a month: "Dec 2026" / "dec 2026"; short leaves the year out.
func month(lang string, t time.Time, short bool) string {
	ms := monthsEN
	if lang == bot.NL {
		ms = monthsNL
	}
	if short {
		return ms[t.Month()-1]
	}
	return ms[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// funcs are the templates' functions. Everything they return is text,
// escaped by html/template where it lands.
var funcs = template.FuncMap{
	"tr":   tr,
	"date": date,
	"month": func(lang string, t time.Time) string {
		return month(lang, t, false)
	},
	"members": func(lang string, n int) string {
		if n == 1 {
			return tr(lang, "member_one")
		}
		return tr(lang, "members_count", n)
	},
	"endorsed": func(lang string, n int) string {
		switch n {
		case 0:
			return tr(lang, "endorsed_none")
		case 1:
			return tr(lang, "endorsed_one")
		}
		return tr(lang, "endorsed_n", n)
	},
}
