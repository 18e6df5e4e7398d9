package bot

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxMessageBytes is the longest message Knoop reads. Longer ones get a
// clear answer and change nothing.
const MaxMessageBytes = 4000

// Parsed is what a line of text asks for.
type Parsed struct {
	Command string // canonical command name; "" when not understood
	Args    string // the rest of the line, trimmed
	Lang    string // EN or NL when the wording tells, else ""
	Natural bool   // a natural-language question or sentence, not a command word
	Word    string // the first word as typed, for suggestions
}

// prefixes that address Knoop explicitly; adapters pass them through.
var prefixRE = regexp.MustCompile(`(?i)^\s*(?:/knoop|!knoop|@knoop|knoop)\b[\s:,]*`)

// natural maps free phrasing to commands. Order matters: the first match
// wins, so the more specific patterns come first.
var natural = []struct {
	re   *regexp.Regexp
	cmd  string
	lang string
}{
	// English who-questions.
	{re(`^(?:so\s+|hey\s+|hi\s+)?who(?:['’]s|\s+is|\s+are)\s+(?:really\s+|very\s+|any\s+|the\s+)?(?:good|great|skilled|experienced|strong|an?\s+expert|expert|the\s+expert|knowledgeable|best)\s+(?:at|in|with|on|about|for)\s+(.+)`), "who", EN},
	{re(`^who\s+(?:here\s+)?knows?\s+(?:a\s+lot\s+|anything\s+|something\s+|much\s+|more\s+)?(?:about\s+|of\s+)?(.+)`), "who", EN},
	{re(`^(?:(?:does|do)\s+)?(?:anyone|anybody|someone|somebody|any\s+of\s+you)\s+(?:here\s+)?knows?\s+(?:anything\s+|something\s+|a\s+lot\s+|much\s+)?(?:about\s+|of\s+)?(.+)`), "who", EN},
	{re(`^(?:is\s+there\s+|are\s+there\s+)?(?:anyone|anybody|someone|somebody|people)\s+(?:here\s+)?(?:(?:with|who\s+has|who\s+have|that\s+has)\s+(?:any\s+|some\s+)?(?:experience|expertise|knowledge|background)\s+(?:in|with|of|on|about)|(?:familiar|experienced)\s+(?:with|in))\s+(.+)`), "who", EN},
	{re(`^(?:does|do|has)\s+(?:anyone|anybody|someone|somebody|any\s+of\s+you)\s+(?:here\s+)?(?:have|has|got)\s+(?:any\s+|some\s+)?(?:experience|expertise|knowledge|background)\s+(?:in|with|of|on|about)\s+(.+)`), "who", EN},
	{re(`^(?:do|does)\s+(?:you|anyone|anybody)\s+know\s+(?:anyone|anybody|someone|somebody)\s+(?:who|that|with)\s+(.+)`), "who", EN},
	{re(`^who\s+(?:has|have)\s+(?:worked\s+(?:on|with|in)|(?:any\s+|some\s+)?(?:experience|expertise|knowledge)\s+(?:in|with|of|on|about))\s+(.+)`), "who", EN},
	{re(`^(?:any|are\s+there\s+any)\s+experts?\s+(?:on|in|at|for)\s+(.+)`), "who", EN},
	{re(`^(?:i['’]?m|i\s+am|we['’]?re|we\s+are)\s+looking\s+for\s+(?:someone|somebody|an?\s+expert|expertise|people)\s+(?:in|on|for|with|who\s+knows(?:\s+about)?)\s+(.+)`), "who", EN},
	{re(`^who\s+can\s+(?:help\s+(?:me\s+|us\s+)?(?:with|on)\s+)?(.+)`), "who", EN},
	// Dutch who-questions.
	{re(`^wie\s+(?:is|zijn)\s+(?:er\s+)?(?:hier\s+)?(?:heel\s+|echt\s+|erg\s+)?(?:goed|sterk|handig|ervaren|thuis|deskundig|expert|specialist|de\s+expert|de\s+specialist)\s+(?:in|met|op|bij)\s+(.+)`), "who", NL},
	{re(`^wie\s+weet\s+(?:er\s+)?(?:hier\s+)?(?:iets|veel|alles|meer|wat)?\s*(?:van|over|af\s+van)\s+(.+)`), "who", NL},
	{re(`^wie\s+(?:heeft|hebben)\s+(?:er\s+)?(?:ervaring|verstand|kennis|expertise)\s+(?:met|van|in|op|over)\s+(.+)`), "who", NL},
	{re(`^wie\s+kan\s+(?:er\s+)?(?:ons\s+|me\s+|mij\s+)?(?:helpen\s+(?:met|bij)\s+)?(.+)`), "who", NL},
	{re(`^wie\s+kent\s+(?:er\s+)?(?:iets\s+van\s+)?(.+)`), "who", NL},
	{re(`^(?:is\s+er\s+|zijn\s+er\s+)?(?:iemand|mensen)\s+(?:hier\s+)?(?:met\s+)?(?:ervaring|verstand|kennis|expertise)\s+(?:met|van|in|op|over)\s+(.+)`), "who", NL},
	{re(`^(?:heeft|hebben)\s+(?:er\s+)?(?:iemand|jullie|mensen)\s+(?:hier\s+)?(?:ervaring|verstand|kennis|expertise)\s+(?:met|van|in|op|over)\s+(.+)`), "who", NL},
	{re(`^(?:is\s+er\s+|zijn\s+er\s+)?(?:iemand|mensen)\s+(?:hier\s+)?die\s+(.+)`), "who", NL},
	{re(`^weet\s+iemand\s+(?:hier\s+)?(?:iets\s+|veel\s+|meer\s+)?(?:van|over)\s+(.+)`), "who", NL},
	{re(`^(?:ken|kent|kennen)\s+(?:je|jij|jullie|u)\s+iemand\s+(?:die|met|voor)\s+(.+)`), "who", NL},
	{re(`^(?:ik\s+zoek|wij\s+zoeken|we\s+zoeken)\s+(?:iemand|een\s+expert|een\s+specialist|expertise)\s+(?:in|op|voor|met|die)\s+(.+)`), "who", NL},
	// Commitments said as a sentence.
	// "I'll be away until …" is an absence, not a commitment: before those.
	{re(`^(?:i\s+will\s+be|i['’]ll\s+be|i\s+am|i['’]m)\s+(?:away|on\s+(?:holiday|vacation|leave)|out\s+of\s+(?:the\s+)?office)\s+((?:until|till|til)\s+.+)`), "away", EN},
	{re(`^ik\s+ben\s+(?:afwezig|weg|op\s+vakantie|met\s+verlof|vrij)\s+((?:tot|t/m|tot\s+en\s+met)\s+.+)`), "away", NL},
	// Commitments said as a sentence. Only verbs that promise work: "I can
	// help with hydrogen" or "ik ga ervan uit dat…" are not commitments.
	{re(`^(?:i\s+commit\s+to|i\s+promise\s+to)\s+(.+)`), "commit", EN},
	{re(`^(?:i\s+will|i['’]ll)\s+((?:deliver|send|write|make|prepare|organi[sz]e|draft|share|finish|complete|provide|review|build|set\s+up|arrange|call|plan|present|update|check|test|run|host|create|do)\b.+)`), "commit", EN},
	{re(`^ik\s+((?:lever|zorg|maak|schrijf|regel|stuur|organiseer|bel|plan|deel|bouw|review|presenteer|test|check|controleer)\b.+)`), "commit", NL},
	{re(`^ik\s+(?:zal|ga)\s+((?:de|het|een|ons|onze|mijn)?\s*\S+.*\s(?:leveren|opleveren|maken|schrijven|regelen|sturen|organiseren|bellen|plannen|delen|bouwen|reviewen|presenteren|afronden|voorbereiden|opstellen|uitzoeken|doen)\b.*)`), "commit", NL},
}

