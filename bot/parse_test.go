package bot_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"knoop/bot"
)

// parseCase is one line of testdata/commands.json: a message as a member
// types it and what Parse must make of it. Command "" means not understood,
// Lang "" means the wording does not tell; Args is compared trimmed.
type parseCase struct {
	Text    string `json:"text"`
	Command string `json:"command"`
	Args    string `json:"args"`
	Lang    string `json:"lang"`
}

// loadParseCorpus reads the development corpus: testdata/commands.json
// and the who-phrasings of testdata/who_dev.json. The held-out phrasings
// (testdata/who_heldout.json) are not part of it.
func loadParseCorpus(tb testing.TB) []parseCase {
	tb.Helper()
	return append(loadCases(tb, "testdata/commands.json"), loadCases(tb, "testdata/who_dev.json")...)
}

func loadCases(tb testing.TB, path string) []parseCase {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var cs []parseCase
	if err := json.Unmarshal(b, &cs); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return cs
}

// registeredNames is the set of canonical command names in the registry.
func registeredNames() map[string]bool {
	names := map[string]bool{}
	for _, c := range bot.Commands() {
		names[c.Name] = true
	}
	return names
}

// commandOfWord finds the command a word (name or alias) belongs to.
func commandOfWord(w string) string {
	for _, c := range bot.Commands() {
		if c.Name == w {
			return c.Name
		}
		for _, a := range append(append([]string(nil), c.EnAliases...), c.NlAliases...) {
			if a == w {
				return c.Name
			}
		}
	}
	return ""
}

func TestParseCorpus(t *testing.T) {
	cases := loadParseCorpus(t)
	if len(cases) < 170 {
		t.Errorf("corpus has %d cases, want at least 170", len(cases))
	}
	names := registeredNames()
	seen := map[string]bool{}
	for _, c := range cases {
		if seen[c.Text] {
			t.Errorf("corpus lists %q twice", c.Text)
		}
		seen[c.Text] = true
		if c.Command != "" && !names[c.Command] {
			t.Errorf("corpus case %q expects %q, which is not a command", c.Text, c.Command)
		}
		cleaned, ok := bot.Clean(c.Text)
		if !ok {
			t.Errorf("Clean(%q) refused the line", c.Text)
			continue
		}
		p := bot.Parse(cleaned)
		if p.Command != c.Command || strings.TrimSpace(p.Args) != strings.TrimSpace(c.Args) || p.Lang != c.Lang {
			t.Errorf("Parse(%q)\n got command=%q args=%q lang=%q\nwant command=%q args=%q lang=%q",
				c.Text, p.Command, p.Args, p.Lang, c.Command, c.Args, c.Lang)
		}
	}
}

// TestParseCorpusCoversRegistry keeps the corpus honest as commands are
// added: every command word must appear as the first word of some case
// (bare, after a prefix, or capitalised), and every usage example of every
// command must be a case.
func TestParseCorpusCoversRegistry(t *testing.T) {
	cases := loadParseCorpus(t)
	texts := map[string]parseCase{}
	firstWords := map[string]bool{}
	for _, c := range cases {
		texts[c.Text] = c
		cleaned, _ := bot.Clean(c.Text)
		if p := bot.Parse(cleaned); p.Command != "" && !p.Natural {
			firstWords[p.Word] = true
		}
	}
	for _, cmd := range bot.Commands() {
		words := append(append([]string{cmd.Name}, cmd.EnAliases...), cmd.NlAliases...)
		for _, w := range words {
			if !firstWords[w] {
				t.Errorf("no corpus case uses the word %q of command %q", w, cmd.Name)
			}
		}
		for _, ex := range append(append([]string(nil), cmd.Examples[0]...), cmd.Examples[1]...) {
			c, ok := texts[ex]
			if !ok {
				t.Errorf("example %q of command %q is not in the corpus", ex, cmd.Name)
				continue
			}
			if c.Command != cmd.Name {
				t.Errorf("example %q of command %q expects command %q", ex, cmd.Name, c.Command)
			}
		}
	}
}

// TestParseNatural checks what the corpus does not record: sentences are
// marked Natural, command words are not, and Word is the first word.
func TestParseNatural(t *testing.T) {
	for _, c := range []struct {
		in      string
		natural bool
		word    string
	}{
		{"who is good at cold chain logistics?", true, "who"},
		{"ken je iemand die verstand heeft van waterstof?", true, "ken"},
		{"ik lever de businesscase voor vrijdag", true, "ik"},
		{"who cold chain", false, "who"},
		{"Skills: add python", false, "skills"},
		{"comit foo", false, "comit"},
		{"?", false, "?"},
		{"", false, ""},
	} {
		p := bot.Parse(c.in)
		if p.Natural != c.natural || p.Word != c.word {
			t.Errorf("Parse(%q): natural=%v word=%q, want natural=%v word=%q", c.in, p.Natural, p.Word, c.natural, c.word)
		}
	}
}

