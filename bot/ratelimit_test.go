package bot_test

import (
	"strings"
	"testing"
	"time"

	"knoop/bot"
	"knoop/bot/bottest"
)

// A member past the rate limit gets one short "slow down" in their
// language, then nothing until the bucket refills; who-questions cost more
// than other commands; other members are not held up; nothing past the
// limit reaches the store.
func TestRateLimitPerMember(t *testing.T) {
	h := bottest.New(t)
	h.Bot = bot.New(h.Store, bottest.Logger(t), bot.WithClock(h.Clock.Now), bot.WithRateLimit(bot.RateLimit{PerMinute: 6, WhoCost: 3}))

	for i := range 6 {
		if got := h.SayText("anna", "skills add topic"+string(rune('a'+i))); !strings.Contains(got, "topic") {
			t.Fatalf("command %d within the limit: %q", i+1, got)
		}
	}
	got := h.SayText("anna", "skills add flooding")
	contains(t, got, "slow down")
	if len(got) > 200 {
		t.Errorf("slow-down reply is not short: %q", got)
	}
	for range 5 {
		if r := h.Say("anna", "skills add flooding"); !r.IsZero() {
			t.Fatalf("second message past the limit answered: %q", bot.RenderText(r))
		}
	}
	lacks(t, h.SayText("bob", "profile @anna"), "flooding")
	contains(t, h.SayText("bob", "skills"), "You have not declared any skills yet")

	// Refilled after ten seconds: one token (6 a minute).
	h.Clock.Advance(10 * time.Second)
	contains(t, h.SayText("anna", "skills"), "topica")
	// A who-question costs three tokens: refused with one in the bucket,
	// in Dutch when asked in Dutch.
	h.Clock.Advance(10 * time.Second)
	contains(t, h.SayText("anna", "wie is er goed in koelketen?"), "rustiger")
	h.Clock.Advance(30 * time.Second)
	lacks(t, h.SayText("anna", "wie koelketen"), "rustiger", "slow down")
}

// Without WithRateLimit nothing is limited (the console, tests).
func TestNoRateLimitByDefault(t *testing.T) {
	h := bottest.New(t)
	for range 60 {
		if r := h.Say("anna", "skills"); r.IsZero() {
			t.Fatal("unlimited bot stayed silent")
		}
	}
}
