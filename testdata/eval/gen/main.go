// Command gen writes Knoop's open labelled sets for `knoop eval`:
// members.jsonl and queries.jsonl in the directory given by -out.
//
//	go run ./testdata/eval/gen -out testdata/eval
//	go run ./testdata/eval/gen -set care -out testdata/eval/care
//
// -set network (the default) is a regional port, logistics, horticulture
// and energy network (topics.go); -set care a regional healthcare, welfare
// and health-education network (care.go), written before Knoop's ranker
// knew any of its words.
// It is deterministic: the same seed writes the same files. Every member
// gets a few topics of expertise (topics.go) from the sectors of their
// organisation; the files show only what members wrote about them
// (declared skills, delivered commitments, endorsements). The judgements
// come from those hidden topics, never from a ranker: a member is grade 2
// for a question about a topic they have, grade 1 when they have a topic
// the question's topic lists as closely related, and absent otherwise.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
)

type org struct {
	name    string
	sectors []string // first is the main one
}

var orgs = []org{
	{"Havenbedrijf Rotterdam", []string{"port", "energy", "gov"}},
	{"Port of Moerdijk", []string{"port"}},
	{"Delta Container Terminal", []string{"port", "it"}},
	{"Van Dijk Expeditie", []string{"port"}},
	{"RailConnect Rotterdam", []string{"port"}},
	{"Binnenvaart Zuid", []string{"port"}},
	{"Stadslogistiek Den Haag", []string{"port", "gov"}},
	{"Koelhuis Maasvlakte", []string{"port", "horti"}},
	{"Transportbedrijf De Wit", []string{"port"}},
	{"Greenport West-Holland", []string{"horti", "gov"}},
	{"Bloemenveiling Naaldwijk", []string{"horti", "port"}},
	{"Kwekerij Van der Lans", []string{"horti", "energy"}},
	{"Seed Valley Breeders", []string{"horti"}},
	{"VersHub Barendrecht", []string{"horti", "port"}},
	{"Westland Warmte", []string{"energy", "horti"}},
	{"Stedin Netbeheer", []string{"energy"}},
	{"H2 Hub Rotterdam", []string{"energy", "manuf"}},
	{"Windpark Hollandse Kust", []string{"energy", "port"}},
	{"Botlek Energy Cluster", []string{"energy", "gov"}},
	{"RDM Makerspace", []string{"manuf", "it"}},
	{"Scheepswerf Schiedam", []string{"manuf"}},
	{"Precisie Techniek Delft", []string{"manuf"}},
	{"Robotics Lab Westland", []string{"manuf", "horti", "it"}},
	{"DataPort", []string{"it", "port"}},
	{"Gemeente Rotterdam", []string{"gov", "energy"}},
	{"Gemeente Den Haag", []string{"gov"}},
	{"Gemeente Westland", []string{"gov", "horti"}},
	{"Provincie Zuid-Holland", []string{"gov", "energy"}},
	{"InnovationQuarter", []string{"gov", "it"}},
	{"Omgevingsdienst Haaglanden", []string{"gov"}},
	{"TU Delft", []string{"edu", "energy", "it", "manuf"}},
	{"Erasmus Universiteit Rotterdam", []string{"edu", "port", "gov"}},
	{"Hogeschool Rotterdam", []string{"edu", "port", "it"}},
	{"De Haagse Hogeschool", []string{"edu", "gov"}},
	{"Albeda College", []string{"edu", "manuf"}},
	{"STC Group", []string{"edu", "port"}},
	{"Proeftuin Bleiswijk", []string{"horti", "edu"}},
}

var firstNames = []string{"Anna", "Bram", "Carla", "Daan", "Eva", "Frank", "Greet", "Hanna", "Ivo", "Joost", "Karin",
	"Lars", "Marieke", "Niels", "Olga", "Pieter", "Quinten", "Roos", "Sander", "Tessa", "Umut", "Vera", "Wouter",
	"Yara", "Zeynep", "Ahmed", "Bas", "Chantal", "Dewi", "Emre", "Fleur", "Gijs", "Hatice", "Inge", "Jasper", "Kees",
	"Lotte", "Mohamed", "Nina", "Oscar", "Priya", "Rutger", "Sophie", "Thijs", "Ilse", "Maarten", "Femke", "Ruben",
	"Sanne", "Tom", "Julia", "Luuk", "Noor", "Stijn", "Mila", "Kevin", "Laura", "Marco", "Sara", "Wei"}

