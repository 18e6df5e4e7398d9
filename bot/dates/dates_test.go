package dates

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// corpus mirrors testdata/dates.json.
type corpus struct {
	SplitNow string      `json:"split_now"`
	SplitTZ  string      `json:"split_tz"`
	Parse    []parseCase `json:"parse"`
	Split    []splitCase `json:"split"`
}

type parseCase struct {
	Now  string `json:"now"`
	TZ   string `json:"tz"`
	Text string `json:"text"`
	Want string `json:"want"`
	// Via is "fallback" for texts that only go-dateparser understands; the
	// test checks that the rules indeed leave them alone, so the fallback
	// stays exercised.
	Via string `json:"via"`
}

type splitCase struct {
	Now  string `json:"now"`
	TZ   string `json:"tz"`
	Text string `json:"text"`
	Rest string `json:"rest"`
	Want string `json:"want"`
}

func loadCorpus(tb testing.TB) corpus {
	tb.Helper()
	raw, err := os.ReadFile("testdata/dates.json")
	if err != nil {
		tb.Fatal(err)
	}
	var c corpus
	if err := json.Unmarshal(raw, &c); err != nil {
		tb.Fatal(err)
	}
	return c
}

func mustTime(tb testing.TB, now, tz string) (time.Time, *time.Location) {
	tb.Helper()
	loc, err := time.LoadLocation(tz)
	if err != nil {
		tb.Fatal(err)
	}
	t, err := time.Parse(time.RFC3339, now)
	if err != nil {
		tb.Fatal(err)
	}
	return t, loc
}

// checkDay asserts that got is want's midnight in loc.
func checkDay(t *testing.T, got time.Time, want string, loc *time.Location) {
	t.Helper()
	if s := got.Format("2006-01-02"); s != want {
		t.Errorf("got %s, want %s", s, want)
	}
	if got.Location().String() != loc.String() {
		t.Errorf("location %s, want %s", got.Location(), loc)
	}
	if h, m, s := got.Clock(); h != 0 || m != 0 || s != 0 || got.Nanosecond() != 0 {
		t.Errorf("got %s, want midnight", got)
	}
}

func TestCorpusParse(t *testing.T) {
	c := loadCorpus(t)
	if len(c.Parse) < 90 {
		t.Fatalf("corpus has %d parse cases, want at least 90", len(c.Parse))
	}
	for i, tc := range c.Parse {
		t.Run(fmt.Sprintf("%03d_%s", i, tc.Text), func(t *testing.T) {
			now, loc := mustTime(t, tc.Now, tc.TZ)
			got, ok := Parse(tc.Text, now, loc)
			if tc.Want == "" {
				if ok {
					t.Fatalf("Parse(%q) = %s, want not a date", tc.Text, got.Format(time.DateOnly))
				}
				return
			}
			if !ok {
				t.Fatalf("Parse(%q) = not a date, want %s", tc.Text, tc.Want)
			}
			checkDay(t, got, tc.Want, loc)
			_, _, byRules := parseRulesOnly(tc.Text, now, loc)
			if tc.Via == "fallback" && byRules {
				t.Errorf("rules handle %q; move it out of the fallback group", tc.Text)
			}
			if tc.Via == "" && !byRules {
				t.Errorf("%q only parses through the fallback; mark it via fallback or add a rule", tc.Text)
			}
		})
	}
}

func TestCorpusSplit(t *testing.T) {
	c := loadCorpus(t)
	for i, tc := range c.Split {
		t.Run(fmt.Sprintf("%02d_%s", i, tc.Text), func(t *testing.T) {
			nowS, tz := c.SplitNow, c.SplitTZ
			if tc.Now != "" {
				nowS = tc.Now
			}
			if tc.TZ != "" {
				tz = tc.TZ
			}
			now, loc := mustTime(t, nowS, tz)
			rest, due, ok := Split(tc.Text, now, loc)
			if rest != tc.Rest {
				t.Errorf("rest %q, want %q", rest, tc.Rest)
			}
			switch {
			case tc.Want == "" && ok:
				t.Errorf("found date %s, want none", due.Format(time.DateOnly))
			case tc.Want == "" && !due.IsZero():
				t.Errorf("due %s without ok", due)
			case tc.Want != "" && !ok:
				t.Errorf("no date, want %s", tc.Want)
			case tc.Want != "":
				checkDay(t, due, tc.Want, loc)
			}
		})
	}
}

