package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"knoop/store"
)

var cmdDigest = &Command{
	Name:      "digest",
	NlAliases: []string{"digest", "samenvatting"},
	Summary: [2]string{"Show this room's digest schedule; coordinators set it, turn it off or post one now.",
		"Toon het digestschema van deze ruimte; coördinatoren stellen het in, zetten het uit of plaatsen er nu een."},
	Usage: [2]string{"digest [every monday 09:00 | every weekday 8:30 | <cron line> | off | now]",
		"digest [elke maandag 9:00 | elke werkdag 8.30 | <cronregel> | uit | nu]"},
	Examples: [2][]string{
		{"digest every monday 09:00", "digest every weekday at 8:30", "digest 0 9 * * 1", "digest off", "digest now"},
		{"digest elke maandag 9:00", "digest elke werkdag om 8.30", "digest uit", "digest nu"},
	},
	Coordinator: true,
}

var cmdNudges = &Command{
	Name:      "nudges",
	EnAliases: []string{"reminders"},
	NlAliases: []string{"herinneringen"},
	Summary: [2]string{"Your reminders about due commitments: on, weekly or off, and your working hours.",
		"Je herinneringen over toezeggingen: aan, wekelijks of uit, en je werktijden."},
	Usage:    [2]string{"nudges [on | weekly | off | hours 09:00-17:00]", "herinneringen [aan | wekelijks | uit | uren 9:00-17:00]"},
	Examples: [2][]string{{"nudges weekly", "nudges hours 08:00-16:00"}, {"herinneringen uit", "herinneringen uren 8:00-16:00"}},
}

var (
	offWords    = set("off", "stop", "none", "uit", "geen")
	onWords     = set("on", "aan")
	nowWords    = set("now", "nu")
	weeklyWords = set("weekly", "wekelijks", "week")
	hoursWords  = set("hours", "uren", "werktijden", "tijden")
)

func runDigest(c *call) Reply {
	arg := strings.ToLower(strings.TrimSpace(c.args))
	loc := c.netLocation()
	if c.msg.Shared && arg != "" && !offWords[arg] {
		// A digest lists the whole network: not where guests read.
		return c.say(tr(c.lang, "digest_shared"))
	}
	switch {
	case arg == "":
		s, err := c.b.store.ScheduleFor(c.ctx, c.msg.Platform, c.msg.RoomID)
		if errors.Is(err, store.ErrNotFound) {
			return c.say(tr(c.lang, "digest_none", cmdDigest.Word(c.lang)))
		}
		if err != nil {
			return c.fail(err)
		}
		next := s.NextAt
		if n, err := nextSlot(s.Spec, c.now.Add(-time.Second), loc); err == nil && next.Before(c.now) {
			next = n
		}
		return c.say(tr(c.lang, "digest_shows", describeSchedule(s.Spec, c.lang), loc.String(), c.fmtSlot(next, loc)))
	case offWords[arg]:
		ok, err := c.b.store.DeleteSchedule(c.ctx, c.msg.Platform, c.msg.RoomID)
		if err != nil {
			return c.fail(err)
		}
		if !ok {
			return c.say(tr(c.lang, "digest_was_off"))
		}
		return c.say(tr(c.lang, "digest_off"))
	case nowWords[arg]:
		return c.digestNow()
	}
	spec, err := ParseSchedule(c.args)
	if errors.Is(err, errScheduleOften) {
		return c.say(tr(c.lang, "digest_often", cmdDigest.Word(c.lang)))
	}
	if err != nil {
		return c.say(tr(c.lang, "digest_bad", cmdDigest.Word(c.lang)))
	}
	next, err := nextSlot(spec, c.now, loc)
	if err != nil {
		return c.say(tr(c.lang, "digest_bad", cmdDigest.Word(c.lang)))
	}
	if _, err := c.b.store.SetSchedule(c.ctx, c.net.ID, c.msg.Platform, c.msg.RoomID, spec, next, c.me.ID, c.now); err != nil {
		return c.fail(err)
	}
	return c.say(tr(c.lang, "digest_set", describeSchedule(spec, c.lang), loc.String(), c.fmtSlot(next, loc)))
}

// digestNow answers with the room's digest and records it, so the next
// scheduled digest reports from here on.
func (c *call) digestNow() Reply {
	since, err := c.b.store.LastDigest(c.ctx, c.msg.Platform, c.msg.RoomID)
	if err != nil {
		return c.fail(err)
	}
	now := c.now.Truncate(time.Second)
	summary, details, err := c.b.buildDigest(c.ctx, c.net, since, now, c.lang)
	if err != nil {
		return c.fail(err)
	}
	d, claimed, err := c.b.store.ClaimDigest(c.ctx, store.Digest{
		NetworkID: c.net.ID, Platform: c.msg.Platform, RoomID: c.msg.RoomID, Slot: now, Since: since,
	}, now)
	if err != nil {
		return c.fail(err)
	}
	if claimed {
		if err := c.b.store.MarkDigestSent(c.ctx, d.ID, "", now); err != nil {
			return c.fail(err)
		}
	}
	summary.Blocks = append(summary.Blocks, details.Blocks...)
	return summary
}

