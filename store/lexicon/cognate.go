package lexicon

import "strings"

// suffixPairs are regular correspondences between Dutch and English word
// endings, Dutch first: organisatie/organisation, kwaliteit/quality,
// elektronisch/electronic, epidemiologie/epidemiology, therapie/therapy,
// cognitief/cognitive, potentieel/potential, logistiek/logistics.
var suffixPairs = [][2]string{
	{"atie", "ation"},
	{"aties", "ations"},
	{"tie", "tion"},
	{"ities", "ities"},
	{"iteit", "ity"},
	{"iteiten", "ities"},
	{"ische", "ic"},
	{"isch", "ic"},
	{"isch", "ical"},
	{"ologie", "ology"},
	{"logie", "logy"},
	{"grafie", "graphy"},
	{"ie", "y"},
	{"ies", "ies"},
	{"ief", "ive"},
	{"ieve", "ive"},
	{"isme", "ism"},
	{"eel", "al"},
	{"ele", "al"},
	{"aal", "al"},
	{"iek", "ics"},
	{"iek", "ic"},
	{"ieken", "ics"},
	{"eur", "or"},
	{"ist", "ist"},
	{"ant", "ant"},
	{"ent", "ent"},
	{"ine", "ine"},
	{"ose", "osis"},
	{"ase", "ase"},
}

// letterPairs are spelling correspondences inside words, Dutch first:
// klinisch/clinical, farmacie/pharmacy, anesthesie/anaesthesia.
var letterPairs = [][2]string{
	{"k", "c"},
	{"f", "ph"},
	{"e", "ae"},
	{"t", "th"},
}

// minCognate is the shortest word cognate rules apply to: short words
// have too many look-alikes across languages.
const minCognate = 6

// Cognates returns the likely other-language spellings of a folded
// single word by the regular Dutch/English correspondences, both ways:
// "epidemiologie" gives "epidemiology", "cardiology" gives "cardiologie",
// "polyfarmacie" gives "polypharmacy". A word gets a suffix rule first
// (it must end in one), then each spelling rule applied to all its
// occurrences, then to each one alone; at most max candidates, without
// the word itself, the likeliest first. The
// candidates are guesses: callers look them up among real words.
func Cognates(w string, max int) []string {
	if len([]rune(w)) < minCognate || strings.ContainsAny(w, " -") {
		return nil
	}
	var out []string
	add := func(c string) {
		if c != w && len(out) < max && !contains(out, c) {
			out = append(out, c)
		}
	}
	// Dutch → English, then English → Dutch.
	for dir := 0; dir < 2; dir++ {
		from, to := 0, 1
		if dir == 1 {
			from, to = 1, 0
		}
		for _, sp := range suffixPairs {
			stem, ok := strings.CutSuffix(w, sp[from])
			if !ok || len(stem) < 3 {
				continue
			}
			base := stem + sp[to]
			add(base)
			for _, lp := range letterPairs {
				if !strings.Contains(stem, lp[from]) {
					continue
				}
				add(strings.ReplaceAll(stem, lp[from], lp[to]) + sp[to])
				// One occurrence at a time too: anesthesie has one e
				// that is ae in English.
				for i := 0; i < len(stem); {
					j := strings.Index(stem[i:], lp[from])
					if j < 0 {
						break
					}
					add(stem[:i+j] + lp[to] + stem[i+j+len(lp[from]):] + sp[to])
					i += j + len(lp[from])
				}
			}
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
