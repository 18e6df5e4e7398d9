package question

import (
	"strings"
	"unicode/utf8"
)

// class is a bit set: what role a word can play around a topic. A word
// may play several ("who" asks and starts a relative clause; "done" is a
// light verb and a sign of experience).
type class uint32

const (
	cWH         class = 1 << iota // who, wie: asks for a person
	cWhich                        // which, welke: asks for a person when a person noun follows
	cPerson                       // someone, iemand: an indefinite person
	cPersonWeak                   // jullie, any of you: a person only with a cue of knowing
	cExpert                       // expert, specialist, wizard: a person noun
	cKnowV                        // know, weet, snapt: verbs of knowing
	cKnowN                        // experience, verstand, familiar, good: nouns and adjectives of knowing
	cExper                        // worked, done, gedaan: verbs that show experience
	cIdiom                        // way, weg, stuff: words of idioms of knowing
	cHelpV                        // help, adviseren, explain: verbs of helping
	cHelpN                        // advice, tips, hulp: nouns of helping (a topic may end in one)
	cSeek                         // looking, zoek, need: seeking
	cHow                          // how, hoe
	cHowSubj                      // you, je, one, I: the generic subject of a how-question
	cAbility                      // can, kan, able: modals of ability
	cModal                        // would, zou, might, should: other modals
	cAux                          // is, has, heeft, do: auxiliaries
	cLightL                       // make, build, write: light verbs, stripped before a topic
	cLightR                       // maken, bouwt, opzet: light verbs, stripped after a topic (Dutch word order)
	cPart                         // up, op, aan, af: verb particles
	cPrep                         // about, in, met, van: prepositions
	cPrepTopic                    // op het gebied van, when it comes to: always introduce the topic
	cDet                          // the, een: articles and demonstratives
	cPoss                         // our, mijn: possessives
	cPron                         // I, we, ons: personal pronouns
	cQuant                        // some, iets, a lot: quantities
	cFiller                       // here, please, toevallig: fillers
	cPolite                       // hi, sorry, thanks: politeness
	cInfo                         // where, when, whether: an information question, not an expertise one
	cRel                          // who, that, die: starts a relative clause inside a topic
	cConj                         // because, omdat, but: starts another clause
	cNeg                          // nobody, niemand: never a cue
)

// Language tags of lexicon words.
const (
	en = "en"
	nl = "nl"
)

type entry struct {
	cls  class
	lang string // en, nl, or "" when both languages use the word
}

var (
	lexicon = map[string]entry{}
	// phrases are multi-word frames, matched longest first.
	phrases = map[string]entry{}
	// maxPhrase is the longest phrase in words.
	maxPhrase = 1
	// phraseStart holds the first word of every phrase.
	phraseStart = map[string]bool{}
	// fuzzy lists cue words long enough to be matched with a typo.
	fuzzy []fuzzyWord
)

type fuzzyWord struct {
	word string
	e    entry
}

func add(c class, lang string, words ...string) {
	for _, w := range words {
		if strings.Contains(w, " ") {
			e := phrases[w]
			e.lang = mergeLang(e, lang)
			e.cls |= c
			phrases[w] = e
			maxPhrase = max(maxPhrase, len(strings.Fields(w)))
			phraseStart[strings.Fields(w)[0]] = true
			continue
		}
		e := lexicon[w]
		e.lang = mergeLang(e, lang)
		e.cls |= c
		lexicon[w] = e
	}
}

// mergeLang keeps a word's language only while every listing agrees.
func mergeLang(e entry, lang string) string {
	if e.cls == 0 {
		return lang
	}
	if e.lang != lang {
		return ""
	}
	return lang
}