func amsterdam(t testing.TB) (time.Time, *time.Location) {
	return mustTime(t, "2026-11-27T10:00:00+01:00", "Europe/Amsterdam")
}

func TestParseRejectsLongInputFast(t *testing.T) {
	now, loc := amsterdam(t)
	text := strings.Repeat(" ", maxInput-len("friday")) + "friday"
	if _, ok := Parse(text, now, loc); !ok {
		t.Errorf("Parse of %d bytes should still work", len(text))
	}
	if _, ok := Parse(" "+text, now, loc); ok {
		t.Errorf("Parse of %d bytes should be refused", len(text)+1)
	}
	if _, ok := Parse(strings.Repeat("next friday ", 100000), now, loc); ok {
		t.Error("Parse of a megabyte should be refused")
	}
}

func TestSplitLongSentence(t *testing.T) {
	now, loc := amsterdam(t)
	head := strings.Repeat("blah ", 200000) + "deliver it"
	rest, due, ok := Split(head+" by friday", now, loc)
	if !ok || rest != head {
		t.Fatalf("Split of a long sentence: ok=%v, rest has %d bytes, want %d", ok, len(rest), len(head))
	}
	checkDay(t, due, "2026-12-04", loc)
}

func TestParseInvalidUTF8(t *testing.T) {
	now, loc := amsterdam(t)
	for _, s := range []string{"fri\xffday", "\xff", "morgen\xc3"} {
		if _, ok := Parse(s, now, loc); ok {
			t.Errorf("Parse(%q) accepted invalid UTF-8", s)
		}
		if rest, _, ok := Split(s, now, loc); ok || len(rest) > len(s) {
			t.Errorf("Split(%q) = %q, %v", s, rest, ok)
		}
	}
}

func TestParseNilLocationUsesNowsLocation(t *testing.T) {
	now, ny := mustTime(t, "2026-11-28T02:00:00+01:00", "America/New_York")
	got, ok := Parse("tomorrow", now.In(ny), nil)
	if !ok {
		t.Fatal("not a date")
	}
	checkDay(t, got, "2026-11-28", ny)
}

// In Beirut the clocks jump from 00:00 to 01:00 on 2026-03-29, so that day
// has no midnight; Parse must still return an instant on that day, the first.
func TestParseDayWithoutMidnight(t *testing.T) {
	now, loc := mustTime(t, "2026-03-28T12:00:00+02:00", "Asia/Beirut")
	got, ok := Parse("tomorrow", now, loc)
	if !ok {
		t.Fatal("not a date")
	}
	if got.Format(time.DateOnly) != "2026-03-29" {
		t.Errorf("got %s, want 2026-03-29", got)
	}
	if prev := got.Add(-time.Second); prev.Day() == got.Day() {
		t.Errorf("%s is not the first instant of its day", got)
	}
}

// TestConcurrent runs the corpus from many goroutines at once; under -race
// it checks that the lazily created fallback parser is shared safely, and it
// checks that concurrent calls give the same answers as serial ones.
func TestConcurrent(t *testing.T) {
	c := loadCorpus(t)
	type answer struct {
		d  time.Time
		ok bool
	}
	want := make([]answer, len(c.Parse))
	nows := make([]time.Time, len(c.Parse))
	locs := make([]*time.Location, len(c.Parse))
	for i, tc := range c.Parse {
		nows[i], locs[i] = mustTime(t, tc.Now, tc.TZ)
		d, ok := Parse(tc.Text, nows[i], locs[i])
		want[i] = answer{d, ok}
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for k := range c.Parse {
				i := (k + g*31) % len(c.Parse)
				tc, now, loc := c.Parse[i], nows[i], locs[i]
				d, ok := Parse(tc.Text, now, loc)
				if ok != want[i].ok || !d.Equal(want[i].d) {
					t.Errorf("concurrent Parse(%q) = %v %v, serial %v %v", tc.Text, d, ok, want[i].d, want[i].ok)
				}
				Split("do it "+tc.Text, now, loc)
			}
		})
	}
	wg.Wait()
}
