package bot_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"knoop/bot"
)

// FuzzParse feeds arbitrary lines through Clean and Parse, the way Handle
// does. Neither may panic; a line Clean accepts comes out valid, printable
// and tidy; Parse names only registered commands and its Args are a piece
// of the cleaned line, never longer than what the member typed.
func FuzzParse(f *testing.F) {
	for _, c := range loadParseCorpus(f) {
		f.Add(c.Text)
	}
	for _, s := range []string{
		// Injection and markup meant for the layers below.
		"'; DROP TABLE members; --",
		"skills add '); DELETE FROM skills; --",
		"who ' OR '1'='1",
		"commit \" OR 1=1 -- by friday",
		"<script>alert(1)</script>",
		"org <img src=x onerror=alert(1)>",
		"who %s%s%s%n",
		"timezone ../../etc/passwd",
		"who ${jndi:ldap://x/a}",
		// Control characters and broken encodings.
		"\x00", "who\x00cold chain", "\x00\x00\x00help",
		"\xff\xfe\xfd", "who \xc3\x28 chain", "\xed\xa0\x80",
		"\r\n\t\v\f", "help\x1b[31mred",
		// Size.
		strings.Repeat("a", 5000),
		strings.Repeat("a", bot.MaxMessageBytes),
		strings.Repeat("ß", bot.MaxMessageBytes/2),
		strings.Repeat("who ", 999),
		"who " + strings.Repeat("is good at ", 300),
		strings.Repeat("\xff", bot.MaxMessageBytes),
		// Found by fuzzing: one invalid byte in a line just under the
		// limit made Clean return a line over it (U+FFFD is 3 bytes).
		strings.Repeat("a", bot.MaxMessageBytes-1) + "\xe1",
		strings.Repeat("a\xff", bot.MaxMessageBytes/2),
		// Scripts, direction and emoji.
		"מי יודע על מימן?",
		"\u202ewho cold chain\u202c",
		"\u200fwie is er goed in waterstof?",
		"من يعرف عن الهيدروجين؟",
		"🚢 who is good at LNG bunkering? 🚢",
		"👩\u200d🔬 wie kent iets van 🧪",
		"ｗｈｏ ｃｏｌｄ ｃｈａｉｎ",
		"WHO İS GOOD AT ıstanbul",
		// Platform mentions and prefixes.
		"<@U123>", "<@U123> who cold chain", "@knoop", "/knoop /knoop /knoop",
		"knoop: knoop: help", "!knoop?", "?", "??", "...", ":", "'s",
		// Patterns with nothing after them.
		"who is good at", "wie weet er iets van", "ken je iemand die", "i will", "ik lever", "who knows about ?",
	} {
		f.Add(s)
	}
	names := registeredNames()
	f.Fuzz(func(t *testing.T, in string) {
		cleaned, ok := bot.Clean(in)
		if !ok {
			// Refused: too long as sent, or as read once invalid bytes
			// are replaced.
			if len(in) <= bot.MaxMessageBytes && len(strings.ToValidUTF8(in, "\ufffd")) <= bot.MaxMessageBytes {
				t.Fatalf("Clean refused %d bytes", len(in))
			}
			return
		}
		bot.Parse(in) // raw text too: an adapter could forget to Clean
		if len(in) > bot.MaxMessageBytes || len(cleaned) > bot.MaxMessageBytes {
			t.Fatalf("Clean accepted %d bytes and returned %d", len(in), len(cleaned))
		}
		if !utf8.ValidString(cleaned) {
			t.Fatalf("Clean(%q) = %q is not valid UTF-8", in, cleaned)
		}
		for _, r := range cleaned {
			if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
				t.Fatalf("Clean(%q) = %q keeps %U", in, cleaned, r)
			}
		}
		if cleaned != strings.Join(strings.Fields(cleaned), " ") {
			t.Fatalf("Clean(%q) = %q has untidy spaces", in, cleaned)
		}
		if again, _ := bot.Clean(cleaned); again != cleaned {
			t.Fatalf("Clean not idempotent: %q then %q", cleaned, again)
		}

		p := bot.Parse(cleaned)
		if p.Command != "" && !names[p.Command] {
			t.Fatalf("Parse(%q) gave unregistered command %q", cleaned, p.Command)
		}
		if p.Lang != "" && p.Lang != bot.EN && p.Lang != bot.NL {
			t.Fatalf("Parse(%q) gave language %q", cleaned, p.Lang)
		}
		if p.Natural && p.Command == "" {
			t.Fatalf("Parse(%q) is natural without a command", cleaned)
		}
		// Args is cut from the cleaned line. Clean never adds characters
		// (a run of invalid bytes becomes one U+FFFD, which can be more
		// bytes than the run), so Args is never longer than the input
		// counted in characters, and never longer in bytes than the
		// cleaned line.
		if !strings.Contains(cleaned, p.Args) {
			t.Fatalf("Parse(%q): args %q are not part of the line", cleaned, p.Args)
		}
		if utf8.RuneCountInString(p.Args) > utf8.RuneCountInString(in) {
			t.Fatalf("Parse(%q): args %q longer than the input", in, p.Args)
		}
		if p.Args != strings.TrimSpace(p.Args) {
			t.Fatalf("Parse(%q): args %q not trimmed", cleaned, p.Args)
		}
		if p.Command == "" && p.Word != "" {
			bot.Suggest(p.Word)
		}
	})
}
