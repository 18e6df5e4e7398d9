package dates

import (
	"strings"
	"testing"
	"time"
)

// fuzzBase is the earliest "now" the fuzzers use; the fuzzed offset moves it
// across about twenty years so that leap years, DST switches and year ends
// are all reached.
var fuzzBase = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

const fuzzSpan = 20 * 366 * 24 * 3600 // seconds

var fuzzZones = []string{"Europe/Amsterdam", "America/New_York", "Asia/Beirut", "UTC"}

// fuzzNow turns fuzzed numbers into a reference time and a location.
func fuzzNow(tb testing.TB, offset int64, zone uint8) (time.Time, *time.Location) {
	tb.Helper()
	loc, err := time.LoadLocation(fuzzZones[int(zone)%len(fuzzZones)])
	if err != nil {
		tb.Fatal(err)
	}
	if offset < 0 {
		offset = -(offset + 1) // avoid the overflow of -MinInt64
	}
	return fuzzBase.Add(time.Duration(offset%fuzzSpan) * time.Second), loc
}

// checkRange asserts the range contract: a date is at or after yesterday (the
// contract is today; a day's slack keeps the check independent of how the
// day boundary falls) and within ten years.
func checkRange(t *testing.T, what string, d, now time.Time, loc *time.Location) {
	t.Helper()
	local := now.In(loc)
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	if d.Before(today.AddDate(0, 0, -1)) || d.After(today.AddDate(10, 0, 1)) {
		t.Fatalf("%s: %s is out of range for now=%s", what, d, local)
	}
	if d.Location() != loc {
		t.Fatalf("%s: location %s, want %s", what, d.Location(), loc)
	}
}

// fuzzSeeds are the corpus texts plus inputs that exercise the edges of the
// tokenizer. Inputs found by fuzzing belong here too.
func fuzzSeeds(tb testing.TB) []string {
	c := loadCorpus(tb)
	var seeds []string
	for _, tc := range c.Parse {
		seeds = append(seeds, tc.Text)
	}
	for _, tc := range c.Split {
		seeds = append(seeds, tc.Text)
	}
	return append(seeds,
		"", " ", ".", "?!.", ",", "\x00", "\xff\xfe", "by", "voor", "tot en met",
		"in 9999 weeks", "in 0 days", "over 10000 dagen", "-1-1", "00-00", "99/99/9999",
		"0000-01-01", "29-02-2100", "a week from a week from tomorrow",
		"2 days after 2 days after 2 days after friday", strings.Repeat("by ", 100)+"friday",
		"vrijdagvrijdagmiddag", "friday at", "at 10", "om 10 uur", "end of the",
		"the the the", "de de", "t/m", "a.s.", "vr. ", "\u00a0friday\u00a0", "ｆｒｉｄａｙ",
	)
}

func FuzzParse(f *testing.F) {
	for i, s := range fuzzSeeds(f) {
		f.Add(s, int64(i)*86400*37, uint8(i))
	}
	f.Fuzz(func(t *testing.T, text string, offset int64, zone uint8) {
		now, loc := fuzzNow(t, offset, zone)
		d, ok := Parse(text, now, loc)
		if !ok {
			if !d.IsZero() {
				t.Fatalf("Parse(%q) returned %s with false", text, d)
			}
			return
		}
		checkRange(t, "Parse("+text+")", d, now, loc)
		if len(text) > maxInput {
			t.Fatalf("Parse accepted %d bytes", len(text))
		}
	})
}

func FuzzSplit(f *testing.F) {
	for i, s := range fuzzSeeds(f) {
		f.Add(s, int64(i)*86400*41, uint8(i))
		f.Add("do the thing by "+s, int64(i)*86400*13, uint8(i+1))
	}
	f.Fuzz(func(t *testing.T, text string, offset int64, zone uint8) {
		now, loc := fuzzNow(t, offset, zone)
		rest, due, ok := Split(text, now, loc)
		if len(rest) > len(text) {
			t.Fatalf("Split(%q): rest %q is longer than the input", text, rest)
		}
		if !strings.HasPrefix(strings.TrimSpace(text), rest) {
			t.Fatalf("Split(%q): rest %q is not a prefix of the input", text, rest)
		}
		if !ok {
			if !due.IsZero() {
				t.Fatalf("Split(%q) returned %s with false", text, due)
			}
			return
		}
		checkRange(t, "Split("+text+")", due, now, loc)
	})
}

// BenchmarkParse measures the three paths a chat message can take: a rule
// hit, a text the rules leave to go-dateparser, and a non-date that the
// vocabulary filter refuses before go-dateparser sees it.
func BenchmarkParse(b *testing.B) {
	now, loc := amsterdam(b)
	for _, bc := range []struct{ name, text string }{
		{"rule/volgende_week_vrijdag", "volgende week vrijdag"},
		{"rule/1_december_2027", "1 december 2027"},
		{"rule/end_of_next_month", "end of next month"},
		{"fallback/noon_tomorrow", "noon tomorrow"},
		{"fallback/on_the_7th_of_december", "on the 7th of december"},
		{"reject/the_pilot_report", "the pilot report"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			Parse(bc.text, now, loc) // first use creates the fallback parser
			b.ReportAllocs()
			for b.Loop() {
				Parse(bc.text, now, loc)
			}
		})
	}
	b.Run("split/deliver_by_next_friday", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Split("deliver the pilot report by next friday", now, loc)
		}
	})
}