var lastNames = []string{"de Vries", "Jansen", "Smit", "de Jong", "Bakker", "Visser", "van Dijk", "Meijer", "de Boer",
	"Mulder", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits",
	"de Graaf", "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Berg", "Yilmaz",
	"El Amrani", "Kaya", "Verhoeven", "Willems", "Koster", "Prins", "van Vliet", "Huisman", "Post", "Kuipers", "Chen"}

var templatesEN = []string{
	"who is good at %s?", "does anyone know about %s?", "anyone with experience in %s?", "who knows %s",
	"is there anyone familiar with %s?", "who has worked on %s?", "any experts on %s?", "who has experience with %s?",
	"who can help with %s?", "we're looking for someone with experience in %s",
}

var templatesNL = []string{
	"wie is goed in %s?", "wie weet iets van %s?", "wie heeft ervaring met %s?", "wie kent %s",
	"is er iemand met ervaring in %s?", "weet iemand iets over %s?", "heeft iemand verstand van %s?",
	"ken je iemand die verstand heeft van %s?", "wie is er thuis in %s?", "wie kan helpen met %s?",
}

type memberOut struct {
	ID           string           `json:"id"`
	Name         string           `json:"name"`
	Org          string           `json:"org"`
	Lang         string           `json:"lang"`
	Skills       []string         `json:"skills"`
	Delivered    []string         `json:"delivered,omitempty"`
	Endorsements []endorsementOut `json:"endorsements,omitempty"`
}

type endorsementOut struct {
	By    string `json:"by"`
	Skill string `json:"skill"`
}

type queryOut struct {
	ID       string         `json:"id"`
	Topic    string         `json:"topic"`
	Text     string         `json:"text"`
	Lang     string         `json:"lang"`
	Group    string         `json:"group"`
	Relevant map[string]int `json:"relevant"`
}

// member is a generated member with the hidden truth: their topics and
// the languages they wrote about each in.
type member struct {
	out    memberOut
	org    org
	topics []string
	wrote  map[string]map[string]bool // topic → languages of its evidence
}

func main() {
	out := flag.String("out", "testdata/eval", "directory to write members.jsonl and queries.jsonl to")
	n := flag.Int("members", 330, "number of members")
	seed := flag.Uint64("seed", 2026, "random seed")
	set := flag.String("set", "network", "which set: network or care")
	flag.Parse()
	switch *set {
	case "network":
	case "care":
		orgs, topics, absent, undeclaredGroup = careOrgs, careTopics, careAbsent, "undeclared"
	default:
		log.Fatalf("unknown set %q (network or care)", *set)
	}
	topicByID = map[string]*topic{}
	for i := range topics {
		topicByID[topics[i].id] = &topics[i]
	}
	rng := rand.New(rand.NewPCG(*seed, 0x6b6e6f6f70))
	members := generateMembers(rng, *n)
	queries := generateQueries(rng, members)
	if err := writeLines(filepath.Join(*out, "members.jsonl"), members, func(m *member) any { return m.out }); err != nil {
		log.Fatal(err)
	}
	if err := writeLines(filepath.Join(*out, "queries.jsonl"), queries, func(q queryOut) any { return q }); err != nil {
		log.Fatal(err)
	}
	groups := map[string]int{}
	for _, q := range queries {
		groups[q.Group]++
	}
	fmt.Printf("%d members in %d organisations, %d queries %v\n", len(members), len(orgs), len(queries), groups)
}

var topicByID map[string]*topic

// undeclaredGroup names the group of questions about topics nobody
// declared.
var undeclaredGroup = "evidence-only"

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

