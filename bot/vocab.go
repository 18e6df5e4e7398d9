package bot

import (
	"math/bits"
	"slices"
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

// skillVocabulary is the shipped bilingual vocabulary of skill words a
// regional network of port, logistics, horticulture, energy,
// manufacturing, education and government organisations uses: asking in
// one language finds evidence written in the other, and asking a common
// name finds its abbreviation. One group a line, "|" between words or
// phrases that mean the same. Every word or phrase of a group is added to
// the search when any of them is asked, so a group holds near-synonyms
// only: "veiligheid" (safety) and "beveiliging" (security) are apart.
// Dutch compounds need no line of their own when their parts have one
// ("batterijopslag" = batterij + opslag, see store.SplitCompound).
const skillVocabulary = `
koelketen|cold chain|koeltransport|refrigerated transport|reefer|temperature-controlled|geconditioneerd
koel|cold|refrigerated|gekoeld
logistiek|logistics|supply chain|toeleveringsketen|ketenregie|supply chain management
transport|vervoer|transportation
vracht|freight|cargo|lading
vrachtwagen|truck|trucks|vrachtwagens|lorry
wegtransport|road freight|road haulage|trucking|vrachtvervoer|road transport
magazijn|warehouse|warehousing|opslagloods|distributiecentrum|distribution centre|wms
voorraad|inventory|stock
beheer|management|beheersing
expeditie|freight forwarding|forwarding|expediteur|forwarder
douane|customs|douanezaken|customs clearance|douaneformaliteiten
hs-code|hs code|goederencode|tariff classification|tariefindeling|hs codes|goederencodes
binnenvaart|inland shipping|barge|barges|inland waterways|binnenvaartschip|barge transport
multimodaal|multimodal|intermodal|synchromodaal|synchromodal|modal shift|synchromodaliteit
spoor|rail|railway|spoorvervoer|rail freight|railfreight|spoorgoederenvervoer
haven|port|havens|ports
havenoperaties|port operations|terminaloperaties|terminal operations
kade|quay|berth|ligplaats
scheepvaart|shipping|maritime|maritiem
bunkeren|bunkering|marine fuels|scheepsbrandstof
stadslogistiek|city logistics|last mile|last-mile|stadsdistributie|last mile delivery
routeplanning|route planning|route optimisation|route optimization|ritplanning|vehicle routing|routeoptimalisatie
lege kilometers|empty kilometres|empty truck kilometres|empty-truck kilometres|backhaul|retourvracht|retourvrachten|retourlading
tuinbouw|horticulture|glastuinbouw|greenhouse horticulture|sierteelt|floriculture
kas|greenhouse|kassen|greenhouses|glass house
klimaat|climate
kasklimaat|greenhouse climate|climate control|klimaatregeling
teelt|cultivation|growing|kweken|teler|grower
veredeling|breeding|plantenveredeling|plant breeding
gewasbescherming|crop protection|pest management|plant protection|ipm|plantziekten|plant disease|plant diseases
voedsel|food|agrifood|voeding
voedselveiligheid|food safety|haccp
veiligheid|safety
beveiliging|security
vers|fresh|fresh produce|agf
versketen|fresh produce logistics|verslogistiek|fresh supply chain
verticale landbouw|vertical farming|indoor farming|indoor teelt
water|waste water|afvalwater
waterzuivering|water treatment|water purification
waterbeheer|water management
waterstof|hydrogen|h2
elektrolyse|electrolysis|electrolyser|electrolyzer|elektrolyser
energie|energy
energietransitie|energy transition|decarbonisation|decarbonization|verduurzaming
duurzaamheid|sustainability|duurzaam|sustainable
wind op zee|offshore wind|windpark|wind farm|wind farms|windparken|windenergie|wind energy
zonne-energie|solar|solar energy|solar pv|zonnepanelen|solar panels|photovoltaics|zon-pv|pv
netcongestie|grid congestion|congestiemanagement|congestion management|netcapaciteit|grid capacity
net|grid|elektriciteitsnet|power grid
netbeheer|grid operation|netbeheerder|grid operator|dso
congestie|congestion
batterij|battery|batteries|accu
opslag|storage
energieopslag|energy storage|bess|battery storage
warmtenet|district heating|warmtenetten|heat network|heat networks|stadsverwarming
restwarmte|waste heat|residual heat
warmte|heat|heating
warmtepomp|heat pump|heat pumps|warmtepompen
co2-afvang|carbon capture|ccs|co2-opslag|carbon storage|ccus|co2 capture
biobrandstoffen|biofuels|biofuel|biobrandstof|renewable fuels|hvo|bio-lng
ppa|power purchase agreement|power purchase agreements|stroomafnameovereenkomst|stroomafnameovereenkomsten
stroom|electricity|power|elektriciteit
productie|manufacturing|production|maakindustrie|fabricage
lean|lean manufacturing|six sigma|procesverbetering|process improvement|continuous improvement|continu verbeteren
3d-printen|3d printing|additive manufacturing|additieve productie|3d printen
robotica|robotics|robots|robotisering|cobots
automatisering|automation|industrial automation
plc|plc programming|plc-programmering|besturingstechniek|control engineering|scada
onderhoud|maintenance
voorspellend onderhoud|predictive maintenance|condition monitoring
kwaliteit|quality
kwaliteitsborging|quality assurance|kwaliteitsmanagement|quality management|qa|kwaliteitszorg
lassen|welding|lastechniek|laswerk
composieten|composites|composite materials|composietmaterialen|vezelversterkte kunststoffen
beeldherkenning|machine vision|computer vision|vision systems|beeldverwerking|image recognition
data-analyse|data analysis|data analytics|analytics|data science|data analyse
kunstmatige intelligentie|artificial intelligence|ai|machine learning|machinaal leren|ml|deep learning
programmeren|programming|software development|softwareontwikkeling|coding|software engineering
dashboards|dashboarding|business intelligence|bi|power bi|rapportages|reporting
gis|geo-informatie|geospatial|geospatial analysis|geo-information
cybersecurity|cyber security|informatiebeveiliging|information security|cyberweerbaarheid
iot|internet of things|sensoren|sensors|sensor networks|sensortechnologie|sensoring
digitale tweeling|digital twin|digital twins
subsidie|subsidies|subsidieaanvraag|subsidieaanvragen|grant|grants|funding|grant writing|grant applications
eu-subsidies|eu funding|europese subsidies|eu grants|horizon europe|interreg
aanvraag|application|applications|aanvragen
aanbesteding|tender|tendering|aanbestedingen|procurement|public procurement|aanbesteden|inkoop|purchasing
contractenrecht|contract law|contracts|contracten|contracting
juridisch|legal|recht|law|juridisch advies|legal advice
privacy|avg|gdpr|privacywetgeving|data protection|gegevensbescherming|privacy law
vergunning|permit|vergunningen|permits|permitting|vergunningverlening|omgevingsvergunning|environmental permit|environmental permits
stikstof|nitrogen|stikstofdepositie|nitrogen deposition|aerius
ruimtelijke ordening|spatial planning|urban planning|gebiedsontwikkeling|area development|bestemmingsplan|zoning
businesscase|business case|business cases|businesscases|financieel modelleren|financial modelling|financial modeling
financiering|finance|financing
circulair|circular|circular economy|circulaire economie|recycling|hergebruik|circularity
beleid|policy
gemeente|municipality|local government
onderwijs|education|teaching|lesgeven
curriculum|curriculumontwikkeling|curriculum design|curriculum development|onderwijsontwikkeling|lesmateriaal
training|trainingen|opleiden|opleiding|bijscholing|upskilling|e-learning|cursus
stage|internship|internships|stageplaatsen|stages|student placements|leerbedrijven|work placements
arbeidsmarkt|labour market|labor market|recruitment|werving|personeelstekort|staff shortage
onderzoek|research|praktijkgericht onderzoek|applied research
projectmanagement|project management|projectleiding|programmamanagement|programme management|prince2
stakeholdermanagement|stakeholder management|omgevingsmanagement|stakeholder engagement|participatie|community engagement
communicatie|communication|communications|pr|woordvoering|public relations
marketing|marketing
facilitatie|facilitation|workshop facilitation|werksessies|workshops|begeleiden van sessies
duitse markt|german market|duitsland|germany
export|exporteren|exporting
handelsmissie|trade mission
bouw|construction
zorg|healthcare|care
`

var synonymGroups = func() [][]string {
	var out [][]string
	for _, line := range strings.Split(skillVocabulary, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, strings.Split(line, "|"))
		}
	}
	return out
}()