func re(s string) *regexp.Regexp { return regexp.MustCompile(`(?is)` + s) }

// topicNoise is trimmed from the end of a who-topic: "…verstand heeft van
// subsidies" keeps "subsidies", "LNG bunkering?" keeps "LNG bunkering".
var (
	topicLead  = re(`^(?:(?:veel\s+|wat\s+|iets\s+)?(?:verstand|ervaring|kennis)\s+(?:(?:heeft|hebben)\s+)?(?:van|met|over|in)\s+|(?:goed|sterk)\s+is\s+in\s+|(?:iets\s+|veel\s+|wat\s+|meer\s+)?weet\s+(?:van|over)\s+|knows\s+about\s+|(?:has\s+|have\s+)?(?:experience|expertise|knowledge)\s+(?:in|with|of|on|about)\s+|is\s+(?:good|great|experienced)\s+(?:at|in|with)\s+|about\s+|in\s+|over\s+|van\s+|met\s+)`)
	topicTrail = re(`\s+(?:heeft|hebben|kan|kunnen|doet|weet|kent|is|here|hier|in\s+(?:this|the|our|ons|het|dit)\s+(?:network|netwerk)|please|graag)$`)
)

// Clean makes a raw line safe to parse: invalid UTF-8 replaced, control
// characters (NUL included) turned into spaces, runs of space collapsed.
// ok is false when the line is longer than MaxMessageBytes, as sent or
// once its invalid bytes are replaced.
func Clean(text string) (string, bool) {
	if len(text) > MaxMessageBytes {
		return "", false
	}
	if !utf8.ValidString(text) {
		// U+FFFD is three bytes, so replacing can grow the line past the
		// limit; check again.
		if text = strings.ToValidUTF8(text, "�"); len(text) > MaxMessageBytes {
			return "", false
		}
	}
	text = strings.Map(func(r rune) rune {
		// Bidi controls and zero-width marks are invisible: a leading one
		// would hide the command word, and stored ones can reorder how a
		// later reader sees the text.
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u200b' || r == '\u2060' || r == '\ufeff' {
			return ' '
		}
		return r
	}, text)
	return strings.Join(strings.Fields(text), " "), true
}

