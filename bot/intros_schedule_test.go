package bot_test

import (
	"context"
	"testing"
	"time"

	"knoop/bot"
	"knoop/bot/bottest"
)

// A request the expert leaves unanswered for three working days expires:
// the asker is told, kindly, and offered the next member of the answer.
// Weekends do not count. The test moves the injected clock.
func TestIntroExpiresAfterThreeWorkingDays(t *testing.T) {
	h := bottest.New(t)
	out := bottest.NewOutbox("console")
	h.Bot = bot.New(h.Store, bottest.Logger(t), bot.WithClock(h.Clock.Now), bot.WithAdapters(out))
	s, err := bot.NewScheduler(h.Bot, []bot.Adapter{out}, bot.SchedulerOptions{NoPeriodic: true, RetryDelay: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = s.Run(ctx, 5*time.Second); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	sh := &schedHarness{Harness: h, out: out, sched: s}

	// Friday 27 November: Bram asks Anna; Bob is next in the answer.
	say(t, h, "anna: skills add cold chain, cold chain logistics", "bob: skills add cold chain", "bram: org TU Delft")
	contains(t, say(t, h, "bram: who is good at cold chain logistics?"), "• Anna", "• Bob")
	contains(t, say(t, h, "bram: intro 1"), "I've asked Anna")
	out.WaitDMs(t, 1, 20*time.Second) // Anna's request

	// Monday and Tuesday are two working days: nothing yet.
	if p := sh.tickAt(t, ams(2026, 12, 1, 17, 0)); p.IntrosExpired != 0 {
		t.Fatalf("expired after two working days: %+v", p)
	}
	// Wednesday is the third.
	if p := sh.tickAt(t, ams(2026, 12, 2, 9, 0)); p.IntrosExpired != 1 {
		t.Fatalf("planned %+v on the third working day, want one expiry", p)
	}
	told := out.WaitDMs(t, 1, 20*time.Second)[0]
	if told.To.UserID != "bram" {
		t.Fatalf("told %+v", told.To)
	}
	contains(t, bot.RenderText(told.Reply), "Anna hasn't answered your request about “cold chain logistics” in 3 working days",
		"Next in the answer: Bob.", "[Introduce me to Bob: intro 1]")
	if p := sh.tickAt(t, ams(2026, 12, 2, 10, 0)); p.IntrosExpired != 0 {
		t.Fatalf("expired twice: %+v", p)
	}
	contains(t, say(t, h, "bram: intros"), "no answer")
	contains(t, say(t, h, "bram: intro 1"), "I've asked Bob")
}