// netLocation is the network's timezone: digests follow the network's
// clock, not the asker's.
func (c *call) netLocation() *time.Location {
	if loc, err := time.LoadLocation(c.net.Timezone); err == nil && c.net.Timezone != "" {
		return loc
	}
	return time.UTC
}

// fmtSlot shows a digest slot: "Mon 30 Nov 2026 09:00".
func (c *call) fmtSlot(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return c.fmtDate(t) + " " + t.Format("15:04")
}

// buildDigest renders a network's digest as of now: a summary message and
// the details that go in its thread where the platform has threads.
func (b *Bot) buildDigest(ctx context.Context, net store.Network, since, now time.Time, lang string) (summary, details Reply, err error) {
	loc := time.UTC
	if l, lerr := time.LoadLocation(net.Timezone); lerr == nil {
		loc = l
	}
	c := &call{ctx: ctx, b: b, net: net, lang: fallbackLang(lang, net.Language), loc: loc, now: now.In(loc)}
	d, err := b.store.DigestData(ctx, net.ID, since, c.today())
	if err != nil {
		return Reply{}, Reply{}, err
	}
	lang = c.lang
	summary = Reply{Lang: lang}
	details = Reply{Lang: lang}
	summary.add(Heading, tr(lang, "digest_title", c.fmtDate(c.today())))

	var counts []string
	count := func(n int, one, many string) {
		switch {
		case n == 1 && one != "":
			counts = append(counts, tr(lang, one))
		case n > store.DigestLimit: // the lists stop just past the limit
			counts = append(counts, tr(lang, many, strconv.Itoa(store.DigestLimit)+"+"))
		case n > 0:
			counts = append(counts, tr(lang, many, strconv.Itoa(n)))
		}
	}
	count(len(d.Delivered), "", "digest_count_delivered")
	count(len(d.DueSoon), "", "digest_count_due")
	count(len(d.Overdue), "", "digest_count_overdue")
	count(len(d.Orphaned), "", "digest_count_orphaned")
	count(len(d.NewMembers), "digest_count_member", "digest_count_members")
	count(len(d.Asks), "digest_count_ask", "digest_count_asks")
	what := tr(lang, "digest_quiet")
	if len(counts) > 0 {
		what = strings.Join(counts, " · ")
	}
	from := since
	if from.IsZero() {
		from = c.today().AddDate(0, 0, -7)
	}
	summary.add(Text, tr(lang, "digest_since", c.fmtDate(civil(from.In(loc))), what))
	if len(d.Goals) > 0 {
		summary.add(Heading, tr(lang, "digest_goals"))
		for _, g := range d.Goals {
			summary.add(Item, tr(lang, "digest_goal", g.No, truncate(g.Text, 80), progressBar(g.Done, g.Total), g.Done, g.Total))
		}
	}

	section := func(title string, n int, item func(i int) string) {
		if n == 0 {
			return
		}
		details.add(Heading, tr(lang, title))
		for i := 0; i < n && i < store.DigestLimit; i++ {
			details.add(Item, item(i))
		}
		if n > store.DigestLimit {
			details.add(Context, tr(lang, "digest_more_some"))
		}
	}
	section("digest_delivered", len(d.Delivered), func(i int) string { return c.fmtCommitment(d.Delivered[i], true) })
	section("digest_due", len(d.DueSoon), func(i int) string { return c.fmtCommitment(d.DueSoon[i], true) })
	section("digest_overdue", len(d.Overdue), func(i int) string { return c.fmtCommitment(d.Overdue[i], true) })
	section("digest_orphaned", len(d.Orphaned), func(i int) string { return c.fmtCommitment(d.Orphaned[i], false) })
	section("digest_members", len(d.NewMembers), func(i int) string {
		m := d.NewMembers[i]
		name := m.Name
		if m.Org != "" {
			name += " (" + m.Org + ")"
		}
		skills := tr(lang, "digest_no_skills")
		if len(m.Skills) > 0 {
			skills = strings.Join(m.Skills, ", ")
		}
		return tr(lang, "digest_member", name, truncate(skills, 200))
	})
	section("digest_asks", len(d.Asks), func(i int) string {
		a := d.Asks[i]
		by := a.AskedBy
		if by == "" {
			by = tr(lang, "digest_someone")
		}
		return tr(lang, "digest_ask", a.No, truncate(a.Text, 200), by)
	})
	section("digest_orgs", len(d.Orgs), func(i int) string {
		o := d.Orgs[i]
		return tr(lang, "digest_org", o.Name, o.Open, o.Done)
	})
	if details.IsZero() {
		summary.add(Context, tr(lang, "digest_nothing"))
	}
	return summary, details, nil
}