// synonymIndex maps each word or phrase of the vocabulary to everything
// that means the same (the union of its groups).
var synonymIndex = func() map[string][]string {
	idx := map[string][]string{}
	for _, g := range synonymGroups {
		for _, phrase := range g {
			for _, syn := range g {
				if !slices.Contains(idx[phrase], syn) {
					idx[phrase] = append(idx[phrase], syn)
				}
			}
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
	weightTranslated = 0.6
	weightInferred   = 0.3
	maxTopicConcepts = 48
)

// topicConcepts turns a who-topic into what the store searches for: its
// words, its adjacent word pairs as phrases, the network vocabulary's
// bilingual synonyms of the topic and of each word in it (whole phrases,
// so a synonym never drags in evidence that merely shares a common word
// with it), and general translations (see translations). Each concept
// records which of the topic's words it stands for (Covers), so the store
// can tell a member who matches the whole question from one who matches a
// word of it; the sources say where each concept came from.
func topicConcepts(topic string) []store.Concept {
	cs, _, _ := expandTopic(topic)
	return cs
}

// Where a concept came from, best first.
type source int

const (
	srcAsked      source = iota // the asked words and phrases
	srcVocabulary               // the network's vocabulary (bot/vocab.go)
	srcTranslated               // a dictionary or cognate translation
	srcInferred                 // related words from the network's own data
)

// topicUnit is a word or phrase of a topic (or a translation of one) with
// the bit set of question units it stands for (a compound stands for
// several).
type topicUnit struct {
	text   string
	covers uint32
}

// expandTopic returns the concepts of a topic, where each came from, and
// the text of each question unit (bit i of Covers stands for units[i]).
func expandTopic(topic string) ([]store.Concept, []source, []string) {
	index := map[string]int{}
	forms := map[string]bool{} // the index terms the concepts so far look up
	var out []store.Concept
	var srcs []source
	add := func(t string, w float64, covers uint32, exact bool, src source) {
		if len(t) < 2 || len(t) > 80 || topicStop[t] {
			return
		}
		qf := store.QueryForms(t)
		if _, seen := index[t]; !seen && src == srcTranslated && slices.ContainsFunc(qf, func(f string) bool { return forms[f] }) {
			// An inflection of a word already asked for ("logistieken"
			// beside "logistiek") would look up the same evidence again
			// and count it twice.
			return
		}
		for _, f := range qf {
			forms[f] = true
		}
		if i, ok := index[t]; ok {
			out[i].Covers |= covers
			out[i].Weight = max(out[i].Weight, w)
			out[i].Exact = out[i].Exact && exact
			srcs[i] = min(srcs[i], src)
			return
		}
		index[t] = len(out)
		out = append(out, store.Concept{Text: t, Weight: w, Covers: covers, Exact: exact})
		srcs = append(srcs, src)
	}
	var ws []string
	for _, w := range words(topic) {
		if !topicStop[w] {
			ws = append(ws, w)
		}
	}
	// Each asked word is one unit of the question, or several when it is
	// a compound ("koelketenlogistiek", "co2-opslag"): a member matches
	// the whole question only by matching every unit.
	var parts []topicUnit
	var unitText []string
	masks := make([]uint32, len(ws))
	units := 0
	for i, w := range ws {
		pieces := store.Words(w)
		if len(pieces) == 1 {
			if sp := store.SplitCompound(pieces[0]); sp != nil {
				pieces = sp
			}
		}
		for _, p := range pieces {
			if units < 32 {
				masks[i] |= 1 << uint(units)
				if len(pieces) > 1 {
					parts = append(parts, topicUnit{p, 1 << uint(units)})
				}
				unitText = append(unitText, p)
				units++
			}
		}
	}
	all := uint32(0)
	for _, m := range masks {
		all |= m
	}
	wordWeight := weightWord
	if len(ws) > 1 {
		wordWeight = weightPartWord
	}
	for i := 0; i+1 < len(ws); i++ {
		add(ws[i]+" "+ws[i+1], weightPhrase, masks[i]|masks[i+1], false, srcAsked)
	}
	for i, w := range ws {
		add(w, wordWeight, masks[i], false, srcAsked)
	}
	for _, p := range parts {
		add(p.text, weightPartWord, p.covers, true, srcAsked)
	}
	var phrases []topicUnit
	for i, w := range ws {
		phrases = append(phrases, topicUnit{w, masks[i]})
	}
	phrases = append(phrases, parts...)
	for i := 0; i+1 < len(ws); i++ {
		phrases = append(phrases, topicUnit{ws[i] + " " + ws[i+1], masks[i] | masks[i+1]})
	}
	phrases = append(phrases, topicUnit{strings.Join(ws, " "), all})
	for _, p := range phrases {
		for _, v := range inflections(p.text) {
			for _, syn := range synonymIndex[v] {
				if syn != p.text {
					add(syn, weightSynonym, p.covers, true, srcVocabulary)
				}
			}
		}
	}
	// General translations come last, so the concept bound drops them
	// first: they weigh less than the network's own words.
	for _, t := range translations(ws, masks, parts) {
		add(t.text, weightTranslated, t.covers, true, srcTranslated)
	}
	if len(out) > maxTopicConcepts {
		out, srcs = out[:maxTopicConcepts], srcs[:maxTopicConcepts]
	}
	return out, srcs, unitText
}

// answered reports whether a who-result answers the question rather than
// a word of it: some expert must match every asked word, or all but one
// of a question of three words or more ("cold chain logistics in
// Venlo"). Otherwise Knoop says it found nobody: a nuclear-energy
// question is not answered by energy-transition experts.
func answered(res store.WhoResult, concepts []store.Concept) bool {
	var all uint32
	for _, c := range concepts {
		all |= c.Covers
	}
	n := bits.OnesCount32(all)
	need := 1.0
	if n >= 3 {
		need = float64(n-1) / float64(n)
	}
	for _, e := range res.Experts {
		if e.Coverage >= need-1e-9 {
			return true
		}
	}
	return false
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
