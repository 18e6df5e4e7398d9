package slack_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"knoop/adapters/slack"
	"knoop/adapters/slack/slackfake"
	"knoop/bot"
	"knoop/bot/bottest"
	"knoop/store"
)

// startScheduler runs a scheduler delivering through the harness's
// adapter until the test ends.
func (h *harness) startScheduler() *bot.Scheduler {
	h.t.Helper()
	s, err := bot.NewScheduler(h.bot, []bot.Adapter{h.adapter}, bot.SchedulerOptions{NoPeriodic: true, RetryDelay: 50 * time.Millisecond})
	if err != nil {
		h.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = s.Run(ctx, 5*time.Second); close(done) }()
	h.t.Cleanup(func() { cancel(); <-done })
	return s
}

// A coordinator sets a weekly digest from Slack and it arrives once, at
// 09:00 Amsterdam time on Monday, as a channel message with the details
// in its thread; the member with a commitment due gets a reminder by
// direct message with buttons that work.
func TestWeeklyDigestAndNudgeInSlack(t *testing.T) {
	h := start(t, func(c *slack.Config) { c.Admins = []string{"UCAROL"} })
	sched := h.startScheduler()
	ams := now.Location()

	if p := h.slashAnswer("UANNA", "C1", "digest every monday 09:00"); !strings.Contains(p.Text, "Only coordinators") {
		t.Fatalf("a member set the digest: %q", p.Text)
	}
	p := h.slashAnswer("UCAROL", "C1", "digest every monday 09:00")
	if !strings.Contains(p.Text, "Digest set: every Monday at 09:00 (Europe/Amsterdam). Next: Mon 30 Nov 2026 09:00.") {
		t.Fatalf("set digest: %q", p.Text)
	}
	h.clock.Set(time.Date(2026, 11, 26, 10, 0, 0, 0, ams))
	h.slashAnswer("UANNA", "C1", "commit the pilot report by 2026-12-02")
	h.slashAnswer("UBOB", "C1", "commit the grant draft by 2026-11-27")
	h.clock.Set(now)
	h.slashAnswer("UBOB", "C1", "done 2 sent")
	before := len(h.fake.Calls("chat.postMessage"))

	h.clock.Set(time.Date(2026, 11, 30, 8, 59, 0, 0, ams))
	if p, err := sched.Tick(context.Background()); err != nil || p.Digests != 0 || p.Nudges != 0 {
		t.Fatalf("tick at 08:59: %+v, %v", p, err)
	}
	h.clock.Set(time.Date(2026, 11, 30, 9, 0, 0, 0, ams))
	if p, err := sched.Tick(context.Background()); err != nil || p.Digests != 1 || p.Nudges != 1 {
		t.Fatalf("tick at 09:00: %+v, %v", p, err)
	}
	root := h.waitPost("with the digest", func(c slackfake.Call) bool {
		return c.Get("channel") == "C1" && c.Get("thread_ts") == "" && strings.Contains(c.Get("text"), "Digest — Mon 30 Nov 2026")
	})
	ts, _ := root.Response["ts"].(string)
	details := h.waitPost("with the digest's details in its thread", func(c slackfake.Call) bool {
		return c.Get("channel") == "C1" && c.Get("thread_ts") == ts
	})
	for _, want := range []string{"Delivered", "#2 the grant draft — Bob", "Due in the next 7 days", "#1 the pilot report — Anna"} {
		if !strings.Contains(details.Get("text"), want) {
			t.Errorf("details lack %q: %q", want, details.Get("text"))
		}
	}
	for _, c := range []slackfake.Call{root, details} {
		for _, ping := range []string{"<!channel>", "<!here>", "<!everyone>"} {
			if strings.Contains(string(c.Body), ping) {
				t.Errorf("digest pings with %s", ping)
			}
		}
	}
	dm := h.fake.DMChannel("UANNA")
	nudge := h.waitPost("with anna's reminder", func(c slackfake.Call) bool { return c.Get("channel") == dm })
	if !strings.Contains(nudge.Get("text"), "Reminder: #1 “the pilot report” is due Wed 2 Dec 2026") {
		t.Errorf("reminder text %q", nudge.Get("text"))
	}
	got := buttons(blocksOf(t, nudge))
	if got["knoop_run_0"] != "done 1" || got["knoop_run_1"] != "snooze 1" || got["knoop_input_2"] != "due 1" {
		t.Errorf("reminder buttons %v", got)
	}

	// Planning again finds everything claimed: nothing is sent twice.
	if p, err := sched.Tick(context.Background()); err != nil || p.Digests != 0 || p.Nudges != 0 {
		t.Fatalf("second tick: %+v, %v", p, err)
	}
	bottest.JobsSettled(t, h.store.Pool()) // every delivery has been made
	if n := len(h.fake.Calls("chat.postMessage")) - before; n != 3 {
		t.Errorf("%d posts, want 3 (digest, details, reminder): %s", n, postTexts(h.fake.Calls("chat.postMessage")[before:]))
	}

	// Snooze a week from the reminder's button.
	h.fake.Push("interactive", slackfake.ButtonClick("UANNA", dm, slackfake.NewTS(), "knoop_run_1", "snooze 1", "trig-snooze"))
	h.waitPost("answering Snooze", func(c slackfake.Call) bool {
		return c.Get("channel") == dm && strings.Contains(c.Get("text"), "#1 is now due")
	})
	if c := h.commitment("C1", 1); c.Due.Format(time.DateOnly) != "2026-12-09" || c.Status != store.StatusOpen {
		t.Errorf("after Snooze a week: due %s, status %s", c.Due.Format(time.DateOnly), c.Status)
	}
}
