package dates

import (
	"regexp"
	"strings"
	"sync"
	"time"

	dps "github.com/markusmobius/go-dateparser"
	"github.com/markusmobius/go-dateparser/date"
)

// go-dateparser handles phrasings the rules do not ("a week from tomorrow",
// "3 weeks from now", "noon tomorrow"), but it is built for scraping and will
// read almost anything as a date: "a" is the first of this month, "12" the
// 12th, "20261215" a Unix timestamp, "4 december om 10 uur" a day in 2110. So
// it is only consulted for texts made entirely of date vocabulary with at
// least one word that names a day or a period, and its answer must be a day
// (not a month or year) inside the range finish accepts.
//
// Cost: importing go-dateparser runs its locale-data initialisation at program
// start (a few hundred milliseconds, far more under -race); that cannot be
// deferred from here. The Parser value itself is cheap but is still created
// once, lazily, so no work happens until a text actually needs the fallback.
// A dps.Parser serialises its own calls with a mutex, which makes the shared
// value safe for concurrent use.

var fallbackParser struct {
	once sync.Once
	p    *dps.Parser
}

func getFallback() *dps.Parser {
	fallbackParser.once.Do(func() { fallbackParser.p = &dps.Parser{} })
	return fallbackParser.p
}

var (
	// fallbackFillers may appear in a fallback text but do not make it a date.
	fallbackFillers = map[string]bool{
		"the": true, "of": true, "a": true, "an": true, "at": true, "on": true,
		"from": true, "now": true, "after": true, "this": true, "next": true,
		"coming": true, "in": true, "and": true, "noon": true, "midnight": true,
		"am": true, "pm": true, "de": true, "het": true, "een": true, "van": true,
		"na": true, "om": true, "vanaf": true, "nu": true, "over": true,
		"volgende": true, "komende": true, "deze": true, "morning": true,
		"afternoon": true, "evening": true, "ochtend": true, "middag": true,
		"avond": true,
	}
	// fallbackAnchors name a day or period; at least one must be present.
	fallbackAnchors = map[string]bool{
		"weekend": true, "fortnight": true, "overmorgen": true,
	}
	numericToken = regexp.MustCompile(`^\d{1,4}(st|nd|rd|th)?$|^\d{1,2}(:\d{2})?(am|pm)?$|^\d{1,4}([-/.]\d{1,4}){1,2}$`)
)

// fallbackWorthy decides whether a text may be shown to go-dateparser.
func fallbackWorthy(toks []string) bool {
	// Natural date expressions are short; a long run of date words ("in 2
	// weeks and in 2 weeks and ...") is noise that go-dateparser would
	// still happily add up, at a cost of milliseconds.
	if len(toks) > maxDateWords {
		return false
	}
	anchor := false
	for _, t := range toks {
		switch {
		case isAnchor(t):
			anchor = true
		case fallbackFillers[t] || numberWords[t] > 0 || numericToken.MatchString(t):
		default:
			return false
		}
	}
	return anchor && !isDuration(toks)
}

// isDuration reports texts such as "2 weeks" or "1 week and 2 days": on their
// own they are durations ("for 2 weeks"), not due dates, but go-dateparser
// reads them as "in 2 weeks".
func isDuration(toks []string) bool {
	for _, t := range toks {
		if _, isCount := count(t); !isCount && units[t] == 0 && t != "and" && t != "en" {
			return false
		}
	}
	return true
}

func isAnchor(t string) bool {
	t = strings.TrimSuffix(t, ".")
	if _, ok := months[t]; ok {
		return true
	}
	if _, ok := weekdays[t]; ok {
		return true
	}
	return units[t] != 0 || todayWords[t] || tomorrowWords[t] || fallbackAnchors[t]
}

// parseFallback asks go-dateparser about toks. It returns a civil day; the
// caller applies the range check. A panic inside the library (it has had some
// on malformed input) is contained and reported as "not a date".
func parseFallback(toks []string, now time.Time, loc *time.Location) (d time.Time, ok bool) {
	if !fallbackWorthy(toks) {
		return time.Time{}, false
	}
	defer func() {
		if recover() != nil {
			d, ok = time.Time{}, false
		}
	}()
	cfg := &dps.Configuration{
		Languages:           []string{"en", "nl"},
		CurrentTime:         now,
		DefaultTimezone:     loc,
		PreferredDateSource: dps.Future,
		// Day-first, as written in the Netherlands; the rules already
		// handle numeric dates, this only keeps the fallback consistent.
		DateOrder: dps.DMY,
	}
	res, err := getFallback().Parse(cfg, strings.Join(toks, " "))
	if err != nil || res.IsZero() || !(res.Period == date.Day || res.Period.IsTime()) {
		return time.Time{}, false
	}
	return civil(res.Time.In(loc)), true
}
