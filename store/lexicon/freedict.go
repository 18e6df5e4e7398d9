// Package lexicon holds Knoop's general language knowledge for matching
// questions to evidence across Dutch and English and across typos: a
// Dutch↔English dictionary read at run time from FreeDict's dictd files
// (never copied into the repository or the binary: they are GPL-2+),
// cognate rules for the regular Dutch/English spelling correspondences,
// and Damerau–Levenshtein matching of words against a known word list.
// It imports nothing of Knoop's.
package lexicon

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// DefaultDir is where Debian's dict-freedict-nld-eng and
// dict-freedict-eng-nld packages install their files.
const DefaultDir = "/usr/share/dictd"

// The dictd file names, without extension (.index, .dict.dz).
const (
	nldEng = "freedict-nld-eng"
	engNld = "freedict-eng-nld"
)

// maxSenses bounds how many translations a headword contributes: the
// first senses of an entry are its common meanings, later ones drift.
const maxSenses = 4

// Dict translates single words and short phrases between Dutch and
// English. The zero value and nil translate nothing.
type Dict struct {
	nlEn map[string][]string
	enNl map[string][]string
}

// ErrNoDictionary means the dictionary files are not installed.
var ErrNoDictionary = errors.New("FreeDict Dutch-English dictionary not found")

// Load reads the FreeDict files in dir. nld-eng gives Dutch→English and,
// inverted, English→Dutch (eng-nld has only a few thousand headwords);
// eng-nld adds its own entries when present. It returns ErrNoDictionary
// (wrapped, naming the files) when freedict-nld-eng is missing.
func Load(dir string) (*Dict, error) {
	d := &Dict{nlEn: map[string][]string{}, enNl: map[string][]string{}}
	n, err := readDictd(filepath.Join(dir, nldEng))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s.{index,dict.dz}: %w", ErrNoDictionary, filepath.Join(dir, nldEng), err)
		}
		return nil, err
	}
	e, err := readDictd(filepath.Join(dir, engNld))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	// Each direction: its own dictionary's entries first, then the other
	// dictionary inverted, headwords whose first sense it is before those
	// that list it later, shorter before longer, so the order (and with
	// it which translations a caller keeps) is the same on every run.
	d.nlEn = merge(n, e)
	d.enNl = merge(e, n)
	return d, nil
}

// merge is forward's entries followed by backward inverted (see Load).
func merge(forward, backward map[string][]string) map[string][]string {
	out := make(map[string][]string, len(forward)+len(backward))
	for head, senses := range forward {
		out[head] = slices.Clone(senses)
	}
	type inv struct {
		head string
		pos  int
	}
	inverted := map[string][]inv{}
	for head, senses := range backward {
		for i, s := range senses {
			inverted[s] = append(inverted[s], inv{head, i})
		}
	}
	for s, heads := range inverted {
		slices.SortFunc(heads, func(a, b inv) int {
			if a.pos != b.pos {
				return a.pos - b.pos
			}
			if len(a.head) != len(b.head) {
				return len(a.head) - len(b.head)
			}
			return strings.Compare(a.head, b.head)
		})
		for _, h := range heads {
			out[s] = appendNew(out[s], h.head)
		}
	}
	return out
}

// Len is the number of Dutch and English entries.
func (d *Dict) Len() int {
	if d == nil {
		return 0
	}
	return len(d.nlEn) + len(d.enNl)
}

// Translate returns the translations of a folded word or phrase in
// either direction (Dutch→English and English→Dutch; a question's
// language is not always the language of its topic), without the word
// itself, best first.
func (d *Dict) Translate(w string) []string {
	if d == nil {
		return nil
	}
	var out []string
	for _, t := range d.nlEn[w] {
		if t != w {
			out = appendNew(out, t)
		}
	}
	for _, t := range d.enNl[w] {
		if t != w {
			out = appendNew(out, t)
		}
	}
	return out
}

// Has reports whether w is a headword or translation in the dictionary.
func (d *Dict) Has(w string) bool {
	if d == nil {
		return false
	}
	_, a := d.nlEn[w]
	_, b := d.enNl[w]
	return a || b
}

func appendNew(xs []string, x string) []string {
	if slices.Contains(xs, x) {
		return xs
	}
	return append(xs, x)
}