func TestSuggest(t *testing.T) {
	for _, c := range []struct{ typo, command string }{
		{"comit", "commit"},
		{"commmit", "commit"},
		{"skils", "skills"},
		{"skilss", "skills"},
		{"hlep", "help"},
		{"hepl", "help"},
		{"wei", "who"},
		{"woh", "who"},
		{"toezegen", "commit"},
		{"toezegigngen", "commitments"},
		{"commitmnets", "commitments"},
		{"vaardigheeden", "skills"},
		{"profiel", "profile"},
		{"porfile", "profile"},
		{"exprot", "export"},
		{"doelne", "goals"},
		{"tijdzoen", "timezone"},
		{"afwezg", "away"},
		{"endores", "endorse"},
		{"snoze", "snooze"},
	} {
		s := bot.Suggest(c.typo)
		if got := commandOfWord(s); got != c.command {
			t.Errorf("Suggest(%q) = %q (command %q), want a word of %q", c.typo, s, got, c.command)
		}
	}
	for _, w := range []string{
		"", "i", "x", "we", "de", "my", "?!", "xyzzy", "banana", "qwertyuiop", "blah", "the", "lorem",
		"supercalifragilistic", "does", "over", "goed", "with", strings.Repeat("a", 41), strings.Repeat("z", 3000), "\U0001F44D", "מימן",
	} {
		if s := bot.Suggest(w); s != "" {
			t.Errorf("Suggest(%q) = %q, want no suggestion", w, s)
		}
	}
}

func TestClean(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"who cold chain", "who cold chain"},
		{"who\x00cold\x00chain", "who cold chain"},
		{"\x00\x00\x00", ""},
		{"a\tb\nc\rd\x1be\x7ff\u0085g", "a b c d e f g"},
		{"  lots   of\u00a0\u00a0space  ", "lots of space"},
		{"\u200bwho\ufeff cold\u2060chain", "who cold chain"},
		{"\u202ewho\u202c \u200fwie\u200e \u2066x\u2069", "who wie x"},
		{"\xff\xfewho", "\ufffdwho"},
		{"who \xc3\x28 chain", "who \ufffd( chain"},
		{"מי יודע על מימן? 🚢", "מי יודע על מימן? 🚢"},
		{"👩\u200d🔬 ❤\ufe0f", "👩\u200d🔬 ❤\ufe0f"}, // joiners inside emoji stay
		{"'; DROP TABLE members; --", "'; DROP TABLE members; --"},
		{"<@U123> who", "<@U123> who"},
	} {
		got, ok := bot.Clean(c.in)
		if !ok || got != c.want {
			t.Errorf("Clean(%q) = %q, %v; want %q, true", c.in, got, ok, c.want)
		}
		if !utf8.ValidString(got) {
			t.Errorf("Clean(%q) = %q is not valid UTF-8", c.in, got)
		}
		if again, _ := bot.Clean(got); again != got {
			t.Errorf("Clean is not idempotent on %q: %q", got, again)
		}
	}
	for _, c := range []struct {
		name string
		in   string
		ok   bool
	}{
		{"exactly the limit", strings.Repeat("a", bot.MaxMessageBytes), true},
		{"one byte over", strings.Repeat("a", bot.MaxMessageBytes+1), false},
		{"5000 bytes", strings.Repeat("a", 5000), false},
		{"multi-byte over", strings.Repeat("é", bot.MaxMessageBytes/2+1), false},
		{"100 KiB", strings.Repeat("who ", 25*1024), false},
		// Replacing invalid bytes must not take a line over the limit.
		{"under the limit, over once replaced", strings.Repeat("a", bot.MaxMessageBytes-1) + "\xe1", false},
		{"invalid bytes within the limit", strings.Repeat("a\xff", bot.MaxMessageBytes/4), true},
	} {
		got, ok := bot.Clean(c.in)
		if ok != c.ok {
			t.Errorf("Clean(%s): ok=%v, want %v", c.name, ok, c.ok)
		}
		if !ok && got != "" {
			t.Errorf("Clean(%s) refused but returned %d bytes", c.name, len(got))
		}
	}
}

// whoPassRate parses every case of a phrasing file and returns the share
// read as expected, and the misses. A case passes when the command and
// the topic match, and the language too when the case names one.
func whoPassRate(t *testing.T, path string) (float64, []string) {
	t.Helper()
	cases := loadCases(t, path)
	var misses []string
	for _, c := range cases {
		cleaned, _ := bot.Clean(c.Text)
		p := bot.Parse(cleaned)
		if p.Command != c.Command || strings.TrimSpace(p.Args) != c.Args || c.Lang != "" && p.Lang != c.Lang {
			misses = append(misses, fmt.Sprintf("%q: got %s %q %s, want %s %q %s", c.Text, p.Command, p.Args, p.Lang, c.Command, c.Args, c.Lang))
		}
	}
	return 1 - float64(len(misses))/float64(len(cases)), misses
}

// TestWhoPhrasings reports how many who-phrasings are understood: the
// development file (every case must pass, TestParseCorpus asserts each
// one) and the held-out file, written together with the development file
// before the parser and never used to tune it. The bar for the
// held-out file is 90 %; the floor asserted here is a little under what
// the parser reached when it was first measured, so a change that loses
// ground fails. Do not tune the parser on the held-out misses it logs.
func TestWhoPhrasings(t *testing.T) {
	dev, _ := whoPassRate(t, "testdata/who_dev.json")
	held, misses := whoPassRate(t, "testdata/who_heldout.json")
	t.Logf("who-phrasings understood: development %.1f %%, held out %.1f %%", 100*dev, 100*held)
	for _, m := range misses {
		t.Logf("held-out miss: %s", m)
	}
	if dev < 1 {
		t.Errorf("development phrasings: %.1f %% understood, want all", 100*dev)
	}
	const floor = 0.95 // 62 of 64 on first measurement (96.9 %)
	if held < floor {
		t.Errorf("held-out phrasings: %.1f %% understood, want at least %.0f %%", 100*held, 100*floor)
	}
}