// The lexicons list words by what they do around a topic, not whole
// questions: any order of them is understood, so a phrasing nobody
// listed still works when its words are known.
func init() {
	add(cWH, en, "who", "whom", "whoever", "who's", "whos", "who'd")
	add(cWH, nl, "wie", "wiens")
	add(cWhich, en, "which", "what")
	add(cWhich, nl, "welke", "welk")
	add(cPerson, en, "anyone", "anybody", "someone", "somebody", "people", "person", "colleague", "colleagues",
		"member", "members", "folks", "guys", "anyone's")
	add(cPerson, nl, "iemand", "mensen", "collega", "collega's", "persoon", "lid", "leden")
	add(cPersonWeak, en, "any of you", "anyone of you", "you all", "you guys")
	add(cPersonWeak, nl, "jullie", "van jullie", "iemand van jullie")
	add(cExpert, en, "expert", "experts", "specialist", "specialists", "wizard", "wizards", "guru", "gurus",
		"whiz", "pro", "pros", "advisor", "advisors", "adviser", "consultant", "consultants", "go-to", "connoisseur",
		"authority", "ninja", "ninjas", "buff", "buffs", "nerd", "nerds", "geek", "geeks", "go-to person", "point of contact")
	add(cExpert, nl, "deskundige", "deskundigen", "kenner", "kenners", "adviseur", "adviseurs", "specialisten",
		"ervaringsdeskundige", "aanspreekpunt", "vraagbaak", "crack", "kei")
	add(cKnowV, en, "know", "knows", "knew", "understand", "understands", "understood", "get", "gets", "master", "masters")
	add(cKnowV, nl, "weet", "weten", "wist", "ken", "kent", "kennen", "kende", "snap", "snapt", "snappen",
		"begrijp", "begrijpt", "begrijpen", "beheerst", "beheersen")
	add(cKnowN, en, "knowledge", "knowledgeable", "experience", "experienced", "expertise", "familiar", "background",
		"good", "great", "best", "strong", "skilled", "handy", "competent", "proficient", "versed", "well-versed",
		"savvy", "seasoned", "clued", "into", "insight", "insights", "know-how", "knowhow", "at home", "up to speed", "the ropes",
		"best placed", "well placed", "right person", "speaks", "fluent")
	add(cKnowN, nl, "kennis", "verstand", "ervaring", "ervaren", "thuis", "bekend", "goed", "goede", "sterk",
		"handig", "deskundig", "bedreven", "beste", "kundig", "onderlegd", "inzicht", "achtergrond", "expertise",
		"wegwijs", "kaas gegeten", "raad weten", "weet raad", "spreekt", "vloeiend", "juiste persoon")
	add(cExper, en, "worked", "done", "dealt", "used", "tried", "handled", "tackled", "did", "ever", "written", "wrote",
		"built", "made", "created", "organised", "organized", "developed", "managed", "led", "run", "set up")
	add(cExper, nl, "gewerkt", "gedaan", "gebruikt", "geprobeerd", "meegemaakt", "ooit", "weleens", "wel eens", "eerder",
		"geschreven", "gebouwd", "gemaakt", "georganiseerd", "opgezet", "ontwikkeld", "geleid")
	add(cIdiom, en, "way", "stuff", "a thing or two", "onions", "when it comes to", "their way around", "your way around")
	add(cIdiom, nl, "weg", "de weg", "een en ander")
	add(cHelpV, en, "help", "helps", "helping", "advise", "advising", "assist", "support", "explain", "tell",
		"recommend", "point", "contact", "talk", "speak", "ask", "guide", "answer", "consult", "reach", "teach me")
	add(cHelpV, nl, "helpen", "help", "helpt", "adviseren", "adviseert", "advies geven", "ondersteunen",
		"uitleggen", "leggen", "vertellen", "aanraden", "meedenken", "meekijken", "denken", "kijken",
		"sparren", "praten", "spreken", "vragen", "benaderen", "bellen", "raadplegen")
	add(cHelpN, en, "help", "advice", "tips", "tip", "pointers", "assistance", "guidance", "input")
	add(cHelpN, nl, "hulp", "advies", "tips", "tip", "raad", "hulpje", "ondersteuning", "input")
	add(cSeek, en, "looking", "look", "searching", "search", "seeking", "seek", "need", "needs", "needed",
		"wanted", "require", "required", "find", "in need of", "hunting", "after")
	add(cSeek, nl, "zoek", "zoeken", "zoekt", "gezocht", "nodig", "op zoek", "vind", "vinden")
	add(cHow, en, "how")
	add(cHow, nl, "hoe")
	add(cHowSubj, en, "you", "one", "i", "we")
	add(cHowSubj, nl, "je", "jij", "men", "ik", "we", "wij", "u")
	add(cAbility, en, "can", "could", "able", "capable", "be able to")
	add(cAbility, nl, "kan", "kun", "kunt", "kunnen", "in staat")
	add(cModal, en, "would", "might", "may", "should", "will", "shall", "must", "happen", "happens", "like", "want", "wants", "wanted to")
	add(cModal, nl, "zou", "zouden", "mag", "moet", "moeten", "wil", "wilt", "willen", "zal")
	add(cAux, en, "is", "are", "am", "be", "been", "was", "were", "has", "have", "had", "do", "does", "got",
		"there", "there's", "i'm", "we're", "you're", "i'd", "i've", "we've", "it's", "'s")
	add(cAux, nl, "is", "ben", "bent", "zijn", "was", "waren", "heeft", "hebben", "heb", "hebt", "had",
		"doet", "er", "daar", "staat", "zit")
	add(cLightL, en, "make", "making", "build", "building", "do", "doing", "write", "writing", "create", "creating",
		"set", "setting", "organise", "organize", "organising", "organizing", "arrange", "arranging", "prepare",
		"preparing", "draft", "drafting", "review", "reviewing", "check", "checking", "run", "running",
		"handle", "handling", "deal", "dealing", "start", "starting", "started", "apply", "applying", "use", "using",
		"tackle", "approach", "implement", "implementing", "improve", "improving", "fix", "fixing", "found",
		"establish", "establishing", "launch", "launching", "manage", "develop", "developing", "put together", "give", "giving",
		"set up", "setting up", "get started", "deal with", "look into", "looking into", "dive into", "go into")
	add(cLightL, nl, "maak", "maakt", "maken", "bouw", "bouwt", "bouwen", "doe", "doen", "schrijf", "schrijft",
		"schrijven", "zet", "zetten", "opzetten", "organiseer", "organiseren", "regel", "regelen", "stel",
		"opstellen", "opzet", "vraag", "aanvragen", "richt", "inrichten", "oprichten", "aanpakken", "gebruiken",
		"werken", "starten", "beginnen", "reviewen", "checken", "controleren", "nakijken", "opstarten",
		"ontwikkelen", "verbeteren", "kom", "komen", "krijg", "krijgen", "geef")
	add(cLightR, nl, "maken", "maakt", "gemaakt", "bouwen", "bouwt", "gebouwd", "doen", "doet", "gedaan",
		"schrijven", "schrijft", "geschreven", "opzetten", "opzet", "opgezet", "organiseren", "organiseert",
		"georganiseerd", "regelen", "regelt", "geregeld", "opstellen", "opstelt", "aanvragen", "aanvraagt",
		"aangevraagd", "inrichten", "inricht", "ingericht", "oprichten", "opricht", "opgericht", "aanpakken",
		"aanpakt", "aangepakt", "gebruiken", "gebruikt", "werken", "werkt", "gewerkt", "starten", "start",
		"gestart", "opstarten", "opstart", "reviewen", "checken", "controleren", "nakijken", "ontwikkelen",
		"ontwikkelt", "verbeteren", "verbetert", "helpen", "adviseren", "uitleggen", "geven", "leveren")
	add(cLightR, en, "works")
	add(cPart, en, "up", "out", "around", "together")
	add(cPart, nl, "op", "aan", "af", "mee", "uit", "in", "bij", "toe", "na", "om")
	add(cPrep, en, "about", "in", "with", "on", "of", "at", "for", "to", "around", "regarding", "concerning",
		"into", "re", "wrt")
	add(cPrep, nl, "over", "van", "met", "in", "op", "bij", "voor", "naar", "rond", "rondom", "omtrent", "inzake", "aan", "om")
	add(cPrepTopic, en, "when it comes to", "in the field of", "in the area of", "in the domain of",
		"with regard to", "with respect to", "in terms of", "related to", "on the topic of", "on the subject of")
	add(cPrepTopic, nl, "op het gebied van", "op het vlak van", "als het gaat om", "als het om", "met betrekking tot",
		"wat betreft", "in het kader van", "op het terrein van", "rondom het thema", "m.b.t.")
	add(cDet, en, "the", "a", "an", "this", "that", "these", "those")
	add(cDet, nl, "de", "het", "een", "dit", "dat", "deze", "die", "'t")
	add(cPoss, en, "my", "our", "your", "their", "his", "her", "its")
	add(cPoss, nl, "mijn", "m'n", "ons", "onze", "je", "jouw", "uw", "hun", "haar", "zijn", "z'n")
	add(cPron, en, "i", "me", "we", "us", "you", "they", "them", "it", "one", "myself", "ourselves")
	add(cPron, nl, "ik", "me", "mij", "we", "wij", "ons", "je", "jij", "jou", "u", "ze", "zij", "hen", "het", "men")
	add(cQuant, en, "some", "any", "anything", "something", "much", "more", "lot", "lots", "a lot", "a bit",
		"little", "a little", "plenty", "all", "enough", "quite a bit", "everything")
	add(cQuant, nl, "iets", "wat", "veel", "meer", "alles", "enige", "enig", "wat meer", "een beetje", "beetje", "genoeg", "al")
	add(cFiller, en, "here", "please", "pls", "plz", "maybe", "perhaps", "actually", "also", "really", "very",
		"quite", "by any chance", "in this network", "in the network", "in our network", "on this channel",
		"in this channel", "in this group", "in here", "out there", "around here", "already", "before", "still",
		"currently", "now", "again", "exactly", "particular", "especially", "specifically", "just", "then", "so",
		"anyway", "well", "ok", "okay", "else", "everyone", "everybody")
	add(cFiller, nl, "hier", "graag", "toevallig", "misschien", "eigenlijk", "ook", "echt", "heel", "erg",
		"zeer", "even", "nog", "al", "eens", "ooit", "soms", "nu", "dan", "dus", "trouwens", "wellicht",
		"in dit netwerk", "in ons netwerk", "in het netwerk", "in deze groep", "in dit kanaal", "hierin",
		"hiervan", "ervan", "erover", "daarvan", "daarover", "daarin", "ermee", "daarmee", "nou", "gewoon",
		"precies", "bijvoorbeeld", "ergens", "allemaal", "iedereen", "overigens", "toch")
	add(cPolite, en, "hi", "hey", "hello", "hiya", "dear", "all", "team", "thanks", "thank", "thx", "cheers",
		"sorry", "excuse", "bother", "question", "quick question", "wondering", "wondered", "curious", "please", "kindly",
		"let me know", "thanks in advance", "in advance", "good morning", "good afternoon", "morning", "but", "and",
		"appreciated", "much appreciated", "greetings")
	add(cPolite, nl, "hoi", "hallo", "hai", "beste", "allen", "bedankt", "dank", "dankjewel", "alvast",
		"vraagje", "vraag", "snelle", "benieuwd", "afvragen", "vroeg", "vraag me af", "goedemorgen",
		"goedemiddag", "laat maar weten", "laat het weten", "laat even weten", "maar", "en", "groet", "groeten",
		"collega's", "mensen", "lieve")
	add(cInfo, en, "where", "when", "whether", "if", "why")
	add(cInfo, nl, "waar", "wanneer", "of", "waarom")
	add(cRel, en, "who", "that", "which", "whom")
	add(cRel, nl, "die", "dat", "welke", "wie")
	add(cConj, en, "because", "since", "as", "so that", "but", "and then", "although")
	add(cConj, nl, "omdat", "want", "zodat", "maar", "aangezien", "hoewel")
	add(cNeg, en, "nobody", "no one", "noone", "none", "not", "never")
	add(cNeg, nl, "niemand", "niet", "nooit", "geen")

	for _, w := range []string{
		"anyone", "anybody", "someone", "somebody", "iemand", "experience", "experienced", "expertise",
		"knowledge", "knowledgeable", "ervaring", "verstand", "kennis", "familiar", "specialist", "specialists",
		"looking", "searching", "advice", "advise", "adviseren", "advies", "understand", "understands",
		"background", "helpen", "deskundige",
	} {
		fuzzy = append(fuzzy, fuzzyWord{w, lexicon[w]})
	}
}

