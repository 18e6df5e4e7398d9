package question

import "testing"

func TestSocial(t *testing.T) {
	for _, c := range []struct{ line, kind, lang string }{
		{"hallo", Greeting, nl},
		{"Hi Knoop!", Greeting, ""},
		{"good morning all", Greeting, en},
		{"Goedemorgen allemaal 👋", Greeting, nl},
		{"thanks!", Thanks, ""},
		{"thank you so much", Thanks, en},
		{"top, bedankt voor de hulp!", Thanks, nl},
		{"wat kun je?", About, nl},
		{"What can you do?", About, en},
		{"knoop, wie ben jij?", About, nl},
		{"who are you", About, en},
		{"", "", ""},
		{"hi, who knows about tidal energy?", "", ""},
		{"thanks for the report, I will review it by friday", "", ""},
		{"hello world program in Go", "", ""},
		{"what can you do with hydrogen?", "", ""},
	} {
		kind, lang := Social(c.line)
		if kind != c.kind || lang != c.lang {
			t.Errorf("Social(%q) = %q, %q; want %q, %q", c.line, kind, lang, c.kind, c.lang)
		}
	}
}

func TestLang(t *testing.T) {
	for _, c := range []struct{ line, lang string }{
		{"Coffee, somebody?", en},
		{"koffie, iemand?", nl},
		{"heeft iemand verstand van LNG?", nl},
		{"12 34", ""},
		{"", ""},
	} {
		if got := Lang(c.line); got != c.lang {
			t.Errorf("Lang(%q) = %q, want %q", c.line, got, c.lang)
		}
	}
}
