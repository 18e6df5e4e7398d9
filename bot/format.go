package bot

import (
	"fmt"
	"strings"
	"time"

	"knoop/store"
)

var (
	nlDays   = [...]string{"zo", "ma", "di", "wo", "do", "vr", "za"}
	nlMonths = [...]string{"jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"}
)

// fmtDate shows a calendar day the way the member's language writes it:
// "Fri 4 Dec 2026" or "vr 4 dec 2026".
func (c *call) fmtDate(t time.Time) string {
	if c.lang == NL {
		return fmt.Sprintf("%s %d %s %d", nlDays[t.Weekday()], t.Day(), nlMonths[t.Month()-1], t.Year())
	}
	return t.Format("Mon 2 Jan 2006")
}

// fmtMonth shows a month: "Oct 2026" or "okt 2026".
func (c *call) fmtMonth(t time.Time) string { return monthIn(c.lang, c.loc, t) }

func monthIn(lang string, loc *time.Location, t time.Time) string {
	t = t.In(loc)
	if lang == NL {
		return fmt.Sprintf("%s %d", nlMonths[t.Month()-1], t.Year())
	}
	return t.Format("Jan 2006")
}

// fmtCommitment is the one line a commitment is shown as everywhere.
func (c *call) fmtCommitment(cm store.Commitment, withOwner bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "#%d %s", cm.No, cm.Text)
	if withOwner {
		owner := cm.OwnerName
		if owner == "" {
			owner = tr(c.lang, "former_member")
		}
		if cm.OwnerOrg != "" {
			owner += " (" + cm.OwnerOrg + ")"
		}
		b.WriteString(" — " + owner)
	}
	switch cm.Status {
	case store.StatusDone:
		b.WriteString(" — " + tr(c.lang, "status_done", c.fmtDate(cm.DoneAt.In(c.loc))))
	case store.StatusDropped:
		b.WriteString(" — " + tr(c.lang, "status_dropped"))
	default:
		if !cm.Due.IsZero() {
			due := tr(c.lang, "due_on", c.fmtDate(cm.Due))
			if cm.Due.Before(c.today()) {
				due = tr(c.lang, "overdue_since", c.fmtDate(cm.Due))
			}
			b.WriteString(" — " + due)
		} else {
			b.WriteString(" — " + tr(c.lang, "no_due"))
		}
	}
	if cm.GoalNo != 0 {
		b.WriteString(" · " + tr(c.lang, "for_goal", cm.GoalNo))
	}
	return b.String()
}

// commitmentActions are the one-click follow-ups on an open commitment.
func (c *call) commitmentActions(no int64) []Action {
	return []Action{
		{Label: tr(c.lang, "action_done"), Command: fmt.Sprintf("%s %d", cmdDone.Word(c.lang), no), Primary: true},
		{Label: tr(c.lang, "action_snooze"), Command: fmt.Sprintf("%s %d", cmdSnooze.Word(c.lang), no)},
		{Label: tr(c.lang, "action_new_date"), Command: fmt.Sprintf("%s %d", cmdDue.Word(c.lang), no), NeedsInput: true},
	}
}
