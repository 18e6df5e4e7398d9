package dates

import "time"

// The word tables below are the whole vocabulary of the rule parser. They are
// deliberately closed: a word that is not listed here can only ever reach
// go-dateparser, and only through the fallback filter in fallback.go.

// months maps English and Dutch month names and abbreviations to their month.
// "mar" and "mrt" both mean March; "may" and "mei" both mean May.
var months = map[string]time.Month{
	"january": time.January, "januari": time.January, "jan": time.January,
	"february": time.February, "februari": time.February, "feb": time.February, "febr": time.February,
	"march": time.March, "maart": time.March, "mar": time.March, "mrt": time.March,
	"april": time.April, "apr": time.April,
	"may": time.May, "mei": time.May,
	"june": time.June, "juni": time.June, "jun": time.June,
	"july": time.July, "juli": time.July, "jul": time.July,
	"august": time.August, "augustus": time.August, "aug": time.August,
	"september": time.September, "sep": time.September, "sept": time.September,
	"october": time.October, "oktober": time.October, "oct": time.October, "okt": time.October,
	"november": time.November, "nov": time.November,
	"december": time.December, "dec": time.December,
}

// weekday is a weekday name together with whether it is an abbreviation.
// Abbreviations ("do", "zo", "sun", "wed") double as ordinary words, so Split
// only accepts them after an explicit keyword.
type weekday struct {
	day  time.Weekday
	abbr bool
}

var weekdays = map[string]weekday{
	"monday": {time.Monday, false}, "maandag": {time.Monday, false},
	"mon": {time.Monday, true}, "ma": {time.Monday, true},
	"tuesday": {time.Tuesday, false}, "dinsdag": {time.Tuesday, false},
	"tue": {time.Tuesday, true}, "tues": {time.Tuesday, true}, "di": {time.Tuesday, true}, "din": {time.Tuesday, true},
	"wednesday": {time.Wednesday, false}, "woensdag": {time.Wednesday, false},
	"wed": {time.Wednesday, true}, "wo": {time.Wednesday, true}, "woe": {time.Wednesday, true},
	"thursday": {time.Thursday, false}, "donderdag": {time.Thursday, false},
	"thu": {time.Thursday, true}, "thur": {time.Thursday, true}, "thurs": {time.Thursday, true},
	"do": {time.Thursday, true}, "don": {time.Thursday, true},
	"friday": {time.Friday, false}, "vrijdag": {time.Friday, false},
	"fri": {time.Friday, true}, "vr": {time.Friday, true}, "vrij": {time.Friday, true},
	"saturday": {time.Saturday, false}, "zaterdag": {time.Saturday, false},
	"sat": {time.Saturday, true}, "za": {time.Saturday, true}, "zat": {time.Saturday, true},
	"sunday": {time.Sunday, false}, "zondag": {time.Sunday, false},
	"sun": {time.Sunday, true}, "zo": {time.Sunday, true}, "zon": {time.Sunday, true},
}

// numberWords are the spelled-out counts accepted in "in two weeks" and
// "over drie dagen". "a"/"an"/"een" mean one ("in a week", "over een maand").
var numberWords = map[string]int{
	"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
	"six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
	"een": 1, "één": 1, "eén": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5,
	"zes": 6, "zeven": 7, "acht": 8, "negen": 9, "tien": 10,
}

// unit is the size of a relative step ("in 3 days", "over 2 maanden").
type unit int

const (
	unitDay unit = iota + 1
	unitWeek
	unitMonth
	unitYear
)

var units = map[string]unit{
	"day": unitDay, "days": unitDay, "dag": unitDay, "dagen": unitDay,
	"week": unitWeek, "weeks": unitWeek, "weken": unitWeek,
	"month": unitMonth, "months": unitMonth, "maand": unitMonth, "maanden": unitMonth,
	"year": unitYear, "years": unitYear, "jaar": unitYear, "jaren": unitYear,
}

// todayWords all name the current day: a commitment "tonight" or "by end of
// day" is due today.
var todayWords = map[string]bool{
	"today": true, "vandaag": true, "tonight": true, "vanavond": true,
	"vanmiddag": true, "vanochtend": true, "vanmorgen": true, "eod": true,
}

// tomorrowWords name the next day, including the Dutch compounds for parts of
// tomorrow ("morgenochtend" is tomorrow morning).
var tomorrowWords = map[string]bool{
	"tomorrow": true, "morgen": true, "tmrw": true, "morgenochtend": true,
	"morgenmiddag": true, "morgenavond": true,
}

// dayParts may follow a day ("tomorrow morning", "vrijdag middag"); they do
// not change the calendar day.
var dayParts = map[string]bool{
	"morning": true, "afternoon": true, "evening": true, "night": true,
	"ochtend": true, "middag": true, "avond": true, "nacht": true,
	"noon": true, "midnight": true,
}

// nextWords select the following calendar period: "next week", "volgende maand".
// Dutch inflects the adjective ("volgend jaar" but "volgende week"), so both forms
// are listed.
var nextWords = map[string]bool{
	"next": true, "volgende": true, "volgend": true,
}

// thisWords select the current calendar period: "this friday", "deze week".
var thisWords = map[string]bool{
	"this": true, "deze": true, "dit": true,
}

// comingWords mean "the next one to come": "komende vrijdag", "vrijdag a.s."
// and "this coming friday" are the first friday strictly after today, like a
// bare weekday. ("as vrijdag" is left out: English "as" is too common.)
var comingWords = map[string]bool{
	"coming": true, "komende": true, "aanstaande": true, "a.s.": true, "a.s": true,
}

// endWords introduce "end of <period>"; "eind", "einde" and "end" are
// interchangeable. Their connectors are skipped by the parser.
var endWords = map[string]bool{
	"end": true, "eind": true, "einde": true, "eom": true, "eow": true, "eoy": true,
}

// fillers are articles and prepositions that carry no meaning inside a date
// expression ("the end of the month", "eind van de maand").
var fillers = map[string]bool{
	"the": true, "of": true, "van": true, "de": true, "het": true,
}

// keywords may introduce a date at the end of a sentence. They are removed
// from the rest that Split returns. Multi-word keywords are matched as
// sequences of lower-cased words.
var keywords = [][]string{
	{"by"}, {"before"}, {"on"}, {"due"}, {"until"}, {"till"}, {"for"},
	{"voor"}, {"vóór"}, {"op"}, {"uiterlijk"}, {"tegen"}, {"tot"}, {"per"},
	{"t/m"}, {"tot", "en", "met"}, {"no", "later", "than"}, {"not", "later", "than"},
}
