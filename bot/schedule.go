package bot

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// Digest schedules are stored as standard five-field cron lines (minute
// hour day-of-month month day-of-week) read in the network's timezone.
// Members write them in words ("every monday 09:00", "elke werkdag om
// 8.30") or as a cron line; ParseSchedule turns both into the line.

var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)

// minDigestGap is the shortest time allowed between two digests of a
// room: a digest every hour would drown the room.
const minDigestGap = 3 * time.Hour

var (
	errScheduleWords = errors.New("schedule not understood")
	errScheduleOften = errors.New("schedule too frequent")
)

var dayWords = map[string][]int{
	"sunday": {0}, "sun": {0}, "sundays": {0}, "zondag": {0}, "zo": {0}, "zondags": {0},
	"monday": {1}, "mon": {1}, "mondays": {1}, "maandag": {1}, "ma": {1}, "maandags": {1},
	"tuesday": {2}, "tue": {2}, "tues": {2}, "tuesdays": {2}, "dinsdag": {2}, "di": {2}, "dinsdags": {2},
	"wednesday": {3}, "wed": {3}, "wednesdays": {3}, "woensdag": {3}, "wo": {3}, "woensdags": {3},
	"thursday": {4}, "thu": {4}, "thur": {4}, "thurs": {4}, "thursdays": {4}, "donderdag": {4}, "do": {4}, "donderdags": {4},
	"friday": {5}, "fri": {5}, "fridays": {5}, "vrijdag": {5}, "vr": {5}, "vrijdags": {5},
	"saturday": {6}, "sat": {6}, "saturdays": {6}, "zaterdag": {6}, "za": {6}, "zaterdags": {6},
	"weekday": {1, 2, 3, 4, 5}, "weekdays": {1, 2, 3, 4, 5}, "workday": {1, 2, 3, 4, 5}, "workdays": {1, 2, 3, 4, 5},
	"werkdag": {1, 2, 3, 4, 5}, "werkdagen": {1, 2, 3, 4, 5}, "doordeweekse": {1, 2, 3, 4, 5},
	"day": nil, "days": nil, "daily": nil, "dag": nil, "dagen": nil, "dagelijks": nil,
	"week": {1}, "weekly": {1}, "wekelijks": {1},
}

// filler words that carry no meaning in a schedule.
var scheduleFiller = set("every", "each", "on", "elke", "iedere", "ieder", "op", "and", "en", "at", "om", "@", "the", "de")

var (
	clockRE = regexp.MustCompile(`^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|u|uur|h)?$`)
)

// ParseSchedule reads a digest schedule, in words or as a cron line, and
// returns its cron line.
func ParseSchedule(text string) (string, error) {
	text = strings.TrimSpace(text)
	if f := strings.Fields(text); len(f) == 5 {
		spec := strings.Join(f, " ")
		if _, err := cronParser.Parse(spec); err == nil {
			return checkCron(spec)
		}
	}
	lower := strings.NewReplacer("working days", "workdays", "working day", "workday", "business days", "workdays",
		"business day", "workday", "week days", "weekdays", "week day", "weekday").Replace(strings.ToLower(text))
	words := strings.Fields(strings.NewReplacer(",", " ", "&", " ").Replace(lower))
	// "9 am" is one clock time.
	var toks []string
	for i := 0; i < len(words); i++ {
		w := words[i]
		if i+1 < len(words) && clockRE.MatchString(w) && (words[i+1] == "am" || words[i+1] == "pm" || words[i+1] == "uur") {
			w += words[i+1]
			i++
		}
		toks = append(toks, w)
	}
	days := map[int]bool{}
	everyDay := false
	hour, minute := -1, 0
	for _, w := range toks {
		if scheduleFiller[w] {
			continue
		}
		if d, ok := dayWords[w]; ok {
			if d == nil {
				everyDay = true
			}
			for _, x := range d {
				days[x] = true
			}
			continue
		}
		if m := clockRE.FindStringSubmatch(w); m != nil && hour < 0 {
			h, _ := strconv.Atoi(m[1])
			if m[2] != "" {
				minute, _ = strconv.Atoi(m[2])
			}
			switch m[3] {
			case "pm":
				if h < 12 {
					h += 12
				}
			case "am":
				if h == 12 {
					h = 0
				}
			}
			if h > 23 || minute > 59 {
				return "", errScheduleWords
			}
			hour = h
			continue
		}
		return "", errScheduleWords
	}
	if len(days) == 0 && !everyDay {
		return "", errScheduleWords
	}
	if hour < 0 {
		hour = 9
	}
	dow := "*"
	if !everyDay && len(days) < 7 {
		var list []string
		for d := 0; d < 7; d++ {
			if days[d] {
				list = append(list, strconv.Itoa(d))
			}
		}
		dow = strings.Join(list, ",")
		if dow == "1,2,3,4,5" {
			dow = "1-5"
		}
	}
	return checkCron(fmt.Sprintf("%d %d * * %s", minute, hour, dow))
}

