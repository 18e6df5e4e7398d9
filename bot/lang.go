package bot

import (
	"fmt"
	"strings"
	"unicode"
)

// Languages Knoop speaks.
const (
	EN = "en"
	NL = "nl"
)

// Words that only one of the two languages uses often. Detection counts
// them; a tie leaves the language open, and the caller falls back to the
// member's or the network's language.
var (
	dutchMarkers = set("de", "het", "een", "en", "van", "ik", "je", "jij", "wie", "wat", "is", "er", "iets", "goed",
		"kan", "weet", "iemand", "ervaring", "met", "die", "voor", "lever", "volgende", "week", "morgen", "over",
		"weken", "dagen", "eind", "maand", "mijn", "mij", "zijn", "niet", "naar", "ook", "nog", "bij", "tot", "heeft",
		"verstand", "kennis", "toevoegen", "verwijderen", "klaar", "doel", "doelen", "maandag", "dinsdag", "woensdag",
		"donderdag", "vrijdag", "zaterdag", "zondag", "januari", "februari", "maart", "mei", "juni", "juli",
		"augustus", "oktober", "halverwege", "wachten", "op", "graag", "hoe", "waar", "welke", "ken", "zorg", "uiterlijk",
		"elke", "iedere", "werkdag", "nu", "uit", "wekelijks", "dagelijks", "om", "uren")
	englishMarkers = set("the", "a", "an", "and", "of", "i", "you", "who", "what", "is", "good", "at", "can", "knows",
		"know", "anyone", "anybody", "someone", "experience", "with", "by", "for", "next", "tomorrow", "in", "weeks",
		"days", "end", "month", "my", "me", "are", "not", "to", "also", "still", "has", "about", "add", "remove",
		"done", "goal", "goals", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
		"january", "february", "march", "may", "june", "july", "august", "october", "halfway", "waiting", "on",
		"please", "how", "where", "which", "deliver", "will", "does", "expert", "help",
		"every", "each", "weekday", "now", "off", "weekly", "daily", "hours")
)

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// words splits text into lower-case words of letters and digits.
func words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-'
	})
}

// detectLang guesses the language of text: EN, NL or "" when unsure.
func detectLang(text string) string {
	nl, en := 0, 0
	for _, w := range words(text) {
		if dutchMarkers[w] && !englishMarkers[w] {
			nl++
		}
		if englishMarkers[w] && !dutchMarkers[w] {
			en++
		}
	}
	switch {
	case nl > en:
		return NL
	case en > nl:
		return EN
	}
	return ""
}

// tr looks up a message in the catalog and formats it. A missing Dutch
// text falls back to English; a missing key shows the key, which tests catch.
func tr(lang, key string, args ...any) string {
	m, ok := catalog[key]
	if !ok {
		return key
	}
	f := m[0]
	if lang == NL && m[1] != "" {
		f = m[1]
	}
	if len(args) == 0 {
		return f
	}
	return fmt.Sprintf(f, args...)
}
