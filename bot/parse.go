package bot

import (
	"cmp"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"knoop/bot/question"
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
	// Social is small talk Knoop answers kindly when Command is "":
	// question.Greeting, question.Thanks or question.About.
	Social string
}

// prefixes that address Knoop explicitly; adapters pass them through.
var prefixRE = regexp.MustCompile(`(?i)^\s*(?:/knoop|!knoop|@knoop|knoop)\b[\s:,]*`)

// natural maps sentences that commit or announce an absence to commands.
// Who-questions are read by package question, which needs no templates.
// Order matters: the first match wins, so the more specific patterns come
// first.
var natural = []struct {
	re   *regexp.Regexp
	cmd  string
	lang string
}{
	// Absences said as a sentence.
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
	line := strings.TrimRight(text, " ?!.")
	for _, n := range natural {
		if m := n.re.FindStringSubmatch(line); m != nil {
			return Parsed{Command: n.cmd, Args: strings.TrimSpace(m[1]), Lang: n.lang, Natural: true, Word: word}
		}
	}
	c, lang, isCommand := lookup(word)
	if isCommand && c != cmdWho {
		return Parsed{Command: c.Name, Args: strings.TrimSpace(rest), Lang: lang, Word: word}
	}
	// "who is good at X" starts with the command word "who" but its topic
	// is X; "who X" is the command.
	if q, ok := question.Who(text); ok {
		if q.Lang == "" {
			q.Lang = lang
		}
		return Parsed{Command: cmdWho.Name, Args: q.Topic, Lang: q.Lang, Natural: true, Word: word}
	}
	if isCommand {
		if topic, ok := question.TopicOf(rest); ok {
			return Parsed{Command: c.Name, Args: topic, Lang: lang, Word: word}
		}
	}
	if kind, lang := question.Social(text); kind != "" {
		return Parsed{Args: text, Word: word, Lang: cmp.Or(lang, detectLang(text)), Social: kind}
	}
	return Parsed{Args: text, Word: word, Lang: detectLang(text)}
}

// cleanTopic trims the frame around a who-topic ("about X here" → "X").
func cleanTopic(t string) string { return question.Topic(t) }

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
// close enough to be a likely typo. How close depends on the word's
// length, in half edits (see typoDistance): a word of up to four letters
// only with two letters swapped ("hlep", "wei"), up to seven letters with
// one edit, longer ones with two. A common word of either language is
// never a typo: "does" is not "doel", "I", "we" and "de" start sentences.
func Suggest(word string) string {
	n := utf8.RuneCountInString(word)
	if n < 3 || len(word) > 40 || dutchMarkers[word] || englishMarkers[word] {
		return ""
	}
	limit := 4
	switch {
	case n <= 4:
		limit = 1
	case n <= 7:
		limit = 2
	}
	best, bestD := "", limit+1
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