// checkCron validates a cron line and refuses ones that fire more often
// than minDigestGap.
func checkCron(spec string) (string, error) {
	sched, err := cronParser.Parse(spec)
	if err != nil {
		return "", fmt.Errorf("%w: %v", errScheduleWords, err)
	}
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	prev := sched.Next(t)
	if prev.IsZero() {
		return "", errScheduleWords
	}
	for range 48 {
		next := sched.Next(prev)
		if next.IsZero() {
			break
		}
		if next.Sub(prev) < minDigestGap {
			return "", errScheduleOften
		}
		prev = next
	}
	return spec, nil
}

// nextSlot is the first slot of spec strictly after t, in loc. Cron reads
// the wall clock of loc, so a 09:00 digest stays at 09:00 local time
// across daylight-saving changes.
func nextSlot(spec string, t time.Time, loc *time.Location) (time.Time, error) {
	sched, err := cronParser.Parse(spec)
	if err != nil {
		return time.Time{}, err
	}
	n := sched.Next(t.In(loc))
	if n.IsZero() {
		return time.Time{}, errScheduleWords
	}
	return n, nil
}

var (
	enDayNames = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	nlDayNames = [...]string{"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"}
)

var simpleSpecRE = regexp.MustCompile(`^(\d{1,2}) (\d{1,2}) \* \* ([\d,\-*]+)$`)

// describeSchedule says a cron line in words where it is one of the
// shapes ParseSchedule writes, else shows the line itself.
func describeSchedule(spec, lang string) string {
	m := simpleSpecRE.FindStringSubmatch(spec)
	if m == nil {
		return tr(lang, "schedule_cron", spec)
	}
	minute, _ := strconv.Atoi(m[1])
	hour, _ := strconv.Atoi(m[2])
	clock := fmt.Sprintf("%02d:%02d", hour, minute)
	var days string
	switch m[3] {
	case "*":
		days = tr(lang, "schedule_every_day")
	case "1-5":
		days = tr(lang, "schedule_every_weekday")
	default:
		var names []string
		for _, p := range strings.Split(m[3], ",") {
			d, err := strconv.Atoi(p)
			if err != nil || d < 0 || d > 7 {
				return tr(lang, "schedule_cron", spec)
			}
			if lang == NL {
				names = append(names, nlDayNames[d%7])
			} else {
				names = append(names, enDayNames[d%7])
			}
		}
		days = tr(lang, "schedule_every", joinAnd(names, lang))
	}
	return tr(lang, "schedule_at", days, clock)
}

// joinAnd joins "a, b and c" / "a, b en c".
func joinAnd(items []string, lang string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	and := " and "
	if lang == NL {
		and = " en "
	}
	return strings.Join(items[:len(items)-1], ", ") + and + items[len(items)-1]
}