// Parse reads a cleaned line. It never fails: a line it does not
// understand comes back with an empty Command and the first word in Word.
func Parse(text string) Parsed {
	text = strings.TrimSpace(prefixRE.ReplaceAllString(text, ""))
	if text == "" {
		return Parsed{}
	}
	first, rest, _ := strings.Cut(text, " ")
	word := strings.ToLower(strings.TrimRight(first, ":,.!?"))
	if word == "" {
		word = strings.ToLower(first) // "?" is itself a command word
	}
	// Natural phrasing first: "who is good at X" starts with the command
	// word "who" but its topic is X.
	line := strings.TrimRight(text, " ?!.")
	for _, n := range natural {
		if m := n.re.FindStringSubmatch(line); m != nil {
			args := strings.TrimSpace(m[1])
			if n.cmd == "who" {
				args = cleanTopic(args)
			}
			if args == "" {
				continue
			}
			return Parsed{Command: n.cmd, Args: args, Lang: n.lang, Natural: true, Word: word}
		}
	}
	if c, lang, ok := lookup(word); ok {
		return Parsed{Command: c.Name, Args: strings.TrimSpace(rest), Lang: lang, Word: word}
	}
	return Parsed{Args: text, Word: word, Lang: detectLang(text)}
}

func cleanTopic(t string) string {
	for range 3 {
		before := t
		t = strings.TrimSpace(topicLead.ReplaceAllString(t, ""))
		t = strings.TrimSpace(topicTrail.ReplaceAllString(t, ""))
		t = strings.Trim(t, " ?!.,\"'")
		if t == before {
			break
		}
	}
	return t
}

// lookup finds a command by its name or an alias. The language is EN for
// an English word, NL for a Dutch one and "" for words both use.
func lookup(word string) (*Command, string, bool) {
	e, ok := commandIndex()[word]
	if !ok {
		return nil, "", false
	}
	return e.cmd, e.lang, true
}

// Suggest returns the command word nearest to word, or "" if none is
// close enough to be a likely typo. Words under three letters get no
// suggestion: "I", "we" and "de" start sentences, they are not typos of
// "?", "me" or "due".
func Suggest(word string) string {
	n := utf8.RuneCountInString(word)
	if n < 3 || len(word) > 40 {
		return ""
	}
	// Distances are in half edits (see typoDistance): up to two edits for
	// longer words, one for short ones, a swap counting half.
	best, bestD := "", 5
	if n <= 4 {
		bestD = 3
	}
	for _, w := range commandWords() {
		if d := typoDistance(word, w); d < bestD {
			best, bestD = w, d
		}
	}
	return best
}

// typoDistance is the optimal-string-alignment distance between a and b
// with an insertion, deletion or substitution costing 2 and a swap of two
// neighbouring letters ("hlep", "wei") costing 1: a swap is the commonest
// typo, and a plain edit distance counts it as two edits.
func typoDistance(a, b string) int {
	s, t := []rune(a), []rune(b)
	rows := make([][]int, len(s)+1)
	for i := range rows {
		rows[i] = make([]int, len(t)+1)
		rows[i][0] = 2 * i
	}
	for j := range rows[0] {
		rows[0][j] = 2 * j
	}
	for i := 1; i <= len(s); i++ {
		for j := 1; j <= len(t); j++ {
			sub := 2
			if s[i-1] == t[j-1] {
				sub = 0
			}
			d := min(rows[i-1][j]+2, rows[i][j-1]+2, rows[i-1][j-1]+sub)
			if i > 1 && j > 1 && s[i-1] == t[j-2] && s[i-2] == t[j-1] && s[i-1] != s[i-2] {
				d = min(d, rows[i-2][j-2]+1)
			}
			rows[i][j] = d
		}
	}
	return rows[len(s)][len(t)]
}
