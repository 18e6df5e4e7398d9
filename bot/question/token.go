package question

import (
	"strings"
	"unicode"
)

// unit is one word of a line, or several when they form a phrase of the
// lexicon ("op het gebied van", "a lot").
type unit struct {
	raw   string // as written, words joined by one space
	norm  string // lower case, edge punctuation removed
	exact entry  // lexicon entry of norm; zero when unknown
	typo  entry  // entry allowing a typo on long cue words
}

// edge is punctuation trimmed from the ends of a word and of a topic.
const edge = "?!.,;:\"“”„‘’'`()[]{}<>…–—*_~"

// sentences splits a line into sentences of units. A sentence ends at a
// word ending in ?, ! or a full stop (not an abbreviation such as "e.g.").
// question reports whether the line has a question mark anywhere.
func sentences(line string) (out [][]unit, question bool) {
	var words []string
	flush := func() {
		if len(words) > 0 {
			out = append(out, units(words))
			words = nil
		}
	}
	for _, w := range strings.Fields(apostrophes.Replace(line)) {
		if strings.ContainsRune(w, '?') {
			question = true
		}
		if strings.Trim(w, edge) != "" {
			words = append(words, w)
		}
		if endsSentence(w) {
			flush()
		}
	}
	flush()
	return out, question
}

var apostrophes = strings.NewReplacer("’", "'", "‘", "'")

// wordsOf splits text into words, leaving out words of punctuation only.
func wordsOf(text string) []string {
	var out []string
	for _, w := range strings.Fields(apostrophes.Replace(text)) {
		if strings.Trim(w, edge) != "" {
			out = append(out, w)
		}
	}
	return out
}

func endsSentence(w string) bool {
	t := strings.TrimRight(w, "\"“”'’)]}")
	if t == "" {
		return false
	}
	switch t[len(t)-1] {
	case '?', '!':
		return true
	case '.':
		// "e.g." and "m.b.t." carry a stop inside; "3.5." and "end." do not.
		inner := strings.TrimRight(t, ".")
		return !strings.Contains(inner, ".") && len(t)-len(inner) == 1 || strings.HasSuffix(t, "...")
	}
	return false
}

// units turns the words of one sentence into units, joining phrases.
func units(words []string) []unit {
	norms := make([]string, len(words))
	for i, w := range words {
		norms[i] = normalize(w)
	}
	var out []unit
	for i := 0; i < len(words); {
		n := 1
		var e entry
		for k := min(maxPhrase, len(words)-i); k >= 2 && phraseStart[norms[i]]; k-- {
			if pe, ok := phrases[strings.Join(norms[i:i+k], " ")]; ok {
				n, e = k, pe
				break
			}
		}
		u := unit{raw: strings.Join(words[i:i+n], " "), norm: strings.Join(norms[i:i+n], " ")}
		if n > 1 {
			u.exact, u.typo = e, e
		} else {
			u.exact, _ = lookupWord(u.norm, false)
			u.typo, _ = lookupWord(u.norm, true)
		}
		out = append(out, u)
		i += n
	}
	return out
}

// normalize lower-cases a word and trims its edge punctuation; a word the
// lexicon knows with an apostrophe ("'t", "collega's") keeps it.
func normalize(w string) string {
	l := strings.ToLower(w)
	if _, ok := lexicon[strings.TrimRight(l, "?!.,;:")]; ok {
		return strings.TrimRight(l, "?!.,;:")
	}
	return strings.Trim(l, edge)
}

// hasWord reports whether s has a letter or a digit.
func hasWord(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}
