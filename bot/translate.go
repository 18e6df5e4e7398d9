package bot

import (
	"log/slog"
	"strings"
	"sync"

	"knoop/store"
	"knoop/store/lexicon"
)

// Bounds on what general translation adds to a question, so a common
// word with many senses cannot crowd out the asked words.
const (
	maxTranslationsPerWord = 6
	maxCognates            = 4
	maxCompoundGuesses     = 6
)

var dictOnce sync.Once

// dictionary returns the shared Dutch↔English dictionary, or nil when it
// is not installed (said once in the log; Knoop then translates only with
// its vocabulary and cognate rules).
func dictionary() *lexicon.Dict {
	d, err := lexicon.Shared()
	if err != nil {
		dictOnce.Do(func() {
			slog.Warn("general Dutch-English dictionary unavailable; who-questions cross languages only through the vocabulary and cognates",
				"err", err)
		})
	}
	return d
}

// translations are the general Dutch↔English renderings of a topic's
// words (ws, with the unit masks they cover) and compound parts: the
// dictionary's translations of each word and word pair, cognates by the
// regular spelling correspondences ("epidemiologie" ↔ "epidemiology"),
// an unknown Dutch compound read as two dictionary words ("valpreventie"
// → "fall prevention"), and an English word pair joined the Dutch way
// ("fall prevention" → "valpreventie").
func translations(ws []string, masks []uint32, parts []topicUnit) []topicUnit {
	d := dictionary()
	var out []topicUnit
	seen := map[string]bool{}
	add := func(t string, covers uint32) {
		t = strings.Join(store.Words(t), " ")
		if t == "" || seen[t] || topicStop[t] {
			return
		}
		seen[t] = true
		out = append(out, topicUnit{t, covers})
	}
	units := make([]topicUnit, 0, len(ws)+len(parts))
	for i, w := range ws {
		units = append(units, topicUnit{w, masks[i]})
	}
	units = append(units, parts...)
	for _, u := range units {
		for _, t := range wordTranslations(d, u.text) {
			add(t, u.covers)
		}
		if !strings.Contains(u.text, " ") && store.SplitCompound(u.text) == nil && !d.Has(u.text) {
			for _, t := range compoundGuesses(d, u.text) {
				add(t, u.covers)
			}
		}
	}
	for i := 0; i+1 < len(ws); i++ {
		pair := ws[i] + " " + ws[i+1]
		for _, t := range d.Translate(pair) {
			add(t, masks[i]|masks[i+1])
		}
		n := 0
		for _, a := range singleWords(wordTranslations(d, ws[i]), 3) {
			for _, b := range singleWords(wordTranslations(d, ws[i+1]), 3) {
				for _, link := range []string{"", "s"} {
					if n < maxCompoundGuesses {
						add(a+link+b, masks[i]|masks[i+1])
						n++
					}
				}
			}
		}
	}
	return out
}

// wordTranslations are the dictionary translations and cognates of a
// word or phrase and of its singular forms.
func wordTranslations(d *lexicon.Dict, w string) []string {
	var out []string
	for _, v := range singulars(w) {
		for _, t := range d.Translate(v) {
			if len(out) < maxTranslationsPerWord && !contains(out, t) {
				out = append(out, t)
			}
		}
	}
	for _, v := range singulars(w) {
		for _, c := range lexicon.Cognates(v, maxCognates) {
			if !contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

// compoundGuesses reads an unknown Dutch compound as a dictionary word
// followed by another (with the linking s or e), and returns the
// phrases of their translations: "valpreventie" → "fall prevention".
func compoundGuesses(d *lexicon.Dict, w string) []string {
	if d == nil || len(w) < 7 {
		return nil
	}
	var out []string
	for i := len(w) - 3; i >= 3 && len(out) < maxCompoundGuesses; i-- {
		head := w[:i]
		if !d.Has(head) {
			continue
		}
		for _, link := range []string{"", "s", "e"} {
			tail, ok := strings.CutPrefix(w[i:], link)
			if !ok || len(tail) < 3 {
				continue
			}
			heads := singleWords(d.Translate(head), 2)
			tails := singleWords(wordTranslations(d, tail), 2)
			for _, a := range heads {
				for _, b := range tails {
					if len(out) < maxCompoundGuesses {
						out = append(out, a+" "+b)
					}
				}
			}
		}
	}
	return out
}

// singulars is a word with the plural endings of both languages taken off
// ("eetstoornissen" → "eetstoornis", "disorders" → "disorder").
func singulars(w string) []string {
	out := []string{w}
	if strings.Contains(w, " ") {
		return out
	}
	for _, suf := range []string{"s", "en", "es"} {
		base, ok := strings.CutSuffix(w, suf)
		if !ok || len(base) < 3 {
			continue
		}
		out = append(out, base)
		// Dutch doubles a consonant before -en: stoornissen, bussen.
		if n := len(base); suf == "en" && n >= 4 && base[n-1] == base[n-2] {
			out = append(out, base[:n-1])
		}
	}
	return out
}

// singleWords keeps the one-word entries of ts, at most n.
func singleWords(ts []string, n int) []string {
	var out []string
	for _, t := range ts {
		if len(out) < n && !strings.ContainsAny(t, " -") {
			out = append(out, t)
		}
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
