package dates

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The rule parser works on lower-cased words and returns a civil day (see
// dates.go). Each rule either consumes the whole token list or fails; there is
// no partial matching, which is what keeps "goal 2" or "the pilot" from ever
// becoming dates.

var (
	isoDate   = regexp.MustCompile(`^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$`)
	dmyDate   = regexp.MustCompile(`^(\d{1,2})([-/.])(\d{1,2})([-/.])(\d{4}|\d{2})$`)
	dmDate    = regexp.MustCompile(`^(\d{1,2})[-/](\d{1,2})$`)
	dayNumber = regexp.MustCompile(`^(\d{1,2})(st|nd|rd|th|e|ste|de)?$`)
	yearToken = regexp.MustCompile(`^\d{4}$`)
	// clockTime is a time of day with an explicit marker: a colon with
	// minutes, or an am/pm/u/h/uur suffix. "15.12" alone could be a day and
	// month, so a dot needs a suffix, and a bare number is only a time after
	// "at"/"om" (see stripTime).
	clockTime = regexp.MustCompile(`^\d{1,2}((:\d{2})(am|pm|u|h|uur)?|(\.\d{2})?(am|pm|u|h|uur))$`)
	bareHour  = regexp.MustCompile(`^\d{1,2}([:.]\d{2})?$`)
)

// parseRules matches toks against the grammar. weak reports a match that is
// a single abbreviation or a numeric date without a full year.
func parseRules(toks []string, today time.Time) (d time.Time, weak, ok bool) {
	toks = stripTime(splitCompounds(toks))
	if len(toks) == 0 {
		return time.Time{}, false, false
	}
	if len(toks) == 1 {
		if d, weak, ok := single(toks[0], today); ok {
			return d, weak, true
		}
	}
	for _, rule := range []func([]string, time.Time) (time.Time, bool){
		relativeDay, weekdayRule, nextPeriod, inDuration, endOf, dayMonth,
	} {
		if d, ok := rule(toks, today); ok {
			return d, false, true
		}
	}
	return time.Time{}, false, false
}

// stripTime drops a trailing time of day ("om 15:00", "at 3pm", "10 uur",
// "in de middag") so that the day before it can be matched. The time itself
// does not matter: a due date is a day.
func stripTime(toks []string) []string {
	n := len(toks)
	if n >= 2 && dayParts[toks[n-1]] {
		n--
		for n >= 2 && (toks[n-1] == "the" || toks[n-1] == "de" || toks[n-1] == "in") {
			n--
		}
	} else if n >= 3 && (toks[n-1] == "uur" || toks[n-1] == "am" || toks[n-1] == "pm" || toks[n-1] == "o'clock") && bareHour.MatchString(toks[n-2]) {
		n -= 2
	} else if n >= 2 && clockTime.MatchString(toks[n-1]) {
		n--
	} else if n >= 3 && bareHour.MatchString(toks[n-1]) && isAt(toks[n-2]) {
		n--
	}
	if n < len(toks) && n >= 2 && isAt(toks[n-1]) {
		n--
	}
	return toks[:n]
}

// splitCompounds rewrites Dutch weekday compounds such as "vrijdagmiddag" or
// "maandagochtend" to the bare weekday: the part of the day does not change
// the due date. The slice is only copied when a word changes.
func splitCompounds(toks []string) []string {
	out := toks
	copied := false
	for i, t := range toks {
		for _, part := range [...]string{"ochtend", "morgen", "middag", "avond", "nacht"} {
			w, found := strings.CutSuffix(t, part)
			if wd, ok := weekdays[w]; found && ok && !wd.abbr {
				if !copied {
					out, copied = append([]string(nil), toks...), true
				}
				out[i] = w
				break
			}
		}
	}
	return out
}

func isAt(s string) bool { return s == "at" || s == "om" || s == "@" || s == "rond" || s == "around" }

// single handles one-word expressions.
func single(tok string, today time.Time) (time.Time, bool, bool) {
	switch {
	case todayWords[tok]:
		return today, false, true
	case tomorrowWords[tok]:
		return addDays(today, 1), false, true
	case tok == "overmorgen":
		return addDays(today, 2), false, true
	case tok == "eow":
		return endOfWeek(today, 0), false, true
	case tok == "eom":
		return lastOfMonth(today.Year(), today.Month()), false, true
	case tok == "eoy":
		return lastOfMonth(today.Year(), time.December), false, true
	}
	if w, ok := weekdays[tok]; ok {
		return nextWeekday(today, w.day), w.abbr, true
	}
	if m := isoDate.FindStringSubmatch(tok); m != nil {
		d, ok := day(atoi(m[1]), time.Month(atoi(m[2])), atoi(m[3]))
		return d, false, ok
	}
	if m := dmyDate.FindStringSubmatch(tok); m != nil && m[2] == m[4] {
		y, short := atoi(m[5]), len(m[5]) == 2
		if short {
			y += 2000 // "15-12-26": two-digit years are this century
		}
		d, ok := day(y, time.Month(atoi(m[3])), atoi(m[1]))
		// "1.2.34" is as likely a version number as a date.
		return d, short, ok
	}
	if m := dmDate.FindStringSubmatch(tok); m != nil {
		if mo := atoi(m[2]); mo >= 1 && mo <= 12 {
			d, ok := nextOccurrence(today, time.Month(mo), atoi(m[1]))
			return d, true, ok
		}
	}
	return time.Time{}, false, false
}

// relativeDay: "day after tomorrow", "the day after tomorrow", "dag na
// morgen". ("end of day" is an end-of-period, see endOf.)
func relativeDay(toks []string, today time.Time) (time.Time, bool) {
	t := skipFillers(toks)
	if len(t) == 3 && (t[0] == "day" || t[0] == "dag") && (t[1] == "after" || t[1] == "na") && tomorrowWords[t[2]] {
		return addDays(today, 2), true
	}
	return time.Time{}, false
}

// weekdayRule covers weekdays with a qualifier: "next friday", "volgende week
// vrijdag", "friday next week", "this friday", "komende vrijdag", "vrijdag
// a.s.", "the coming friday". See the package comment for what each means.
func weekdayRule(toks []string, today time.Time) (time.Time, bool) {
	if len(toks) > 2 && (toks[0] == "the" || toks[0] == "de") {
		toks = toks[1:] // "the coming friday", "de volgende vrijdag"
	}
	n := len(toks)
	wd := func(s string) (time.Weekday, bool) { w, ok := weekdays[s]; return w.day, ok }
	nextWeek := func(a, b string) bool { return nextWords[a] && b == "week" }
	switch {
	case n == 2 && nextWords[toks[0]]:
		if w, ok := wd(toks[1]); ok {
			return inWeek(today, 1, w), true
		}
	case n == 2 && thisWords[toks[0]]:
		if w, ok := wd(toks[1]); ok {
			d := inWeek(today, 0, w)
			if d.Before(today) {
				d = addDays(d, 7)
			}
			return d, true
		}
	case n == 2 && comingWords[toks[0]]:
		if w, ok := wd(toks[1]); ok {
			return nextWeekday(today, w), true
		}
	case n == 2 && comingWords[toks[1]]:
		if w, ok := wd(toks[0]); ok {
			return nextWeekday(today, w), true
		}
	case n == 3 && thisWords[toks[0]] && comingWords[toks[1]]:
		if w, ok := wd(toks[2]); ok {
			return nextWeekday(today, w), true
		}
	case n == 3 && nextWeek(toks[0], toks[1]):
		if w, ok := wd(toks[2]); ok {
			return inWeek(today, 1, w), true
		}
	case n == 3 && nextWeek(toks[1], toks[2]):
		if w, ok := wd(toks[0]); ok {
			return inWeek(today, 1, w), true
		}
	}
	return time.Time{}, false
}

// nextPeriod: "next week" (its monday), "next month" (its first day), "next
// year" (january 1), in both languages, with "komende" as a synonym.
func nextPeriod(toks []string, today time.Time) (time.Time, bool) {
	if len(toks) != 2 || !(nextWords[toks[0]] || toks[0] == "komende" || toks[0] == "komend") {
		return time.Time{}, false
	}
	switch units[toks[1]] {
	case unitWeek:
		return addDays(mondayOf(today), 7), toks[1] == "week"
	case unitMonth:
		return time.Date(today.Year(), today.Month()+1, 1, 0, 0, 0, 0, time.UTC), toks[1] == "month" || toks[1] == "maand"
	case unitYear:
		return time.Date(today.Year()+1, time.January, 1, 0, 0, 0, 0, time.UTC), toks[1] == "year" || toks[1] == "jaar"
	}
	return time.Time{}, false
}

// inDuration: "in 3 days", "over twee weken", "within a month", "binnen een
// week", "2 weeks from now", and a step from another day: "a week from
// tomorrow", "2 days after friday", "een week na vrijdag".
func inDuration(toks []string, today time.Time) (time.Time, bool) {
	base := today
	var num, u string
	switch {
	case len(toks) == 3 && (toks[0] == "in" || toks[0] == "over" || toks[0] == "within" || toks[0] == "binnen"):
		num, u = toks[1], toks[2]
	case len(toks) == 4 && (toks[2] == "from" || toks[2] == "vanaf") && (toks[3] == "now" || toks[3] == "nu"):
		num, u = toks[0], toks[1]
	case len(toks) >= 4 && (toks[2] == "from" || toks[2] == "after" || toks[2] == "na" || toks[2] == "vanaf"):
		// The tail is shorter than toks, so this recursion ends.
		d, _, ok := parseRules(toks[3:], today)
		if !ok {
			return time.Time{}, false
		}
		base, num, u = d, toks[0], toks[1]
	default:
		return time.Time{}, false
	}
	n, ok := count(num)
	un := units[u]
	if !ok || un == 0 {
		return time.Time{}, false
	}
	switch un {
	case unitDay:
		return addDays(base, n), true
	case unitWeek:
		return addDays(base, 7*n), true
	case unitMonth:
		return addMonths(base, n), true
	default:
		return addMonths(base, 12*n), true
	}
}

// count reads "3", "drie" or "a"; the digit form is capped at four digits so
// it can neither overflow nor take long, and the range check rejects the rest.
func count(s string) (int, bool) {
	if n, ok := numberWords[s]; ok {
		return n, true
	}
	if len(s) == 0 || len(s) > 4 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0 && s[0] != '+'
}

// atoi converts a regexp-validated digit string.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// skipFillers drops leading articles and prepositions.
func skipFillers(toks []string) []string {
	for len(toks) > 0 && fillers[toks[0]] {
		toks = toks[1:]
	}
	return toks
}

// nextWeekday is the first day strictly after today falling on w.
func nextWeekday(today time.Time, w time.Weekday) time.Time {
	diff := (int(w) - int(today.Weekday()) + 7) % 7
	if diff == 0 {
		diff = 7
	}
	return addDays(today, diff)
}

// inWeek is weekday w in the ISO week that is weeks weeks after today's.
func inWeek(today time.Time, weeks int, w time.Weekday) time.Time {
	return addDays(mondayOf(today), 7*weeks+isoIndex(w))
}
