package bot

import "strings"

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

// topicWords turns a who-topic into search words: lower-cased, stop words
// dropped, and the words of bilingual synonyms of the topic (and of each
// of its words) added.
func topicWords(topic string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(w string) {
		if len(w) < 2 || len(w) > 60 || topicStop[w] || seen[w] {
			return
		}
		seen[w] = true
		out = append(out, w)
	}
	ws := words(topic)
	for _, w := range ws {
		add(w)
	}
	// Phrases of one or two words, then the whole topic, may name a group.
	var phrases []string
	phrases = append(phrases, ws...)
	for i := 0; i+1 < len(ws); i++ {
		phrases = append(phrases, ws[i]+" "+ws[i+1])
	}
	phrases = append(phrases, strings.Join(ws, " "))
	for _, p := range phrases {
		for _, syn := range synonymIndex[p] {
			for _, w := range words(syn) {
				add(w)
			}
		}
	}
	if len(out) > 32 {
		out = out[:32]
	}
	return out
}