func runNudges(c *call) Reply {
	arg := strings.ToLower(strings.TrimSpace(c.args))
	fields := strings.Fields(arg)
	mode := ""
	switch {
	case arg == "":
		return c.showNudges()
	case onWords[arg]:
		mode = "on"
	case offWords[arg]:
		mode = "off"
	case weeklyWords[arg]:
		mode = "weekly"
	case len(fields) >= 2 && hoursWords[fields[0]]:
		start, end, ok := parseHours(strings.Join(fields[1:], " "))
		if !ok {
			return c.say(tr(c.lang, "nudges_bad", cmdNudges.Word(c.lang)))
		}
		if err := c.b.store.SetWorkHours(c.ctx, c.me.ID, start, end); err != nil {
			return c.fail(err)
		}
		return c.say(tr(c.lang, "nudges_hours_set", fmtMinutes(start), fmtMinutes(end)))
	default:
		return c.say(tr(c.lang, "nudges_bad", cmdNudges.Word(c.lang)))
	}
	if err := c.b.store.SetNudges(c.ctx, c.me.ID, mode); err != nil {
		return c.fail(err)
	}
	return c.say(tr(c.lang, "nudges_set", tr(c.lang, "nudges_mode_"+mode)))
}

func (c *call) showNudges() Reply {
	mode := c.me.Nudges
	if mode == "" {
		mode = "on"
	}
	return c.say(tr(c.lang, "nudges_show", tr(c.lang, "nudges_mode_"+mode), fmtMinutes(c.me.WorkStart),
		fmtMinutes(c.me.WorkEnd), c.loc.String(), c.b.nudgeLead))
}

// parseHours reads "09:00-17:00", "9-17", "8.30 - 16.30".
func parseHours(s string) (start, end int, ok bool) {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '–' || r == ' ' || r == '/' })
	var nums []string
	for _, p := range parts {
		if p != "" && p != "tot" && p != "to" && p != "until" {
			nums = append(nums, p)
		}
	}
	if len(nums) != 2 {
		return 0, 0, false
	}
	clock := func(x string) (int, bool) {
		m := clockRE.FindStringSubmatch(x)
		if m == nil || m[3] == "am" || m[3] == "pm" {
			return 0, false
		}
		h, _ := strconv.Atoi(m[1])
		mi := 0
		if m[2] != "" {
			mi, _ = strconv.Atoi(m[2])
		}
		if h > 24 || mi > 59 || (h == 24 && mi > 0) {
			return 0, false
		}
		return h*60 + mi, true
	}
	start, ok1 := clock(nums[0])
	end, ok2 := clock(nums[1])
	if !ok1 || !ok2 || end <= start || end-start < 60 {
		return 0, 0, false
	}
	return start, end, true
}

func fmtMinutes(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// DigestReplies builds the digest a room would get now — the summary and
// the details for its thread — without sending or recording it. lang ""
// is the network's language. ErrNotFound when Knoop has not heard from the
// room.
func (b *Bot) DigestReplies(ctx context.Context, platform, room, lang string) (summary, details Reply, err error) {
	_, summary, details, err = b.roomDigest(ctx, platform, room, lang)
	return summary, details, err
}

// roomDigest is DigestReplies with the room's network.
func (b *Bot) roomDigest(ctx context.Context, platform, room, lang string) (net store.Network, summary, details Reply, err error) {
	if net, err = b.store.NetworkOfRoom(ctx, platform, room); err != nil {
		return net, Reply{}, Reply{}, err
	}
	since, err := b.store.LastDigest(ctx, platform, room)
	if err != nil {
		return net, Reply{}, Reply{}, err
	}
	summary, details, err = b.buildDigest(ctx, net, since, b.now(), fallbackLang(lang, net.Language))
	return net, summary, details, err
}

// DigestPreview renders the digest a room would get now as text, with its
// schedule, without sending or recording it.
func (b *Bot) DigestPreview(ctx context.Context, platform, room string) (string, error) {
	net, summary, details, err := b.roomDigest(ctx, platform, room, "")
	if errors.Is(err, store.ErrNotFound) {
		return "", fmt.Errorf("Knoop does not know room %q on %s", room, platform)
	}
	if err != nil {
		return "", err
	}
	var out strings.Builder
	if s, err := b.store.ScheduleFor(ctx, platform, room); err == nil {
		fmt.Fprintf(&out, "# schedule: %s (%s), next %s\n", s.Spec, net.Timezone, s.NextAt.In(loadLocation(net.Timezone)).Format("Mon 2 Jan 2006 15:04"))
	} else {
		fmt.Fprintf(&out, "# no schedule in this room\n")
	}
	summary.Blocks = append(summary.Blocks, details.Blocks...)
	out.WriteString(RenderText(summary))
	return out.String(), nil
}
