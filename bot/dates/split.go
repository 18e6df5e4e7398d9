package dates

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// maxDateWords is the longest date expression Split looks for, in words
// ("the day after tomorrow at 3 pm" is seven). Only this many words at the end
// of a sentence are ever examined, so Split's cost does not grow with input.
const maxDateWords = 8

// Split finds a date expression at the END of a sentence, optionally introduced by a keyword
// (en: by, before, on, due, until, for; nl: voor, op, uiterlijk, tegen, tot, per, vóór), and returns the sentence
// without it (trimmed, trailing punctuation removed) plus the date.
//
//	"deliver the pilot report by next friday" -> ("deliver the pilot report", <date>, true)
//	"ik lever de businesscase voor vrijdag" -> ("ik lever de businesscase", <friday>, true)
//	"write the memo" -> ("write the memo", zero, false)
//
// The date has the meaning Parse gives it, and the longest date expression
// wins. A date directly after a keyword, or making up the whole text, may be
// anything Parse accepts. Otherwise only the rule grammar is used; a match
// right after a word like "from" or "last" is refused (it is the tail of a
// longer expression); and abbreviations and numeric dates without a full year
// ("do", "sun", "1/2") are not taken, because at the end of a sentence they
// are far more often ordinary words ("things to do") or numbers. The keyword
// only introduces the date: "before friday" is due on friday.
// Also accepted as keywords: till, t/m, "tot en met", "no later than"; "due"
// or "uiterlijk" before another keyword ("due by", "uiterlijk op") is removed
// too.
//
// rest is always a prefix of text with its leading white space removed; it
// is empty when the whole text is a date.
// When no date is found, ok is false and rest is text trimmed of white space
// and trailing punctuation. Split is safe for concurrent use and never panics.
func Split(text string, now time.Time, loc *time.Location) (rest string, due time.Time, ok bool) {
	s := trimSentence(text)
	words := lastWords(s, maxDateWords)
	for k := min(maxDateWords, len(words)); k >= 1; k-- {
		start := words[len(words)-k]
		cand := s[start:]
		var d time.Time
		var found bool
		if start == 0 || keywordLen(s[:start]) > 0 {
			d, found = Parse(cand, now, loc)
		} else if !connective[lastWordLower(s[:start])] {
			var weak bool
			d, weak, found = parseRulesOnly(cand, now, loc)
			found = found && !weak
		}
		if found {
			return cleanRest(s[:start]), d, true
		}
	}
	return s, time.Time{}, false
}

// connective words before a rule match show that the match is only the tail
// of a longer expression the rules did not understand: "a week from |
// tomorrow", "last | friday". Taking the tail would give a wrong date, so
// such a match is refused.
var connective = map[string]bool{
	"from": true, "after": true, "na": true, "vanaf": true, "of": true,
	"van": true, "the": true, "next": true, "this": true, "last": true,
	"volgende": true, "volgend": true, "deze": true, "komende": true,
	"coming": true, "vorige": true, "afgelopen": true, "previous": true,
}

// lastWordLower returns the last word of s, lower-cased.
func lastWordLower(s string) string {
	starts := lastWords(s, 1)
	if len(starts) == 0 {
		return ""
	}
	return strings.ToLower(strings.TrimRightFunc(s[starts[0]:], unicode.IsSpace))
}

// lastWords returns the byte offsets at which the last n white-space separated
// words of s start, in text order. It scans backwards so that a huge input
// costs no more than a short one.
func lastWords(s string, n int) []int {
	starts := make([]int, 0, n)
	i := len(s)
	for len(starts) < n {
		for i > 0 { // skip spaces
			r, size := utf8.DecodeLastRuneInString(s[:i])
			if !unicode.IsSpace(r) {
				break
			}
			i -= size
		}
		if i == 0 {
			break
		}
		for i > 0 { // skip the word
			r, size := utf8.DecodeLastRuneInString(s[:i])
			if unicode.IsSpace(r) {
				break
			}
			i -= size
		}
		starts = append(starts, i)
	}
	for a, b := 0, len(starts)-1; a < b; a, b = a+1, b-1 {
		starts[a], starts[b] = starts[b], starts[a]
	}
	return starts
}

// keywordLen reports how many bytes at the end of s (ignoring trailing white
// space) form a keyword, or 0. A keyword must be whole words: "report" does
// not end in the keyword "op".
func keywordLen(s string) int {
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	starts := lastWords(s, 3)
	best := 0
	for _, kw := range keywords {
		if len(kw) > len(starts) {
			continue
		}
		start := starts[len(starts)-len(kw)]
		if equalWords(strings.Fields(s[start:]), kw) && len(s)-start > best {
			best = len(s) - start
		}
	}
	return best
}

// equalWords compares words case-insensitively with a keyword sequence.
func equalWords(words, kw []string) bool {
	if len(words) != len(kw) {
		return false
	}
	for i := range words {
		if strings.ToLower(words[i]) != kw[i] {
			return false
		}
	}
	return true
}

// cleanRest removes the keywords and punctuation between the sentence and the
// date: "the report is due by" becomes "the report is". After the keyword
// next to the date, only "due" and "uiterlijk" are removed as well: they
// qualify the keyword ("due by", "uiterlijk op"), whereas another keyword
// belongs to the sentence ("wait for | until friday").
func cleanRest(s string) string {
	s = trimPunct(s)
	if n := keywordLen(s); n > 0 {
		s = trimPunct(s[:len(s)-n])
		if n := keywordLen(s); n > 0 {
			if w := strings.ToLower(s[len(s)-n:]); w == "due" || w == "uiterlijk" {
				s = trimPunct(s[:len(s)-n])
			}
		}
	}
	return s
}

func trimPunct(s string) string {
	return strings.TrimRightFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(".!?,;:-–—", r)
	})
}
