package lexicon

// Distance is the optimal-string-alignment Damerau–Levenshtein distance
// between a and b (insertions, deletions, substitutions and swaps of
// adjacent letters each cost one; no substring is edited twice), in
// letters, not bytes.
func Distance(a, b string) int {
	s, t := []rune(a), []rune(b)
	n, m := len(s), len(t)
	// Three rows: two back for swaps.
	prev2 := make([]int, m+1)
	prev := make([]int, m+1)
	cur := make([]int, m+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= n; i++ {
		cur[0] = i
		for j := 1; j <= m; j++ {
			cost := 1
			if s[i-1] == t[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && s[i-1] == t[j-2] && s[i-2] == t[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[m]
}

// Typos finds the words of a word list one typo away from a word, as
// people make typos: two adjacent letters swapped, one letter missing,
// doubled or extra, or one letter wrong. Short words are left alone: a
// word shorter than MinTypoWord has too many unrelated neighbours ("data"
// and "date"), and below MinSubstitution letters only swaps, missing and
// doubled letters count. Build it once per word list; it is read-only
// and safe for concurrent use.
type Typos struct {
	words   map[string]bool
	deletes map[string][]string // a word with one letter deleted → words
}

// Minimum word lengths for typo matching, in letters.
const (
	MinTypoWord     = 5
	MinSubstitution = 7
)

// NewTypos indexes a word list (folded words) by their one-letter
// deletions (the symmetric-delete method: two words one edit apart share
// a deletion, or one is a deletion of the other).
func NewTypos(words []string) *Typos {
	t := &Typos{words: make(map[string]bool, len(words)), deletes: make(map[string][]string, len(words)*8)}
	for _, w := range words {
		if t.words[w] {
			continue
		}
		t.words[w] = true
		if len([]rune(w)) < MinTypoWord-1 {
			continue
		}
		for _, d := range deletions(w) {
			t.deletes[d] = append(t.deletes[d], w)
		}
	}
	return t
}

// Has reports whether w is in the word list.
func (t *Typos) Has(w string) bool { return t != nil && t.words[w] }

// Len is the number of words.
func (t *Typos) Len() int {
	if t == nil {
		return 0
	}
	return len(t.words)
}

// Near returns the words of the list one typo away from w (see Typos), in
// the order found; none when w itself is a word.
func (t *Typos) Near(w string) []string {
	n := len([]rune(w))
	if t == nil || t.words[w] || n < MinTypoWord {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	consider := func(c string) {
		if seen[c] || c == w {
			return
		}
		seen[c] = true
		if Distance(c, w) != 1 {
			return
		}
		if len([]rune(c)) == n && n < MinSubstitution && !swapped(c, w) {
			return
		}
		out = append(out, c)
	}
	// w is c with a letter added (doubled or extra).
	for _, d := range deletions(w) {
		if t.words[d] {
			consider(d)
		}
		// Same length: a swap or a substitution shares a deletion.
		for _, c := range t.deletes[d] {
			consider(c)
		}
	}
	// w is c with a letter missing.
	for _, c := range t.deletes[w] {
		consider(c)
	}
	return out
}

// swapped reports whether a and b, of equal length, differ by a swap of
// two adjacent letters.
func swapped(a, b string) bool {
	s, t := []rune(a), []rune(b)
	for i := 0; i+1 < len(s); i++ {
		if s[i] != t[i] {
			return s[i] == t[i+1] && s[i+1] == t[i] && string(s[i+2:]) == string(t[i+2:])
		}
	}
	return false
}

func deletions(w string) []string {
	r := []rune(w)
	out := make([]string, 0, len(r))
	for i := range r {
		d := string(r[:i]) + string(r[i+1:])
		if !contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}
