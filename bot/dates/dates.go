// Package dates turns the due-date part of a Dutch or English chat message into
// a calendar day.
//
// Parsing is rule-first: the common expressions a person types when making a
// commitment ("by friday", "voor volgende week vrijdag", "eind van de maand",
// "15-12") are handled by a small, closed grammar in rules.go whose meaning is
// fixed by this package's tests. Only when no rule matches is go-dateparser
// asked, and only for texts made purely of date vocabulary (fallback.go), so
// that ordinary words and bare numbers such as commitment ids are never read
// as dates.
//
// Choices that differ between people and that this package fixes:
//   - A bare weekday ("friday", "vrijdag", "fri", "vr") is the first such day
//     strictly after today; on a friday, "friday" is a week away.
//   - "next friday", "volgende vrijdag", "volgende week vrijdag" and "friday
//     next week" all mean the friday of the NEXT ISO week (weeks start on
//     monday). Said on a monday, "next friday" is therefore 11 days away, not 4.
//     "komende vrijdag", "aanstaande vrijdag" and "this coming friday" mean the
//     first friday after today instead.
//   - "this friday"/"deze vrijdag" is the friday of the current ISO week, or of
//     the next week once it has passed.
//   - "end of the week" is the friday of the current week (a working week), or
//     the next friday when said during the weekend.
//   - "in 1 month" from january 31 is the last day of february: month steps are
//     clamped to the target month's length instead of overflowing.
//   - Only days from today up to ten years ahead are dates: a commitment cannot
//     be due in the past, so "1 december 2025" said in 2026 is rejected.
//   - Times of day are accepted after a day and ignored ("morgen om 15:00").
package dates

import (
	"strings"
	"time"
	"unicode/utf8"
)

// maxInput bounds the text Parse will look at. Real date expressions are a few
// words; anything longer is not a date and must not reach the fallback parser.
const maxInput = 200

// Parse reads a date expression (the whole text) relative to now, in loc.
// It returns the calendar day as midnight in loc and true, or false when text is not a date.
//
// now is converted into loc first, so "today" is now's calendar date in loc; a
// nil loc means now's own location. In the rare zones whose clocks skip
// midnight on a DST day, the result is that day's first instant instead. Matching is case-insensitive and ignores
// surrounding spaces and trailing '.', '!' and '?'. Texts longer than 200 bytes,
// texts with NUL bytes or invalid UTF-8, plain numbers, and days before today or
// more than ten years ahead all give false. Parse is safe for concurrent use and
// never panics.
func Parse(text string, now time.Time, loc *time.Location) (time.Time, bool) {
	toks, ok := tokenize(text)
	if !ok {
		return time.Time{}, false
	}
	now, loc = inLoc(now, loc)
	today := civil(now)
	if d, _, ok := parseRules(toks, today); ok {
		return finish(d, today, loc)
	}
	if d, ok := parseFallback(toks, now, loc); ok {
		return finish(d, today, loc)
	}
	return time.Time{}, false
}

// parseRulesOnly is Parse without the fallback, also reporting whether the
// match is weak (an abbreviation or a year-less numeric date that could just as
// well be an ordinary word or number). Split uses it for dates without keyword.
func parseRulesOnly(text string, now time.Time, loc *time.Location) (d time.Time, weak, ok bool) {
	toks, ok := tokenize(text)
	if !ok {
		return time.Time{}, false, false
	}
	now, loc = inLoc(now, loc)
	today := civil(now)
	d, weak, ok = parseRules(toks, today)
	if !ok {
		return time.Time{}, false, false
	}
	d, ok = finish(d, today, loc)
	return d, weak, ok
}

// tokenize lower-cases text and splits it into words, dropping commas and the
// trailing sentence punctuation. It refuses input that cannot be a date
// expression before any real work is done.
func tokenize(text string) ([]string, bool) {
	if len(text) > maxInput || strings.IndexByte(text, 0) >= 0 || !utf8.ValidString(text) {
		return nil, false
	}
	s := strings.ToLower(trimSentence(text))
	toks := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u00a0'
	})
	if len(toks) == 0 {
		return nil, false
	}
	return toks, true
}

// trimSentence removes surrounding white space and trailing sentence
// punctuation, repeatedly, so "friday?! " becomes "friday".
func trimSentence(s string) string {
	for {
		t := strings.TrimRight(strings.TrimSpace(s), ".!?,;:")
		if t == s {
			return s
		}
		s = t
	}
}

// inLoc resolves the location and moves now into it.
func inLoc(now time.Time, loc *time.Location) (time.Time, *time.Location) {
	if loc == nil {
		loc = now.Location()
	}
	return now.In(loc), loc
}

// Calendar arithmetic is done on civil days represented as midnight UTC: UTC
// has no DST gaps, so adding days and months never lands on a missing or
// doubled hour. Only finish converts back to the caller's location.

// civil returns t's calendar date as midnight UTC.
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// day builds a civil day, reporting false when the parts do not form a real
// date (e.g. 31 februari), because time.Date would silently normalise them.
func day(y int, m time.Month, d int) (time.Time, bool) {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return t, t.Year() == y && t.Month() == m && t.Day() == d
}

// addDays moves a civil day by n days.
func addDays(t time.Time, n int) time.Time { return t.AddDate(0, 0, n) }

// lastOfMonth is the last day of t's month.
func lastOfMonth(y int, m time.Month) time.Time {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC)
}

// addMonths moves t by n months, clamping the day to the target month's
// length: january 31 plus one month is the end of february, not march 3.
func addMonths(t time.Time, n int) time.Time {
	first := time.Date(t.Year(), t.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := lastOfMonth(first.Year(), first.Month())
	if t.Day() > last.Day() {
		return last
	}
	return time.Date(first.Year(), first.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// mondayOf returns the monday starting t's ISO week.
func mondayOf(t time.Time) time.Time {
	return addDays(t, -((int(t.Weekday()) + 6) % 7))
}

// isoIndex is the position of a weekday in an ISO week: monday 0 .. sunday 6.
func isoIndex(w time.Weekday) int { return (int(w) + 6) % 7 }

// nextOccurrence returns the first day on or after today with the given month
// and day, looking at most one year ahead, so "1 januari" said in december is
// next year's. A february 29 waits for the next leap year within range.
func nextOccurrence(today time.Time, m time.Month, d int) (time.Time, bool) {
	for y := today.Year(); y <= today.Year()+4; y++ {
		if t, ok := day(y, m, d); ok && !t.Before(today) {
			return t, true
		}
	}
	return time.Time{}, false
}

// finish applies the range contract and converts a civil day into midnight in
// loc.
func finish(d, today time.Time, loc *time.Location) (time.Time, bool) {
	if d.Before(today) || d.After(today.AddDate(10, 0, 0)) {
		return time.Time{}, false
	}
	return midnight(d, loc), true
}

// midnight returns the first instant of civil day d in loc. In zones whose
// DST switch happens at midnight, 00:00 may not exist and time.Date may pick
// an instant on the previous day; stepping forward by the hour until the date
// matches yields the real start of the day.
func midnight(d time.Time, loc *time.Location) time.Time {
	t := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
	for i := 0; i < 4 && civil(t).Before(d); i++ {
		t = t.Add(time.Hour)
	}
	return t
}