func generateMembers(rng *rand.Rand, n int) []*member {
	bySector := map[string][]string{}
	for _, t := range topics {
		bySector[t.sector] = append(bySector[t.sector], t.id)
	}
	names := map[string]bool{}
	var ms []*member
	for i := range n {
		m := &member{org: orgs[i%len(orgs)], wrote: map[string]map[string]bool{}}
		if i >= len(orgs) {
			m.org = pick(rng, orgs)
		}
		name := pick(rng, firstNames) + " " + pick(rng, lastNames)
		for names[name] {
			name = pick(rng, firstNames) + " " + pick(rng, lastNames)
		}
		names[name] = true
		lang := "nl"
		if rng.Float64() < 0.25 {
			lang = "en"
		}
		m.out = memberOut{ID: fmt.Sprintf("m%03d", i+1), Name: name, Org: m.org.name, Lang: lang, Skills: []string{}}
		// Two to four topics of the organisation's sectors, the main
		// sector most often; sometimes a data/IT or general topic, and
		// now and then one from anywhere.
		want := 1 + rng.IntN(3)
		for tries := 0; len(m.topics) < want && tries < 50; tries++ {
			sec := m.org.sectors[0]
			if len(m.org.sectors) > 1 && rng.Float64() < 0.4 {
				sec = pick(rng, m.org.sectors[1:])
			}
			m.addTopic(pick(rng, bySector[sec]))
		}
		if rng.Float64() < 0.35 {
			m.addTopic(pick(rng, bySector[pick(rng, []string{"it", "general"})]))
		}
		if rng.Float64() < 0.15 {
			m.addTopic(pick(rng, topics).id)
		}
		m.addCompanions(rng)
		ms = append(ms, m)
	}
	// Every topic has at least two experts, so every question has answers.
	for _, t := range topics {
		for count(ms, t.id) < 2 {
			cands := slices.DeleteFunc(slices.Clone(ms), func(m *member) bool { return !slices.Contains(m.org.sectors, t.sector) })
			if len(cands) == 0 {
				cands = ms
			}
			c := pick(rng, cands)
			c.addTopic(t.id)
			c.addCompanions(rng)
		}
	}
	for _, m := range ms {
		m.writeEvidence(rng)
	}
	for _, m := range ms {
		m.endorse(rng, ms)
	}
	return ms
}

// addCompanions gives a member with a topic that has a companion (people
// who do the one usually do the other) the companion too, most of the
// time. Only the care set has companions; the network set draws nothing.
func (m *member) addCompanions(rng *rand.Rand) {
	for _, id := range m.topics {
		if c := topicByID[id].companion; c != "" && !slices.Contains(m.topics, c) && rng.Float64() < 0.8 {
			m.addTopic(c)
		}
	}
}

func count(ms []*member, id string) int {
	n := 0
	for _, m := range ms {
		if slices.Contains(m.topics, id) {
			n++
		}
	}
	return n
}

func (m *member) addTopic(id string) {
	if !slices.Contains(m.topics, id) {
		m.topics = append(m.topics, id)
	}
}

// language picks the language a member writes about t in.
func (m *member) language(rng *rand.Rand, t *topic, nl, en []string) (string, []string) {
	switch {
	case len(en) == 0:
		return "nl", nl
	case len(nl) == 0:
		return "en", en
	}
	lang := m.out.Lang
	if rng.Float64() < 0.25 {
		lang = map[string]string{"nl": "en", "en": "nl"}[lang]
	}
	if lang == "nl" {
		return "nl", nl
	}
	return "en", en
}

func (m *member) writeEvidence(rng *rand.Rand) {
	for _, id := range m.topics {
		t := topicByID[id]
		m.wrote[id] = map[string]bool{}
		declare := !t.evidenceOnly && rng.Float64() < 0.85
		deliver := t.evidenceOnly || rng.Float64() < 0.35
		if !declare && !deliver {
			declare = true
		}
		if declare {
			lang, forms := m.language(rng, t, t.nl, t.en)
			k := 1
			if rng.Float64() < 0.25 {
				k = 2
			}
			for _, i := range rng.Perm(len(forms))[:min(k, len(forms))] {
				m.out.Skills = appendNew(m.out.Skills, forms[i])
			}
			m.wrote[id][lang] = true
		}
		if deliver {
			lang, work := m.language(rng, t, t.workNL, t.workEN)
			m.out.Delivered = appendNew(m.out.Delivered, pick(rng, work))
			m.wrote[id][lang] = true
		}
	}
}