// lookupWord returns the lexicon entry of a lower-case word, allowing a
// typo on the longer cue words when typos is true. A typo is one swap of
// neighbours, one letter missing or one extra; a substituted letter only
// on words of eight letters or more ("export" is not a typo of "expert").
func lookupWord(w string, typos bool) (entry, bool) {
	if e, ok := lexicon[w]; ok {
		return e, true
	}
	if !typos || len(w) < 5 || len(w) > 20 {
		return entry{}, false
	}
	for _, f := range fuzzy {
		if oneTypo(w, f.word) {
			return f.e, true
		}
	}
	return entry{}, false
}

// oneTypo reports whether a is b with one typo as lookupWord allows.
// The cue words are ASCII; a word with other letters is no typo of one.
func oneTypo(a, b string) bool {
	if a == b || !ascii(a) || len(a) > len(b)+1 || len(b) > len(a)+1 {
		return false
	}
	switch len(a) - len(b) {
	case 0:
		diff := 0
		for diff < len(a) && a[diff] == b[diff] {
			diff++
		}
		// A swap of neighbours.
		if diff+1 < len(a) && a[diff] == b[diff+1] && a[diff+1] == b[diff] && a[diff+2:] == b[diff+2:] {
			return true
		}
		// A substitution, only on long words.
		return len(b) >= 8 && a[diff+1:] == b[diff+1:]
	case 1:
		return dropOne(a, b)
	}
	return dropOne(b, a)
}

// dropOne reports whether long is short with one extra letter.
func dropOne(long, short string) bool {
	i := 0
	for i < len(short) && long[i] == short[i] {
		i++
	}
	return long[i+1:] == short[i:]
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
