package bot

import (
	"strings"

	"knoop/store"
)

// topicStop are words that carry no topic in a who-question, in either
// language.
var topicStop = set(
	"a", "an", "the", "of", "in", "on", "at", "for", "with", "about", "and", "or", "to", "is", "are", "be",
	"who", "what", "good", "anyone", "someone", "somebody", "anybody", "know", "knows", "experience", "expert",
	"experts", "me", "us", "help", "can", "please", "here", "our", "my", "some", "any", "do", "does", "has", "have",
	"de", "het", "een", "van", "in", "op", "met", "voor", "over", "en", "of", "te", "is", "zijn", "wie", "wat",
	"goed", "iemand", "weet", "kan", "ervaring", "kennis", "verstand", "heeft", "die", "er", "iets", "ons", "mij",
	"me", "graag", "hier", "aan", "bij", "ik", "je", "we", "wij", "jullie",
)

// synonyms is a small shipped bilingual vocabulary of skill words: asking
// in one language finds evidence written in the other. Each group lists
// words and phrases that mean the same; every word of every phrase in a
// group is added to the search when any of them is asked.
var synonymGroups = [][]string{
	{"koelketen", "cold chain", "koeltransport", "refrigerated transport"},
	{"logistiek", "logistics", "supply chain", "toeleveringsketen"},
	{"subsidie", "subsidies", "subsidieaanvraag", "subsidieaanvragen", "grant", "grants", "funding", "grant writing"},
	{"haven", "port", "havens", "ports"},
	{"scheepvaart", "shipping", "maritime", "maritiem"},
	{"tuinbouw", "horticulture", "glastuinbouw", "greenhouse"},
	{"waterstof", "hydrogen"},
	{"energie", "energy", "energietransitie", "energy transition"},
	{"duurzaamheid", "sustainability", "duurzaam", "sustainable"},
	{"onderwijs", "education", "teaching", "lesgeven"},
	{"onderzoek", "research"},
	{"beleid", "policy"},
	{"gemeente", "municipality", "local government"},
	{"inkoop", "procurement", "purchasing", "aanbesteding", "tender", "tendering"},
	{"financiering", "finance", "financing"},
	{"juridisch", "legal", "recht", "law"},
	{"privacy", "avg", "gdpr"},
	{"data-analyse", "data analysis", "data analytics", "analytics"},
	{"programmeren", "programming", "software development", "softwareontwikkeling"},
	{"vrachtwagen", "truck", "trucks", "vrachtvervoer", "road freight", "wegtransport"},
	{"binnenvaart", "inland shipping", "inland waterways"},
	{"bunkeren", "bunkering"},
	{"circulair", "circular", "circular economy", "circulaire economie", "recycling", "hergebruik"},
	{"projectmanagement", "project management", "projectleiding"},
	{"communicatie", "communication", "communications"},
	{"marketing", "marketing"},
	{"veiligheid", "safety", "security"},
	{"automatisering", "automation", "robotica", "robotics"},
	{"productie", "manufacturing", "maakindustrie", "production"},
	{"warmtenet", "district heating", "warmtenetten"},
	{"netcongestie", "grid congestion"},
	{"stikstof", "nitrogen"},
	{"bouw", "construction"},
	{"zorg", "healthcare", "care"},
	{"voedsel", "food", "agrifood", "voedselketen", "food chain"},
}

var synonymIndex = func() map[string][]string {
	idx := map[string][]string{}
	for _, g := range synonymGroups {
		for _, phrase := range g {
			idx[phrase] = g
		}
	}
	return idx
}()

// Weights of the concepts a topic becomes. In a multi-word topic the
// phrase counts most and a lone word of it least, so "cold chain" ranks a
// cold-chain expert above someone who only mentions a supply chain.
const (
	weightWord       = 1.0
	weightPartWord   = 0.5
	weightPhrase     = 1.5
	weightSynonym    = 0.8
	maxTopicConcepts = 32
)

// topicConcepts turns a who-topic into what the store searches for: its
// words, its adjacent word pairs as phrases, and the bilingual synonyms of
// the topic and of each word in it (whole phrases, so a synonym never
// drags in evidence that merely shares a common word with it).
func topicConcepts(topic string) []store.Concept {
	seen := map[string]bool{}
	var out []store.Concept
	add := func(t string, w float64) {
		if len(t) < 2 || len(t) > 80 || topicStop[t] || seen[t] {
			return
		}
		seen[t] = true
		out = append(out, store.Concept{Text: t, Weight: w})
	}
	var ws []string
	for _, w := range words(topic) {
		if !topicStop[w] {
			ws = append(ws, w)
		}
	}
	wordWeight := weightWord
	if len(ws) > 1 {
		wordWeight = weightPartWord
	}
	for i := 0; i+1 < len(ws); i++ {
		add(ws[i]+" "+ws[i+1], weightPhrase)
	}
	for _, w := range ws {
		add(w, wordWeight)
	}
	phrases := append([]string(nil), ws...)
	for i := 0; i+1 < len(ws); i++ {
		phrases = append(phrases, ws[i]+" "+ws[i+1])
	}
	phrases = append(phrases, strings.Join(ws, " "))
	for _, p := range phrases {
		for _, v := range inflections(p) {
			for _, syn := range synonymIndex[v] {
				add(syn, weightSynonym)
			}
		}
	}
	if len(out) > maxTopicConcepts {
		out = out[:maxTopicConcepts]
	}
	return out
}

// inflections returns a word with the plural endings of both languages
// taken off and put on, so "koelketens" finds the group of "koelketen".
func inflections(w string) []string {
	out := []string{w, w + "s", w + "en"}
	for _, suf := range []string{"'s", "s", "en", "n"} {
		if base, ok := strings.CutSuffix(w, suf); ok && len(base) >= 3 {
			out = append(out, base)
		}
	}
	return out
}
