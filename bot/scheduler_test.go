package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"knoop/bot"
	"knoop/bot/bottest"
	"knoop/store"
)

var amsterdam = mustLoad("Europe/Amsterdam")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func ams(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, amsterdam)
}

// schedHarness is a bot harness with a scheduler delivering to an outbox.
type schedHarness struct {
	*bottest.Harness
	out   *bottest.Outbox
	sched *bot.Scheduler
}

func newSchedHarness(t *testing.T, threads bool, opts bot.SchedulerOptions) *schedHarness {
	t.Helper()
	h := bottest.New(t)
	h.Coordinators["carol"] = true
	out := bottest.NewOutbox("console")
	var a bot.Adapter = out
	if threads {
		a = out.Threaded()
	}
	opts.NoPeriodic = true
	if opts.RetryDelay == 0 {
		opts.RetryDelay = 50 * time.Millisecond
	}
	s, err := bot.NewScheduler(h.Bot, []bot.Adapter{a}, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = s.Run(ctx, 5*time.Second); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return &schedHarness{Harness: h, out: out, sched: s}
}

// tickAt moves the clock and plans.
func (h *schedHarness) tickAt(t *testing.T, at time.Time) bot.Planned {
	t.Helper()
	h.Clock.Set(at)
	p, err := h.sched.Tick(context.Background())
	if err != nil {
		t.Fatalf("tick at %s: %v", at, err)
	}
	return p
}

// wait waits for n deliveries to rooms and returns them.
func (h *schedHarness) wait(t *testing.T, n int) []bottest.Sent {
	t.Helper()
	return h.out.WaitPosts(t, n, 20*time.Second)
}

// waitDM waits for n direct messages and returns them.
func (h *schedHarness) waitDM(t *testing.T, n int) []bottest.Sent {
	t.Helper()
	return h.out.WaitDMs(t, n, 20*time.Second)
}

// quietRooms asserts that once every planned job has finished, no message
// to a room arrived beyond those the test read.
func (h *schedHarness) quietRooms(t *testing.T) {
	t.Helper()
	bottest.JobsSettled(t, h.Store.Pool())
	h.out.Quiet(t, false)
}

// quiet is quietRooms for direct messages too.
func (h *schedHarness) quiet(t *testing.T) {
	t.Helper()
	bottest.JobsSettled(t, h.Store.Pool())
	h.out.Quiet(t, true)
}

func TestParseSchedule(t *testing.T) {
	cases := []struct{ in, want string }{
		{"every monday 09:00", "0 9 * * 1"},
		{"every Monday at 9am", "0 9 * * 1"},
		{"elke maandag 9:00", "0 9 * * 1"},
		{"elke maandag om 9.30", "30 9 * * 1"},
		{"iedere vrijdag 16u", "0 16 * * 5"},
		{"every weekday 8:30", "30 8 * * 1-5"},
		{"every working day at 8:30", "30 8 * * 1-5"},
		{"elke werkdag om 8.30", "30 8 * * 1-5"},
		{"every day 7:45", "45 7 * * *"},
		{"dagelijks 17:00", "0 17 * * *"},
		{"every monday and thursday 2pm", "0 14 * * 1,4"},
		{"elke maandag en donderdag 14:00", "0 14 * * 1,4"},
		{"weekly", "0 9 * * 1"},
		{"wekelijks", "0 9 * * 1"},
		{"0 9 * * 1", "0 9 * * 1"},
		{"30   8 * *   1-5", "30 8 * * 1-5"},
		{"0 9 1 * *", "0 9 1 * *"},
	}
	for _, c := range cases {
		got, err := bot.ParseSchedule(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseSchedule(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "sometimes", "every monday 25:00", "every blursday", "* * * * *", "*/5 * * * *",
		"0 * * * *", "0 9,10 * * *", "every monday 9:61", "'; DROP TABLE schedules; --", "0 9 * * 8", strings.Repeat("\x00\xff", 1000)} {
		if got, err := bot.ParseSchedule(bad); err == nil {
			t.Errorf("ParseSchedule(%q) = %q, want an error", bad, got)
		}
	}
}

func TestDigestCommand(t *testing.T) {
	h := newSchedHarness(t, false, bot.SchedulerOptions{})
	if got := h.SayText("carol", "digest"); !strings.Contains(got, "No digest is scheduled") {
		t.Fatalf("digest without schedule: %q", got)
	}
	if got := h.SayText("bob", "digest every monday 09:00"); !strings.Contains(got, "Only coordinators") {
		t.Fatalf("member sets digest: %q", got)
	}
	// Friday 27 Nov 2026 10:00: the next Monday 09:00 is 30 Nov.
	got := h.SayText("carol", "digest every monday 09:00")
	if !strings.Contains(got, "every Monday at 09:00") || !strings.Contains(got, "Mon 30 Nov 2026 09:00") || !strings.Contains(got, "Europe/Amsterdam") {
		t.Fatalf("set digest: %q", got)
	}
	if got := h.SayText("bob", "digest"); !strings.Contains(got, "every Monday at 09:00") || !strings.Contains(got, "Mon 30 Nov 2026 09:00") {
		t.Fatalf("show digest to a member: %q", got)
	}
	if got := h.SayText("carol", "digest elke werkdag om 8.30"); !strings.Contains(got, "elke werkdag om 08:30") || !strings.Contains(got, "ma 30 nov 2026 08:30") {
		t.Fatalf("set digest in Dutch: %q", got)
	}
	for _, bad := range []string{"digest sometimes", "digest * * * * *", "digest '; DROP TABLE schedules; --"} {
		got := h.SayText("carol", bad)
		if !strings.Contains(got, "can't read that schedule") && !strings.Contains(got, "more than once an hour") && !strings.Contains(got, "kan ik niet lezen") {
			t.Fatalf("%q: %q", bad, got)
		}
	}
	// Bad input changed nothing.
	if got := h.SayText("carol", "digest"); !strings.Contains(got, "every working day at 08:30") {
		t.Fatalf("schedule after bad input: %q", got)
	}
	if got := h.SayText("carol", "digest off"); !strings.Contains(got, "turned off") {
		t.Fatalf("digest off: %q", got)
	}
	if got := h.SayText("carol", "digest off"); !strings.Contains(got, "nothing changed") {
		t.Fatalf("digest off twice: %q", got)
	}
	if p := h.tickAt(t, ams(2026, 11, 30, 9, 0)); p.Digests != 0 {
		t.Fatalf("digest planned after off: %+v", p)
	}
}

func TestDigestDeliveredOnceWithThread(t *testing.T) {
	h := newSchedHarness(t, true, bot.SchedulerOptions{})
	bottest.SeedNetwork(t, h.Harness)
	h.SayText("bob", "done 4 sent to the province")
	h.SayText("carol", "digest every monday 09:00")
	if p := h.tickAt(t, ams(2026, 11, 30, 8, 59)); p.Digests != 0 {
		t.Fatalf("planned before the slot: %+v", p)
	}
	if p := h.tickAt(t, ams(2026, 11, 30, 9, 0)); p.Digests != 1 {
		t.Fatalf("planned at the slot: %+v", p)
	}
	sent := h.wait(t, 2)
	root, details := sent[0], sent[1]
	rootID := h.out.MessageID(root.To.Key)
	if root.To.RoomID != h.Room || root.To.ThreadID != "" || details.To.RoomID != h.Room || details.To.ThreadID != rootID || rootID == "" {
		t.Fatalf("targets: root %+v, details %+v", root.To, details.To)
	}
	text := bot.RenderText(root.Reply) + "\n" + bot.RenderText(details.Reply)
	for _, want := range []string{"Digest — Mon 30 Nov 2026", "1 delivered", "Halve empty truck kilometres", "Details below.",
		"#4 grant draft — Bob (TU Delft)", "Due in the next 7 days", "#1 route plan", "Overdue", "#2 cold-chain pilot report — Anna (Havenbedrijf Rotterdam)",
		"New members", "Anna (Havenbedrijf Rotterdam): cold chain, koelketen", "Open asks", "#1 who can review our business case? — asked by Dave",
		"Havenbedrijf Rotterdam: 2 open · 0 done", "TU Delft: 1 open · 1 done"} {
		if !strings.Contains(text, want) {
			t.Errorf("digest lacks %q:\n%s", want, text)
		}
	}
	for _, bad := range []string{"@channel", "@room", "@here", "<!channel>"} {
		if strings.Contains(text, bad) {
			t.Errorf("digest pings everyone with %q", bad)
		}
	}
	// The same slot planned again, and the next tick: nothing more.
	if p := h.tickAt(t, ams(2026, 11, 30, 9, 1)); p.Digests != 0 {
		t.Fatalf("planned twice: %+v", p)
	}
	h.quietRooms(t)
	// A week later the digest reports since the last one: anna delivers.
	h.Clock.Set(ams(2026, 12, 2, 11, 0))
	h.SayText("anna", "done 1")
	if p := h.tickAt(t, ams(2026, 12, 7, 9, 0)); p.Digests != 1 {
		t.Fatalf("second week: %+v", p)
	}
	sent = h.wait(t, 2)
	text = bot.RenderText(sent[0].Reply) + "\n" + bot.RenderText(sent[1].Reply)
	if !strings.Contains(text, "Since Mon 30 Nov 2026") || !strings.Contains(text, "#1 route plan") || strings.Contains(text, "#4 grant draft") {
		t.Fatalf("second digest should cover since the first:\n%s", text)
	}
	if strings.Contains(text, "New members") {
		t.Fatalf("members of last week reported again:\n%s", text)
	}
}

func TestDigestNowAndDryRunWithoutThreads(t *testing.T) {
	h := newSchedHarness(t, false, bot.SchedulerOptions{})
	bottest.SeedNetwork(t, h.Harness)
	if got := h.SayText("bob", "digest now"); !strings.Contains(got, "Only coordinators") {
		t.Fatalf("member digest now: %q", got)
	}
	got := h.SayText("carol", "digest nu")
	if !strings.Contains(got, "Digest — vr 27 nov 2026") || !strings.Contains(got, "Te laat") || !strings.Contains(got, "Open vragen") {
		t.Fatalf("digest nu: %q", got)
	}
	// Scheduled on a platform without threads: one message with it all.
	h.SayText("carol", "digest every monday 09:00")
	h.tickAt(t, ams(2026, 11, 30, 9, 0))
	sent := h.wait(t, 1)
	if text := bot.RenderText(sent[0].Reply); !strings.Contains(text, "Since Fri 27 Nov 2026") || !strings.Contains(text, "Open asks") {
		t.Fatalf("unthreaded digest: %s", text)
	}
	h.quietRooms(t)
}

func TestDigestKeepsLocalTimeAcrossDST(t *testing.T) {
	h := newSchedHarness(t, false, bot.SchedulerOptions{})
	h.Clock.Set(ams(2026, 3, 20, 12, 0))
	h.SayText("carol", "digest every monday 09:00")
	// Last Sunday of March 2026 is the 29th: clocks go from +01:00 to +02:00.
	for _, slot := range []time.Time{ams(2026, 3, 23, 9, 0), ams(2026, 3, 30, 9, 0)} {
		if p := h.tickAt(t, slot.Add(-time.Minute)); p.Digests != 0 {
			t.Fatalf("planned a minute early at %s", slot)
		}
		if p := h.tickAt(t, slot); p.Digests != 1 {
			t.Fatalf("not planned at %s (UTC %s)", slot, slot.UTC())
		}
		h.wait(t, 1)
	}
	// Last Sunday of October 2026 is the 25th: back to +01:00.
	h.Clock.Set(ams(2026, 10, 20, 12, 0))
	h.SayText("carol", "digest every monday 09:00")
	for _, slot := range []time.Time{ams(2026, 10, 26, 9, 0)} {
		if p := h.tickAt(t, slot.Add(-time.Minute)); p.Digests != 0 {
			t.Fatalf("planned a minute early at %s", slot)
		}
		if p := h.tickAt(t, slot); p.Digests != 1 {
			t.Fatalf("not planned at %s", slot)
		}
		h.wait(t, 1)
	}
	if got := ams(2026, 3, 23, 9, 0).UTC().Hour(); got != 8 {
		t.Fatalf("winter slot in UTC: %d", got)
	}
	if got := ams(2026, 3, 30, 9, 0).UTC().Hour(); got != 7 {
		t.Fatalf("summer slot in UTC: %d", got)
	}
}

func TestDigestSkipsHolidaysAndLateSlots(t *testing.T) {
	h := newSchedHarness(t, false, bot.SchedulerOptions{})
	h.Clock.Set(ams(2026, 4, 20, 12, 0))
	h.SayText("carol", "digest every monday 09:00")
	// Koningsdag 2026 is Monday 27 April.
	p := h.tickAt(t, ams(2026, 4, 27, 9, 0))
	if p.Digests != 0 || p.DigestsSkipped != 1 {
		t.Fatalf("Koningsdag: %+v", p)
	}
	h.quietRooms(t)
	// Christmas 2026 is a Friday.
	h.Clock.Set(ams(2026, 12, 20, 12, 0))
	h.SayText("carol", "digest every friday 16:00")
	if p := h.tickAt(t, ams(2026, 12, 25, 16, 0)); p.Digests != 0 || p.DigestsSkipped != 1 {
		t.Fatalf("Christmas: %+v", p)
	}
	// Every replica down from before the slot until 5 hours after: caught up.
	if p := h.tickAt(t, ams(2027, 1, 1, 21, 0)); p.Digests != 0 || p.DigestsSkipped != 1 {
		t.Fatalf("New Year's Day, late: %+v", p) // also a holiday
	}
	if p := h.tickAt(t, ams(2027, 1, 8, 21, 0)); p.Digests != 1 {
		t.Fatalf("5 hours late should be caught up: %+v", p)
	}
	h.wait(t, 1)
	// Down until 7 hours after the slot: skipped, and the schedule moves on.
	if p := h.tickAt(t, ams(2027, 1, 15, 23, 0)); p.Digests != 0 || p.DigestsSkipped != 1 {
		t.Fatalf("7 hours late should be skipped: %+v", p)
	}
	h.quietRooms(t)
	// Down for three weeks: only the latest slot counts (and it is late).
	if p := h.tickAt(t, ams(2027, 2, 5, 17, 0)); p.Digests != 1 || p.DigestsSkipped != 0 {
		t.Fatalf("after three weeks down: %+v", p)
	}
	h.wait(t, 1)
	h.quietRooms(t)
}

func TestDigestRetriedAfterPlatformError(t *testing.T) {
	h := newSchedHarness(t, false, bot.SchedulerOptions{})
	h.out.FailNext(2)
	h.SayText("carol", "digest every monday 09:00")
	h.tickAt(t, ams(2026, 11, 30, 9, 0))
	sent := h.wait(t, 1)
	if !strings.Contains(bot.RenderText(sent[0].Reply), "Digest") {
		t.Fatalf("digest after retries: %s", bot.RenderText(sent[0].Reply))
	}
	h.quietRooms(t)
}

// nudgeTexts returns the text of each delivery, for assertions.
func nudgeTexts(sent []bottest.Sent) []string {
	var out []string
	for _, s := range sent {
		out = append(out, s.To.UserID+": "+bot.RenderText(s.Reply))
	}
	return out
}

func TestNudgeStages(t *testing.T) {
	h := newSchedHarness(t, false, bot.SchedulerOptions{})
	// Monday 30 Nov 2026: anna commits to Friday 4 Dec.
	h.Clock.Set(ams(2026, 11, 30, 10, 0))
	h.SayText("anna", "commit the pilot report by 2026-12-04")
	type step struct {
		at    time.Time
		stage string // "" = no nudge
	}
	steps := []step{
		{ams(2026, 11, 30, 11, 0), ""},               // four working days before
		{ams(2026, 12, 2, 8, 59), ""},                // two working days before, but before working hours
		{ams(2026, 12, 2, 9, 0), "is due Fri 4 Dec"}, // two working days before
		{ams(2026, 12, 2, 15, 0), ""},                // claimed already
		{ams(2026, 12, 3, 10, 0), ""},                // same stage
		{ams(2026, 12, 4, 17, 0), ""},                // due day, after working hours
		{ams(2026, 12, 4, 16, 59), "is due today"},   // due day
		{ams(2026, 12, 5, 10, 0), ""},                // Saturday
		{ams(2026, 12, 7, 10, 0), "(3 days ago)"},    // Monday: three days late
		{ams(2026, 12, 8, 10, 0), ""},                // still stage 3
		{ams(2026, 12, 11, 10, 0), "(7 days ago)"},
		{ams(2026, 12, 18, 10, 0), "(14 days ago)"},
		{ams(2026, 12, 25, 10, 0), ""}, // Christmas
		{ams(2026, 12, 28, 10, 0), "(24 days ago)"},
		{ams(2027, 1, 1, 10, 0), ""},              // New Year's Day
		{ams(2027, 1, 4, 10, 0), "(31 days ago)"}, // the fifth overdue reminder
		{ams(2027, 1, 11, 10, 0), ""},             // paused until anna acts
		{ams(2027, 1, 18, 10, 0), ""},             // paused
	}
	for i, s := range steps {
		p := h.tickAt(t, s.at)
		if s.stage == "" {
			if p.Nudges != 0 {
				t.Fatalf("step %d (%s): planned %+v", i, s.at, p)
			}
			continue
		}
		if p.Nudges != 1 {
			t.Fatalf("step %d (%s): planned %+v, want one nudge", i, s.at, p)
		}
		got := nudgeTexts(h.waitDM(t, 1))[0]
		if !strings.HasPrefix(got, "anna: ") || !strings.Contains(got, s.stage) || !strings.Contains(got, "#1 “the pilot report”") {
			t.Fatalf("step %d (%s): %q, want %q", i, s.at, got, s.stage)
		}
		if s.stage == "(31 days ago)" && !strings.Contains(got, "last reminder") {
			t.Fatalf("fifth overdue reminder should say it is the last: %q", got)
		}
	}
	// anna acts: reminders resume at the next stage.
	h.Clock.Set(ams(2027, 1, 19, 10, 0))
	h.SayText("anna", "update 1 halfway")
	if p := h.tickAt(t, ams(2027, 1, 25, 10, 0)); p.Nudges != 1 {
		t.Fatalf("after acting: %+v", p)
	}
	sent := h.waitDM(t, 1)
	r := sent[0].Reply
	if len(r.Actions) != 3 || r.Actions[0].Command != "done 1" || r.Actions[1].Command != "snooze 1" || r.Actions[2].Command != "due 1" || r.Commitment != 1 {
		t.Fatalf("one-click actions: %+v, commitment %d", r.Actions, r.Commitment)
	}
	// Clicking Snooze a week moves the due date: the next stage is "before".
	h.Clock.Set(ams(2027, 1, 25, 10, 5))
	if got := h.SayText("anna", r.Actions[1].Command); !strings.Contains(got, "#1") {
		t.Fatalf("snooze from a nudge: %q", got)
	}
	h.quiet(t)
}

func TestNudgeZonesAwayModesAndHolidays(t *testing.T) {
	h := newSchedHarness(t, false, bot.SchedulerOptions{})
	h.Clock.Set(ams(2027, 4, 19, 10, 0))
	h.SayText("tom", "timezone America/New_York")
	h.SayText("tom", "commit the audit by 2027-04-21")
	h.SayText("anna", "commit the route plan by 2027-04-21")
	h.SayText("wim", "commit the budget by 2027-04-21")
	h.SayText("wim", "nudges off")
	h.SayText("eva", "commit the survey by 2027-04-21")
	h.SayText("eva", "away until 2027-04-23")
	h.SayText("kees", "taal nl")
	h.SayText("kees", "herinneringen wekelijks")
	h.SayText("kees", "toezeggen de begroting voor 2027-04-26")
	h.SayText("kees", "toezeggen het plan voor 2027-05-20")
	h.SayText("kees", "toezeggen de planning voor 2027-04-22")

	// Tuesday 20 April 2027, 10:00 in Amsterdam (04:00 in New York): anna
	// gets her reminder; tom is asleep; wim opted out; eva is away; kees
	// gets his weekly summary.
	h.tickAt(t, ams(2027, 4, 20, 10, 0))
	got := strings.Join(nudgeTexts(h.waitDM(t, 2)), "\n")
	if !strings.Contains(got, "anna: ⏰ Reminder: #2") || !strings.Contains(got, "kees: ⏰ Jouw toezeggingen deze week:") ||
		!strings.Contains(got, "de begroting") || !strings.Contains(got, "de planning") {
		t.Fatalf("10:00 Amsterdam:\n%s", got)
	}
	h.quiet(t)
	// 15:00 in Amsterdam is 09:00 in New York: tom's turn.
	h.tickAt(t, ams(2027, 4, 20, 15, 0))
	if got := nudgeTexts(h.waitDM(t, 1))[0]; !strings.HasPrefix(got, "tom: ⏰ Reminder: #1") {
		t.Fatalf("tom at 09:00 New York: %q", got)
	}
	h.quiet(t)
	// Koningsdag (Tuesday 27 April 2027): nobody is nudged.
	if p := h.tickAt(t, ams(2027, 4, 27, 11, 0)); p.Nudges != 0 {
		t.Fatalf("Koningsdag: %+v", p)
	}
	// Wednesday 28 April: overdue reminders, and eva is back.
	h.tickAt(t, ams(2027, 4, 28, 11, 0))
	got = strings.Join(nudgeTexts(h.waitDM(t, 3)), "\n")
	for _, want := range []string{"anna: ⏰ #2", "eva: ⏰ #4", "kees: ⏰ Jouw toezeggingen"} {
		if !strings.Contains(got, want) {
			t.Fatalf("28 April lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "wim") {
		t.Fatalf("wim opted out:\n%s", got)
	}
	h.quiet(t)
}

func TestNudgeCommandAndHours(t *testing.T) {
	h := bottest.New(t)
	if got := h.SayText("anna", "nudges"); !strings.Contains(got, "Reminders: on, 09:00–17:00") || !strings.Contains(got, "2 working days") {
		t.Fatalf("nudges: %q", got)
	}
	if got := h.SayText("anna", "nudges hours 08:00-16:30"); !strings.Contains(got, "08:00–16:30") {
		t.Fatalf("hours: %q", got)
	}
	for _, bad := range []string{"nudges sometimes", "nudges hours 17-9", "nudges hours 25:00-26:00", "nudges hours", "nudges hours 9-9:30"} {
		if got := h.SayText("anna", bad); !strings.Contains(got, "Use `nudges on`") {
			t.Fatalf("%q: %q", bad, got)
		}
	}
	if got := h.SayText("anna", "herinneringen uit"); !strings.Contains(got, "Herinneringen staan nu uit") {
		t.Fatalf("uit: %q", got)
	}
	if got := h.SayText("anna", "nudges"); !strings.Contains(got, "Reminders: off, 08:00–16:30") {
		t.Fatalf("after changes: %q", got)
	}
}

// Nothing a member confirmed is lost: a nudge planned for a commitment
// that is done before delivery is not sent.
func TestNudgeSkippedWhenCommitmentChanged(t *testing.T) {
	h := newSchedHarness(t, false, bot.SchedulerOptions{})
	release := h.out.Block()
	h.Clock.Set(ams(2026, 11, 30, 10, 0))
	h.SayText("anna", "commit the pilot report by 2026-12-02")
	h.tickAt(t, ams(2026, 12, 2, 10, 0)) // due today: planned, delivery blocked
	h.SayText("anna", "done 1")
	release()
	// The job ran before "done" or after: either one delivery mentioning
	// the commitment, or none. Never a nudge for a closed commitment
	// planned after it closed.
	if p := h.tickAt(t, ams(2026, 12, 3, 10, 0)); p.Nudges != 0 {
		t.Fatalf("nudge planned for a done commitment: %+v", p)
	}
	_ = store.StatusDone
}