// endorse has up to three colleagues (same organisation if possible)
// vouch for topics the member declared, in the endorser's own words.
func (m *member) endorse(rng *rand.Rand, ms []*member) {
	var declared []string
	for _, id := range m.topics {
		// Topics nobody declares can still be endorsed when colleagues
		// have words for them (only in the care set).
		if t := topicByID[id]; !t.evidenceOnly || len(t.nl)+len(t.en) > 0 {
			declared = append(declared, id)
		}
	}
	if len(declared) == 0 {
		return
	}
	var colleagues []*member
	for _, o := range ms {
		if o != m && o.org.name == m.org.name {
			colleagues = append(colleagues, o)
		}
	}
	if len(colleagues) == 0 {
		return
	}
	seen := map[string]bool{}
	for range rng.IntN(4) {
		by := pick(rng, colleagues)
		t := topicByID[pick(rng, declared)]
		_, forms := by.language(rng, t, t.nl, t.en)
		skill := pick(rng, forms)
		if seen[by.out.ID+"|"+skill] {
			continue
		}
		seen[by.out.ID+"|"+skill] = true
		m.out.Endorsements = append(m.out.Endorsements, endorsementOut{By: by.out.ID, Skill: skill})
	}
}

func appendNew(xs []string, x string) []string {
	if slices.Contains(xs, x) {
		return xs
	}
	return append(xs, x)
}

func generateQueries(rng *rand.Rand, ms []*member) []queryOut {
	var qs []queryOut
	add := func(topic, lang, group, phrase string, rel map[string]int) {
		tmpl := templatesEN
		if lang == "nl" {
			tmpl = templatesNL
		}
		qs = append(qs, queryOut{ID: fmt.Sprintf("q%03d", len(qs)+1), Topic: topic, Text: fmt.Sprintf(pick(rng, tmpl), phrase),
			Lang: lang, Group: group, Relevant: rel})
	}
	for _, t := range topics {
		rel := map[string]int{}
		for _, m := range ms {
			switch {
			case slices.Contains(m.topics, t.id):
				rel[m.out.ID] = 2
			case slices.ContainsFunc(t.related, func(r string) bool { return slices.Contains(m.topics, r) }):
				rel[m.out.ID] = 1
			}
		}
		for _, lang := range []string{"nl", "en"} {
			phrases := t.qNL
			if lang == "en" {
				phrases = t.qEN
			}
			if len(phrases) == 0 {
				continue
			}
			add(t.id, lang, group(t, lang, ms), pick(rng, phrases), rel)
		}
	}
	for _, a := range absent {
		add("absent:"+a.en, "nl", "no-answer", a.nl, map[string]int{})
		add("absent:"+a.en, "en", "no-answer", a.en, map[string]int{})
	}
	return qs
}

// group classifies a question about t asked in lang: evidence-only when
// its experts never declared t; cross-language when fewer than half of
// them wrote anything about t in lang, so most can only be found across
// languages; monolingual otherwise.
func group(t topic, lang string, ms []*member) string {
	if t.evidenceOnly {
		return undeclaredGroup
	}
	experts, same := 0, 0
	for _, m := range ms {
		if slices.Contains(m.topics, t.id) {
			experts++
			if m.wrote[t.id][lang] {
				same++
			}
		}
	}
	if 2*same < experts {
		return "cross-language"
	}
	return "monolingual"
}

func writeLines[T any](path string, xs []T, view func(T) any) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	enc.SetEscapeHTML(false)
	for _, x := range xs {
		if err := enc.Encode(sortedView(view(x))); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

// sortedView is v itself: encoding/json already writes map keys sorted,
// so the files are byte-for-byte reproducible.
func sortedView(v any) any { return v }
