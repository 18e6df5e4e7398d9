package dates

import (
	"strings"
	"time"
)

// Rules for named calendar days and period ends: "1 december", "december
// 1st 2027", "vrijdag 4 december", "eind van de maand", "end of next month".

// endOf handles "end of <period>" in its English and Dutch spellings, with or
// without articles: "end of the month", "eind van de maand", "eind deze
// maand", "einde maand", "end of december", "eind dec 2027", "end of next
// month", "eind volgende week", "end of the year", "at the end of the week".
func endOf(toks []string, today time.Time) (time.Time, bool) {
	t := toks
	for len(t) > 0 && (t[0] == "at" || t[0] == "aan" || t[0] == "the" || t[0] == "het") {
		t = t[1:]
	}
	if len(t) < 2 || !(t[0] == "end" || t[0] == "eind" || t[0] == "einde") {
		return time.Time{}, false
	}
	t = skipFillers(t[1:])
	off := 0
	if len(t) > 1 && thisWords[t[0]] {
		t = t[1:]
	} else if len(t) > 1 && (nextWords[t[0]] || comingWords[t[0]] || t[0] == "komend") {
		off = 1
		t = t[1:]
	}
	if len(t) == 0 {
		return time.Time{}, false
	}
	if len(t) == 1 {
		switch t[0] {
		case "day", "dag", "today", "vandaag":
			if off == 0 {
				return today, true
			}
			return time.Time{}, false
		case "week":
			return endOfWeek(today, off), true
		case "month", "maand":
			return lastOfMonth(today.Year(), today.Month()+time.Month(off)), true
		case "year", "jaar":
			return lastOfMonth(today.Year()+off, time.December), true
		}
	}
	if off != 0 {
		return time.Time{}, false // "end of next december" is not a thing
	}
	m, ok := monthOf(t[0])
	if !ok || len(t) > 2 {
		return time.Time{}, false
	}
	if len(t) == 2 {
		if !yearToken.MatchString(t[1]) {
			return time.Time{}, false
		}
		return lastOfMonth(atoi(t[1]), m), true
	}
	d := lastOfMonth(today.Year(), m)
	if d.Before(today) {
		d = lastOfMonth(today.Year()+1, m)
	}
	return d, true
}

// endOfWeek is the friday of the current ISO week (plus weeks), because a
// commitment "by the end of the week" is meant for the working week. During
// the weekend the current week's friday has passed, so the next one is used.
func endOfWeek(today time.Time, weeks int) time.Time {
	d := inWeek(today, weeks, time.Friday)
	if d.Before(today) {
		d = addDays(d, 7)
	}
	return d
}

// dayMonth handles a day of a named month, in either order, with optional
// ordinal suffix, article, "of"/"van", year and leading weekday: "1 december",
// "december 1", "1 dec 2027", "the 1st of december", "dec 1st, 2027",
// "vrijdag 4 december". A leading weekday is not checked against the date:
// the explicit day and month are the stronger statement.
func dayMonth(toks []string, today time.Time) (time.Time, bool) {
	t := toks
	if _, ok := weekdays[strings.TrimSuffix(t[0], ".")]; ok && len(t) > 2 {
		t = t[1:]
	}
	if len(t) > 0 && (t[0] == "the" || t[0] == "de") {
		t = t[1:]
	}
	if len(t) < 2 {
		return time.Time{}, false
	}
	var dnum string
	var m time.Month
	if mo, ok := monthOf(t[0]); ok {
		m = mo
		t = t[1:]
		if len(t) > 1 && t[0] == "the" {
			t = t[1:]
		}
		dnum, t = t[0], t[1:]
	} else {
		dnum, t = t[0], t[1:]
		if len(t) > 1 && (t[0] == "of" || t[0] == "van") {
			t = t[1:]
		}
		mo, ok := monthOf(t[0])
		if !ok {
			return time.Time{}, false
		}
		m, t = mo, t[1:]
	}
	dm := dayNumber.FindStringSubmatch(dnum)
	if dm == nil {
		return time.Time{}, false
	}
	d := atoi(dm[1])
	switch {
	case len(t) == 0:
		return nextOccurrence(today, m, d)
	case len(t) == 1 && yearToken.MatchString(t[0]):
		return day(atoi(t[0]), m, d)
	}
	return time.Time{}, false
}

// monthOf looks up a month name, tolerating an abbreviation's dot ("dec.").
func monthOf(s string) (time.Month, bool) {
	m, ok := months[strings.TrimSuffix(s, ".")]
	return m, ok
}
