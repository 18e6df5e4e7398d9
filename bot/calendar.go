package bot

import (
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/nl"
)

// Calendar says which days are working days: Monday to Friday, except
// public holidays. Nudges only go out on working days, and digest slots
// that fall on a public holiday are skipped.
type Calendar struct {
	bc *cal.BusinessCalendar
}

// DutchCalendar has the Dutch public holidays (Nieuwjaarsdag, Pasen,
// Koningsdag, Bevrijdingsdag, Hemelvaart, Pinksteren, Kerstmis).
func DutchCalendar() *Calendar {
	bc := cal.NewBusinessCalendar()
	bc.AddHoliday(nl.Holidays...)
	return &Calendar{bc: bc}
}

// Holiday reports whether the calendar day of t (in t's zone) is a public
// holiday, and its name.
func (c *Calendar) Holiday(t time.Time) (string, bool) {
	actual, observed, h := c.bc.IsHoliday(t)
	if (actual || observed) && h != nil {
		return h.Name, true
	}
	return "", false
}

// Workday reports whether the calendar day of t (in t's zone) is a
// working day.
func (c *Calendar) Workday(t time.Time) bool {
	return c.bc.IsWorkday(t)
}

// workdaysUntil counts the working days after from, up to and including
// to (both calendar days).
func (c *Calendar) workdaysUntil(from, to time.Time) int {
	n := 0
	for d := from.AddDate(0, 0, 1); !d.After(to); d = d.AddDate(0, 0, 1) {
		if c.Workday(d) {
			n++
		}
		if n > 60 {
			break
		}
	}
	return n
}