// readDictd reads a dictd dictionary (base.index and base.dict.dz) into
// headword → senses, both folded, metadata entries left out.
func readDictd(base string) (map[string][]string, error) {
	idx, err := os.Open(base + ".index")
	if err != nil {
		return nil, err
	}
	defer idx.Close()
	f, err := os.Open(base + ".dict.dz")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// dictzip is gzip with a random-access table in an extra field; read
	// whole, it is plain gzip (about 1 MB uncompressed).
	z, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s.dict.dz: %w", base, err)
	}
	data, err := io.ReadAll(z)
	if err != nil {
		return nil, fmt.Errorf("%s.dict.dz: %w", base, err)
	}
	out := map[string][]string{}
	sc := bufio.NewScanner(idx)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) < 3 || strings.HasPrefix(fields[0], "00-database-") || strings.HasPrefix(fields[0], "00database") {
			continue
		}
		off, ok1 := decode64(fields[1])
		n, ok2 := decode64(fields[2])
		if !ok1 || !ok2 || off < 0 || n < 0 || off+n > len(data) {
			continue
		}
		head, senses := parseEntry(string(data[off : off+n]))
		if head == "" || len(senses) == 0 {
			continue
		}
		key := fold(fields[0])
		for _, s := range senses {
			out[key] = appendNew(out[key], s)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s.index: %w", base, err)
	}
	return out, nil
}

// decode64 reads dictd's base64 numbers (most significant digit first).
func decode64(s string) (int, bool) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	if s == "" || len(s) > 8 {
		return 0, false
	}
	n := 0
	for _, c := range s {
		i := strings.IndexRune(alphabet, c)
		if i < 0 {
			return 0, false
		}
		n = n*64 + i
	}
	return n, true
}

// parseEntry reads an entry: the headword (with its pronunciation) on the
// first line, then senses, perhaps numbered ("1. tender"), alternatives
// separated by "," or ";". Senses of more than three words, and
// parenthesised remarks, are left out.
func parseEntry(text string) (string, []string) {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	if len(lines) < 2 {
		return "", nil
	}
	head := lines[0]
	if i := strings.Index(head, " /"); i >= 0 {
		head = head[:i]
	}
	var senses []string
	for _, line := range lines[1:] {
		line = strings.TrimSpace(line)
		if i := strings.Index(line, ". "); i > 0 && i <= 3 && strings.TrimLeft(line[:i], "0123456789") == "" {
			line = line[i+2:]
		}
		for _, alt := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ';' }) {
			alt = dropParens(alt)
			s := fold(alt)
			if s == "" || len(strings.Fields(s)) > 3 || len(senses) >= maxSenses {
				continue
			}
			senses = appendNew(senses, s)
		}
	}
	return fold(head), senses
}

func dropParens(s string) string {
	for {
		i := strings.IndexAny(s, "([")
		if i < 0 {
			return s
		}
		j := strings.IndexAny(s[i:], ")]")
		if j < 0 {
			return s[:i]
		}
		s = s[:i] + s[i+j+1:]
	}
}

// fold lower-cases s, strips accents, turns hyphens of any kind into plain ones, drops
// what is neither letter, digit, space nor hyphen, and collapses spaces.
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	if out, _, err := transform.String(t, s); err == nil {
		s = out
	}
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.Is(unicode.Pd, r):
			b.WriteRune('-')
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsSpace(r):
			b.WriteRune(r)
		}
	}
	return strings.Trim(strings.Join(strings.Fields(b.String()), " "), "-")
}

var shared struct {
	mu   sync.Mutex
	dir  string
	done bool
	dict *Dict
	err  error
}

// SetDir sets the directory Shared reads the dictionary from (DefaultDir
// when never set or set to ""). It has no effect once Shared has loaded.
func SetDir(dir string) {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if !shared.done {
		shared.dir = dir
	}
}

// Shared returns the process's dictionary, loading it on first use (about
// a tenth of a second) and never again. Without the files it returns a
// nil *Dict, which translates nothing, and the load error, every time.
func Shared() (*Dict, error) {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if !shared.done {
		dir := shared.dir
		if dir == "" {
			dir = DefaultDir
		}
		shared.dict, shared.err = Load(dir)
		shared.done = true
	}
	return shared.dict, shared.err
}
