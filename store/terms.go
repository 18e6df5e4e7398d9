package store

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/dutch"
	"github.com/blevesearch/snowballstem/english"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// termStop are words too common to be worth indexing in either language.
var termStop = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an the of for to in on at by with and or is are be as from into
		de het een van voor in op aan met en of te bij naar over uit tot om door die dat dit`) {
		termStop[w] = true
	}
}

// Fold lower-cases text and strips accents ("Coördinatie" → "coordinatie").
func Fold(text string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, strings.ToLower(text))
	if err != nil {
		return strings.ToLower(text)
	}
	return out
}

// Words splits folded text into words of letters and digits, dropping stop
// words. "Cross-docking" gives "cross", "docking".
func Words(text string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(Fold(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		if len(w) < 2 || len(w) > 40 || termStop[w] {
			continue
		}
		out = append(out, w)
	}
	return out
}

// stems returns a word with its English and Dutch Snowball stems, without
// duplicates. Both stemmers run on every word because members mix the
// languages in one sentence.
func stems(w string) []string {
	en, nl := stemsOf(w)
	out := []string{w}
	if en != w {
		out = append(out, en)
	}
	if nl != w && nl != en {
		out = append(out, nl)
	}
	return out
}

// stemPairs are the forms of two adjacent words: as written, both
// English-stemmed, both Dutch-stemmed.
func stemPairs(a, b string) []string {
	aen, anl := stemsOf(a)
	ben, bnl := stemsOf(b)
	out := []string{a + " " + b}
	for _, p := range []string{aen + " " + ben, anl + " " + bnl} {
		if p != out[0] && (len(out) == 1 || p != out[1]) {
			out = append(out, p)
		}
	}
	return out
}

type stemPair struct{ en, nl string }

// Members reuse a small vocabulary, so stems are cached; the cache is
// dropped whole when it grows large rather than tracking use.
const maxStemCache = 100_000

var (
	stemCache     sync.Map // word → stemPair
	stemCacheSize atomic.Int64
)

// stemsOf returns the English and Dutch stems of a word.
func stemsOf(w string) (en, nl string) {
	if v, ok := stemCache.Load(w); ok {
		p := v.(stemPair)
		return p.en, p.nl
	}
	env := snowballstem.NewEnv(w)
	english.Stem(env)
	en = env.Current()
	env.SetCurrent(w)
	dutch.Stem(env)
	nl = env.Current()
	if stemCacheSize.Add(1) > maxStemCache {
		stemCache.Clear()
		stemCacheSize.Store(0)
	}
	stemCache.Store(w, stemPair{en, nl})
	return en, nl
}

// Terms is how a piece of evidence is indexed: every word in its written,
// English-stemmed and Dutch-stemmed forms, every pair of adjacent words
// the same way, so a phrase ("cold chain") can be asked for as a phrase,
// and the parts of Dutch compounds (see SplitCompound) like words.
// Changing what Terms returns means raising termsVersion.
func Terms(text string) []string {
	ws := Words(text)
	seen := make(map[string]bool, len(ws)*4)
	var out []string
	add := func(forms []string) {
		for _, f := range forms {
			if !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	for i, w := range ws {
		add(stems(w))
		if i+1 < len(ws) {
			add(stemPairs(w, ws[i+1]))
		}
		// A compound also stands for its parts, so "koelketenlogistiek"
		// is found by koelketen and by logistiek (and their synonyms).
		parts := SplitCompound(w)
		for j, p := range parts {
			add(stems(p))
			if j+1 < len(parts) {
				add(stemPairs(p, parts[j+1]))
			}
		}
		for _, c := range subCompounds(w, parts) {
			add(stems(c))
		}
	}
	return out
}

// QueryForms is how one asked-for word or phrase is looked up: a word by
// its forms, a phrase by the forms of its first two words as a pair
// (callers split longer phrases into pairs).
func QueryForms(text string) []string {
	ws := Words(text)
	switch len(ws) {
	case 0:
		return nil
	case 1:
		return stems(ws[0])
	}
	return stemPairs(ws[0], ws[1])
}

// subCompounds are the two-part compounds inside a three-part one:
// "gewasbeschermingsplan" (gewas + bescherming + plan) holds
// "gewasbescherming" and "beschermingsplan", which members write on their
// own.
func subCompounds(w string, parts []string) []string {
	if len(parts) != 3 {
		return nil
	}
	head := w[:strings.LastIndex(w, parts[2])]
	for _, link := range compoundLinks {
		if h, ok := strings.CutSuffix(head, link); ok && link != "" && strings.HasSuffix(h, parts[1]) {
			head = h
			break
		}
	}
	tail := strings.TrimPrefix(w, parts[0])
	for _, link := range compoundLinks {
		if t, ok := strings.CutPrefix(tail, link); ok && link != "" && strings.HasPrefix(t, parts[1]) {
			tail = t
			break
		}
	}
	return []string{head, tail}
}
